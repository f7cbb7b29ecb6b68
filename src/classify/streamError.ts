import { hasBillingCode, hasBillingMessage } from './billing.js';
import { cooldownHintFromHeaders, type HeaderSource } from './cooldownHint.js';
import { findCrashSignature } from './crashSignature.js';
import { fromEnvelope } from './errorBody.js';
import type { ClassifiedFailure } from './failure.js';
import { isOverloadedType, isRateLimitType } from './httpStatus.js';
import { makeFailure } from './makeFailure.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
import type { ProviderSaid } from './providerSaid.js';

/**
 * Classifies an error event that arrived inside a 200 stream (Anthropic `event: error`, OpenAI
 * chat `data: {"error": …}`). The server answered, then gave up mid-answer, so it is a
 * `backend_fault` (`stream_error`), retried on the same backend unless it said it is
 * overloaded. Two payload types change the kind because they say more than "it broke":
 * a rate-limit type is `rate_limited` (`stream_rate_limited`) and a billing code is
 * `auth_config` (`stream_quota_exceeded`). Crash signatures are checked by the caller first.
 *
 * @example
 * ```ts
 * classifyStreamError({ type: 'overloaded_error', message: 'Overloaded' });
 * // { kind: 'backend_fault', reason: 'stream_error', answered: true, retrySameBackend: false, … }
 * ```
 */
export function classifyStreamError(
  said: ProviderSaid,
  headers?: HeaderSource,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): ClassifiedFailure {
  const label = said.type ?? said.code;
  const base = {
    answered: true,
    message: `stream error${label ? ` ${label}` : ''}: ${said.message ?? '(no message)'}`,
    ...(said.type !== undefined ? { errorType: said.type } : {}),
    ...(said.code !== undefined ? { errorCode: said.code } : {}),
  };
  if (hasBillingCode(said) || hasBillingMessage(said)) {
    return makeFailure({ ...base, kind: 'auth_config', reason: 'stream_quota_exceeded' });
  }
  if (isRateLimitType(said)) {
    const hint = cooldownHintFromHeaders(headers, options);
    return makeFailure({ ...base, kind: 'rate_limited', reason: 'stream_rate_limited', ...(hint === undefined ? {} : { cooldownHintMs: hint }) });
  }
  return makeFailure({ ...base, kind: 'backend_fault', reason: 'stream_error', retrySameBackend: !isOverloadedType(said) });
}

/**
 * Classifies a raw error payload seen among stream events (Anthropic `{"type":"error",…}`,
 * OpenAI `{"error":{…}}`) by a caller that parses SSE itself, so the SDK never threw it. A crash
 * signature anywhere in it makes it a `crash`.
 *
 * @example
 * ```ts
 * classifyStreamErrorPayload({ type: 'error', error: { type: 'api_error', message: 'boom' } }).retrySameBackend; // true
 * ```
 */
export function classifyStreamErrorPayload(
  payload: unknown,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): ClassifiedFailure {
  const said = fromEnvelope(payload);
  let raw: string;
  try {
    raw = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? '');
  } catch {
    raw = said.message ?? '';
  }
  if (findCrashSignature(raw, options.crashSignatures) !== undefined) {
    return makeFailure({
      kind: 'crash',
      reason: 'crash_signature',
      message: `stream error: ${said.message ?? raw}`,
      answered: true,
      ...(said.type !== undefined ? { errorType: said.type } : {}),
      ...(said.code !== undefined ? { errorCode: said.code } : {}),
    });
  }
  return classifyStreamError(said, undefined, options);
}
