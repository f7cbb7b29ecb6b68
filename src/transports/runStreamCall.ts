import type { ClassifiedFailure } from '../classify/failure.js';
import type { ClassifyOptions } from '../classify/options.js';
import type { StreamCheck } from '../classify/streamCheck.js';
import { startDeadlines } from './callDeadlines.js';
import { failedOutcome, thrownOutcome } from './failedOutcome.js';
import { requireContent } from './requireContent.js';
import type { CallLimits, CallOutcome } from './transport.js';

/**
 * A stream as both SDKs return it: async-iterable events and the controller that cancels the body.
 *
 * @example
 * ```ts
 * const stream: SdkStream = await client.chat.completions.create({ ...params, stream: true });
 * ```
 */
export interface SdkStream {
  readonly controller: AbortController;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

/**
 * How {@link runStreamCall} makes and reads one streaming call.
 *
 * @example
 * ```ts
 * const call: StreamCall = {
 *   send: (signal) => client.messages.create({ ...params, stream: true }, { signal }),
 *   check: createAnthropicStreamCheck(),
 *   assembler: createAnthropicStreamAssembler(entry, onText),
 * };
 * ```
 */
export interface StreamCall {
  /** Sends the request with this signal; resolves once the response headers arrived. */
  send(signal: AbortSignal): Promise<SdkStream>;
  /** The completeness check (`createAnthropicStreamCheck` / `createChatStreamCheck`). */
  readonly check: StreamCheck;
  /** Builds the answer; `add` says whether an event carried content. */
  readonly assembler: { add(event: unknown): boolean; outcome(): CallOutcome };
}

/**
 * Runs one streaming call: every event goes to the stream check and the assembler, the deadlines
 * (overall, first token, idle) abort the request through one internal signal, and the result is
 * judged only after the loop ended:
 *
 * - a deadline that fired → its failure (the SDK ends the loop silently on an abort, so without
 *   this check a stalled stream would look like a short answer);
 * - the stream check's verdict, given the caller's signal, so a caller's abort is `aborted` and
 *   never a truncated success; an error event, a cut or a missing terminal event is a failure;
 * - otherwise the assembled answer, if it has text or a tool call (`requireContent`).
 *
 * What the loop throws (an error event, undici's `terminated`) is classified. An exception from
 * the caller's own `onText` (called inside the assembler) is not a backend failure: the request is
 * cancelled and the exception rethrown.
 *
 * @example
 * ```ts
 * const outcome = await runStreamCall(call, limits, signal, classifyOptions);
 * ```
 */
export async function runStreamCall(
  call: StreamCall,
  limits: CallLimits,
  callerSignal: AbortSignal | undefined,
  classify: ClassifyOptions | undefined,
): Promise<CallOutcome> {
  const deadlines = startDeadlines(limits, callerSignal, true);
  let callbackError: { error: unknown } | undefined;
  let outcome: CallOutcome;
  try {
    const stream = await deadlines.track(() => call.send(deadlines.signal));
    deadlines.headers();
    // The SDKs link the request signal to the body too, but cancelling the body directly does not
    // depend on that wiring: an abort must end the loop, whatever the SDK version.
    const cancel = (): void => stream.controller.abort();
    deadlines.signal.addEventListener('abort', cancel, { once: true });
    if (deadlines.signal.aborted) cancel();
    try {
      for await (const event of stream) {
        call.check.observe(event);
        let content: boolean;
        try {
          content = call.assembler.add(event);
        } catch (error) {
          callbackError = { error };
          break;
        }
        deadlines.event(content);
        if (call.check.complete()) deadlines.settle();
      }
    } finally {
      deadlines.signal.removeEventListener('abort', cancel);
    }
    outcome = judge(call, deadlines.failure(), callerSignal);
  } catch (error) {
    // Letting go of a finished stream may surface as an abort error from the SDK: it is still finished.
    outcome = deadlines.settled ? judge(call, undefined, callerSignal) : thrownOutcome(error, deadlines, callerSignal, classify, deadlines.sent);
  } finally {
    deadlines.dispose();
  }
  if (callbackError) throw callbackError.error;
  return outcome;
}

function judge(call: StreamCall, deadline: ClassifiedFailure | undefined, callerSignal: AbortSignal | undefined): CallOutcome {
  if (deadline) return failedOutcome(deadline);
  // The caller's signal goes to finish(): an abort ends the SDK's loop silently, and must be
  // `aborted`, never judged as a short stream.
  const failure = call.check.finish(callerSignal);
  return failure ? failedOutcome(failure) : requireContent(call.assembler.outcome());
}
