import { classifyError } from '../classify/classifyError.js';
import { classifyUnsentError } from '../classify/classifyUnsentError.js';
import type { ClassifiedFailure } from '../classify/failure.js';
import { isStackOverflow } from '../classify/localFailure.js';
import { makeFailure } from '../classify/makeFailure.js';
import type { ClassifyOptions } from '../classify/options.js';
import type { CallDeadlines } from './callDeadlines.js';
import type { CallOutcome } from './transport.js';
import { TransportError } from './transportError.js';

/**
 * The outcome for a call that threw. A request that never left the process (`sent` false) is
 * the caller's abort or `classifyUnsentError` (a `local` failure, charged to no backend; a
 * deadline cannot have been the backend's either). Otherwise, in this order: a deadline that
 * fired (the SDK then reports only an abort, or nothing), the caller's abort (whatever the SDK or
 * undici threw on the way out), a stack overflow (the answer was nested too deep to read: see
 * {@link answerTooDeep}), then `classifyError` on what was thrown.
 *
 * @example
 * ```ts
 * try { await client.messages.create(params, { signal: deadlines.signal, headers: attempt.headers }); }
 * catch (error) { return thrownOutcome(error, deadlines, callerSignal, classify, attempt.sent); }
 * ```
 */
export function thrownOutcome(
  error: unknown,
  deadlines: CallDeadlines,
  callerSignal: AbortSignal | undefined,
  classify: ClassifyOptions | undefined,
  sent = true,
): CallOutcome {
  if (!sent) return { ok: false, failure: callerSignal?.aborted ? callerAborted() : classifyUnsentError(error, classify), error };
  const deadline = deadlines.failure();
  if (deadline) return { ok: false, failure: deadline, error };
  if (callerSignal?.aborted) return { ok: false, failure: callerAborted(), error };
  if (isStackOverflow(error)) return { ok: false, failure: answerTooDeep(error), error };
  return { ok: false, failure: classifyError(error, classify), error };
}

/**
 * The failure for a stack overflow once the request was sent. The request itself cannot cause
 * it (it was serialized before it was sent, and the router refuses requests nested deeper than
 * `limits.maxRequestDepth`), so it is what came back: an error body or a stream event nested
 * thousands of levels deep, which the SDK overflows on while it builds its error. Read as a
 * programming error of this process (`local`), such an answer was charged to nobody and ended
 * the call without failing over, so one broken or hostile backend could turn failover off for
 * its route. It is the backend's malformed answer: `malformed_body`, failed over like any other.
 *
 * @example
 * ```ts
 * answerTooDeep(new RangeError('Maximum call stack size exceeded')).reason; // 'malformed_body'
 * ```
 */
export function answerTooDeep(error: unknown): ClassifiedFailure {
  return makeFailure({
    kind: 'backend_fault',
    reason: 'malformed_body',
    message: `the answer is nested too deep to read (${error instanceof Error ? error.message : String(error)})`,
    answered: true,
  });
}

/**
 * The outcome for a failure found without an exception (validation, a deadline): the error is a
 * {@link TransportError} carrying it.
 *
 * @example
 * ```ts
 * const failure = checkAnthropicMessage(message);
 * if (failure) return failedOutcome(failure);
 * ```
 */
export function failedOutcome(failure: ClassifiedFailure): CallOutcome {
  return { ok: false, failure, error: new TransportError(failure) };
}

/**
 * The failure for a call the caller aborted.
 *
 * @example
 * ```ts
 * callerAborted().kind; // 'aborted'
 * ```
 */
export function callerAborted(): ClassifiedFailure {
  return makeFailure({ kind: 'aborted', reason: 'aborted', message: 'aborted by the caller' });
}
