import { findCrashSignature } from './crashSignature.js';
import type { ClassifiedFailure } from './failure.js';
import { makeFailure } from './makeFailure.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';

/**
 * Failures shared by both result validators: what a 200 looks like when it is not an answer.
 * Every one of these had a status line, so `answered` is true; none is worth an immediate retry
 * on the same backend (a server that sends HTML or nothing will do it again).
 */

/**
 * The failure for a 200 whose body was not JSON (the SDKs then resolve `create()` to the raw
 * string): an HTML page from a proxy, a plain-text error. If the text carries a crash signature
 * it is a `crash`.
 *
 * @example
 * ```ts
 * nonJsonBody('<!doctype html><h1>502</h1>').reason; // 'non_json_body'
 * ```
 */
export function nonJsonBody(text: string, options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS): ClassifiedFailure {
  if (findCrashSignature(text, options.crashSignatures) !== undefined) {
    return makeFailure({ kind: 'crash', reason: 'crash_signature', message: `200 with a crash message: ${text}`, answered: true });
  }
  return makeFailure({
    kind: 'backend_fault',
    reason: 'non_json_body',
    message: `200 response is not JSON: ${text || '(empty)'}`,
    answered: true,
  });
}

/**
 * The failure for a 200 with no body at all (a JSON content type with `content-length: 0`
 * makes the SDKs resolve to `undefined`).
 *
 * @example
 * ```ts
 * emptyBody().reason; // 'empty_body'
 * ```
 */
export function emptyBody(): ClassifiedFailure {
  return makeFailure({ kind: 'backend_fault', reason: 'empty_body', message: '200 response with an empty body', answered: true });
}

/**
 * The failure for a 200 that is JSON but not the expected object (`malformed_body`), or a chat
 * completion without a single choice (`no_choices`).
 *
 * @example
 * ```ts
 * malformedResult('is not a chat completion').reason; // 'malformed_body'
 * ```
 */
export function malformedResult(what: string, reason: 'malformed_body' | 'no_choices' = 'malformed_body'): ClassifiedFailure {
  return makeFailure({ kind: 'backend_fault', reason, message: `200 response ${what}`, answered: true });
}

/**
 * The failure for an answer with no content. When the model stopped for its output-token limit
 * (`max_tokens` / `length`) the request asked for too little (a reasoning model can spend a
 * small budget before writing a word): that is a `request_fault`, not the backend's.
 *
 * @example
 * ```ts
 * emptyContent('end_turn').kind; // 'backend_fault'
 * emptyContent('max_tokens').kind; // 'request_fault'
 * ```
 */
export function emptyContent(stopReason: string | undefined): ClassifiedFailure {
  if (stopReason === 'max_tokens' || stopReason === 'length') {
    return makeFailure({
      kind: 'request_fault',
      reason: 'output_limit',
      requestFault: 'invalid_request',
      message: `empty answer: the model hit its output limit (${stopReason})`,
      answered: true,
    });
  }
  return makeFailure({
    kind: 'backend_fault',
    reason: 'empty_content',
    message: `200 response with no content${stopReason ? ` (stop: ${stopReason})` : ''}`,
    answered: true,
  });
}

/**
 * The failure for an answer the provider withheld for policy reasons (Anthropic
 * `stop_reason: "refusal"`, OpenAI `finish_reason: "content_filter"` or a `refusal` message).
 *
 * @example
 * ```ts
 * contentPolicy('content_filter', 'finish_reason: content_filter').requestFault; // 'content_policy'
 * ```
 */
export function contentPolicy(reason: 'refusal' | 'content_filter', detail: string): ClassifiedFailure {
  return makeFailure({
    kind: 'request_fault',
    reason,
    requestFault: 'content_policy',
    message: `the answer was withheld: ${detail}`,
    answered: true,
  });
}

/**
 * The failure for an answer that says it is an error (`stop_reason: "error"`, as LiteLLM-based
 * facades send after their upstream failed; OpenRouter's `finish_reason: "error"`). No retry on
 * the same backend: the facade has usually retried upstream already before giving up this way.
 *
 * @example
 * ```ts
 * errorStop('stop_reason_error', 'stop_reason: error').kind; // 'backend_fault'
 * ```
 */
export function errorStop(
  reason: 'stop_reason_error' | 'finish_reason_error',
  detail: string,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): ClassifiedFailure {
  if (findCrashSignature(detail, options.crashSignatures) !== undefined) {
    return makeFailure({ kind: 'crash', reason: 'crash_signature', message: `200 with ${detail}`, answered: true });
  }
  return makeFailure({ kind: 'backend_fault', reason, message: `200 response with ${detail}`, answered: true });
}
