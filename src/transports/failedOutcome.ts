import { classifyError } from '../classify/classifyError.js';
import { classifyUnsentError } from '../classify/classifyUnsentError.js';
import type { ClassifiedFailure } from '../classify/failure.js';
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
 * undici threw on the way out), then `classifyError` on what was thrown.
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
  return { ok: false, failure: classifyError(error, classify), error };
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
