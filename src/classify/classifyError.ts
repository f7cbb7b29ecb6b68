import type { HeaderSource } from './cooldownHint.js';
import { findCrashSignature } from './crashSignature.js';
import { readProviderError, type ProviderError } from './errorBody.js';
import type { ClassifiedFailure } from './failure.js';
import { classifyHttpStatus } from './httpStatus.js';
import { isProgrammingError, localFailure } from './localFailure.js';
import { makeFailure } from './makeFailure.js';
import { causeChain, findNetworkFailure } from './networkCause.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
import { isCallerAbort, isConnectionError, isSdkError, isSdkTimeout, isStreamErrorEvent, isTimeoutAbort, statusOf } from './sdkError.js';
import { classifyStreamError } from './streamError.js';

/**
 * Classifies anything a model call threw into exactly one {@link ClassifiedFailure}. Never throws.
 *
 * Order (the first that applies wins):
 * 1. the caller's abort (`APIUserAbortError`, `AbortError`) → `aborted`;
 * 2. a crash signature anywhere in the message, payload or captured body → `crash`, whatever
 *    the status;
 * 3. the SDK's own timeout (`APIConnectionTimeoutError`) → `backend_fault` `timeout`;
 * 4. a network cause in the `cause` chain (refused, reset, DNS, TLS, undici `terminated` …);
 * 5. an error event inside a 200 stream (an `APIError` with a payload but no status);
 * 6. the HTTP status with the provider's type/code/message;
 * 7. a body that is not valid JSON (`SyntaxError`), OpenAI's finish-reason errors, Anthropic's
 *    "Streaming is required" guard;
 * 8. a programming error of this process (`TypeError`, `RangeError` — a stack overflow —,
 *    `ReferenceError`, not undici's network wrappers) → `local` `internal_error`, charged to no
 *    backend;
 * 9. anything else → `backend_fault` `unknown` with the message.
 *
 * An error known to have happened before the request was sent is better classified with
 * `classifyUnsentError`, which makes every such failure `local`.
 *
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk';
 * import { classifyError } from 'llm-health-router';
 * const client = new Anthropic({ baseURL: 'http://127.0.0.1:8082', maxRetries: 0 });
 * try { await client.messages.create(request); }
 * catch (error) {
 *   const failure = classifyError(error); // e.g. { kind: 'crash', reason: 'crash_signature', status: 500, … }
 * }
 * ```
 */
export function classifyError(error: unknown, options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS): ClassifiedFailure {
  try {
    // Embedders may build options by hand from JavaScript; a missing field must not turn every
    // failure into `unknown`.
    return classify(error, { ...DEFAULT_CLASSIFY_OPTIONS, ...options });
  } catch (unexpected) {
    // A hostile or exotic error (throwing getters, revoked proxies) must not break the caller's
    // error path: report it as unknown.
    return makeFailure({ kind: 'backend_fault', reason: 'unknown', message: `unclassifiable error: ${safeString(unexpected)}` });
  }
}

function classify(error: unknown, options: ClassifyOptions): ClassifiedFailure {
  if (isCallerAbort(error)) {
    return makeFailure({ kind: 'aborted', reason: 'aborted', message: messageOf(error) || 'aborted by the caller' });
  }
  const said = readProviderError(error);
  const status = statusOf(error);
  const headers = headersOf(error);
  const streamEvent = status === undefined && isStreamErrorEvent(error);

  const signature = findCrashSignature(said.text, options.crashSignatures);
  if (signature !== undefined) return crash(said, status, streamEvent);

  if (isSdkTimeout(error) || isTimeoutAbort(error)) {
    return makeFailure({
      kind: 'backend_fault',
      reason: 'timeout',
      message: `timed out before the backend answered: ${messageOf(error) || 'timeout'}`,
    });
  }

  if (status === undefined && !streamEvent) {
    const network = findNetworkFailure(error);
    if (network) {
      return makeFailure({
        kind: network.kind,
        reason: network.reason,
        message: network.detail,
        answered: network.answered,
        retrySameBackend: network.retrySameBackend,
      });
    }
    if (isConnectionError(error)) {
      // A connection failure nothing explains: a backend fault, but not retried on the same
      // route, since nothing says it was transient.
      return makeFailure({ kind: 'backend_fault', reason: 'connection_error', message: describeChain(error) });
    }
  }

  if (streamEvent) return classifyStreamError(said, headers, options);
  if (status !== undefined) return classifyHttpStatus(status, said, headers, options);
  return classifyOther(error, said);
}

function classifyOther(error: unknown, said: ProviderError): ClassifiedFailure {
  // capAnswerBody's refusal of an answer larger than any answer can be (`AnswerTooLargeError`).
  if (causeChain(error).some((link) => isNamed(link, 'AnswerTooLargeError'))) {
    return makeFailure({ kind: 'backend_fault', reason: 'oversized_answer', message: messageOf(error), answered: true });
  }
  // skipMalformedEvents' refusal of a stream event that never ends (`EventTooLargeError`).
  if (causeChain(error).some((link) => isNamed(link, 'EventTooLargeError'))) {
    return makeFailure({ kind: 'backend_fault', reason: 'malformed_stream', message: messageOf(error), answered: true });
  }
  if (causeChain(error).some((link) => isNamed(link, 'SyntaxError'))) {
    return makeFailure({
      kind: 'backend_fault',
      reason: 'malformed_body',
      message: `response body is not valid JSON: ${messageOf(error)}`,
      answered: true,
    });
  }
  if (isSdkError(error, 'ContentFilterFinishReasonError')) {
    return makeFailure({
      kind: 'request_fault',
      reason: 'content_filter',
      requestFault: 'content_policy',
      message: messageOf(error),
      answered: true,
    });
  }
  if (isSdkError(error, 'LengthFinishReasonError')) {
    return makeFailure({
      kind: 'request_fault',
      reason: 'output_limit',
      requestFault: 'invalid_request',
      message: messageOf(error),
      answered: true,
    });
  }
  if (/^Streaming is required/i.test(messageOf(error))) {
    // Anthropic refuses, before sending, a non-streaming call that could outlive its timeout.
    return makeFailure({ kind: 'request_fault', reason: 'streaming_required', requestFault: 'invalid_request', message: messageOf(error) });
  }
  // No status, no network cause, no SDK class: a TypeError or RangeError here is this process's
  // own (a bug, a stack overflow while building the request), and no backend is to blame.
  if (isProgrammingError(error)) return localFailure(error, 'internal_error');
  return makeFailure({ kind: 'backend_fault', reason: 'unknown', message: said.message ?? (describeChain(error) || safeString(error)) });
}

function crash(said: ProviderError, status: number | undefined, streamEvent: boolean): ClassifiedFailure {
  const where = status !== undefined ? `HTTP ${status}` : streamEvent ? 'stream error' : 'error';
  return makeFailure({
    kind: 'crash',
    reason: 'crash_signature',
    message: `${where}: ${said.message ?? said.text}`,
    answered: status !== undefined || streamEvent,
    ...(status !== undefined ? { status } : {}),
    ...(said.type !== undefined ? { errorType: said.type } : {}),
    ...(said.code !== undefined ? { errorCode: said.code } : {}),
  });
}

function headersOf(error: unknown): HeaderSource | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const headers = (error as { headers?: unknown }).headers;
  return typeof headers === 'object' && headers !== null ? (headers as HeaderSource) : undefined;
}

function isNamed(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === name;
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return '';
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}

function describeChain(error: unknown): string {
  return causeChain(error)
    .map(messageOf)
    .filter(Boolean)
    .join(' <- ');
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'unprintable value';
  }
}
