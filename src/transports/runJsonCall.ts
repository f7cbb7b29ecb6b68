import type { ClassifiedFailure } from '../classify/failure.js';
import type { ClassifyOptions } from '../classify/options.js';
import { startDeadlines } from './callDeadlines.js';
import { failedOutcome, thrownOutcome } from './failedOutcome.js';
import { requireContent } from './requireContent.js';
import type { CallLimits, CallOutcome } from './transport.js';

/**
 * How {@link runJsonCall} makes, validates and converts one non-streaming call.
 *
 * @example
 * ```ts
 * const call: JsonCall = {
 *   send: (signal) => client.messages.create(params, { signal }),
 *   check: (value) => checkAnthropicMessage(value),
 *   convert: (value) => ({ ok: true, response: fromAnthropicMessage(entry, value as Anthropic.Message) }),
 * };
 * ```
 */
export interface JsonCall {
  /** Sends the request with this signal; resolves to whatever the SDK resolved to. */
  send(signal: AbortSignal): Promise<unknown>;
  /** The failure hiding in a "successful" result (`checkAnthropicMessage` / `checkChatCompletion`). */
  check(value: unknown): ClassifiedFailure | undefined;
  /** The outcome for a result that passed the check. */
  convert(value: unknown): CallOutcome;
}

/**
 * Runs one non-streaming call under the overall deadline, which also bounds reading the body
 * (the SDKs' `timeout` stops at the headers). Never throws: what the SDK throws, synchronously or
 * not, is classified; a result that fails its check, or converts to an answer without text or a
 * tool call, is a failure, never an `ok`.
 *
 * @example
 * ```ts
 * const outcome = await runJsonCall(call, limits, signal, classifyOptions);
 * ```
 */
export async function runJsonCall(
  call: JsonCall,
  limits: CallLimits,
  callerSignal: AbortSignal | undefined,
  classify: ClassifyOptions | undefined,
): Promise<CallOutcome> {
  const deadlines = startDeadlines(limits, callerSignal, false);
  try {
    const value = await deadlines.track(() => call.send(deadlines.signal));
    const failure = call.check(value);
    return failure ? failedOutcome(failure) : requireContent(call.convert(value));
  } catch (error) {
    return thrownOutcome(error, deadlines, callerSignal, classify, deadlines.sent);
  } finally {
    deadlines.dispose();
  }
}
