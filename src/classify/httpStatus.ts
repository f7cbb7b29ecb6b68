import { hasBillingCode, hasBillingMessage } from './billing.js';
import { cooldownHintFromHeaders, type HeaderSource } from './cooldownHint.js';
import type { ClassifiedFailure } from './failure.js';
import { makeFailure, type FailureInput } from './makeFailure.js';
import { badRequestNamesUnknownModel, notFoundNamesModel } from './modelNotFound.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
import type { ProviderSaid } from './providerSaid.js';
import { detectRequestFault, isContentPolicy, isContextLength } from './requestFault.js';

const RATE_LIMIT_TYPES = new Set(['rate_limit_error', 'rate_limit_exceeded', 'requests', 'tokens', 'rate_limited']);

/**
 * Whether the provider's type or code says "throttled" (Anthropic `rate_limit_error`, OpenAI
 * `rate_limit_exceeded`, whose `type` is `requests` or `tokens`).
 *
 * @example
 * ```ts
 * isRateLimitType({ type: 'rate_limit_error' }); // true
 * ```
 */
export function isRateLimitType(said: ProviderSaid): boolean {
  return [said.type, said.code].some((value) => value !== undefined && RATE_LIMIT_TYPES.has(value));
}

/**
 * Whether the provider's type or code says "overloaded" (Anthropic/Ollama `overloaded_error`).
 *
 * @example
 * ```ts
 * isOverloadedType({ type: 'overloaded_error' }); // true
 * ```
 */
export function isOverloadedType(said: ProviderSaid): boolean {
  return [said.type, said.code].some((value) => value !== undefined && /overloaded/i.test(value));
}

/**
 * Classifies an HTTP error status together with what the provider said in its body. Crash
 * signatures are not checked here ({@link classifyError} checks them first, for every status).
 *
 * @example
 * ```ts
 * classifyHttpStatus(529, { type: 'overloaded_error', message: 'Overloaded' }).retrySameBackend; // false
 * classifyHttpStatus(404, { type: 'not_found_error', message: 'model: claude-x' }).modelSpecific; // true
 * ```
 */
export function classifyHttpStatus(
  status: number,
  said: ProviderSaid,
  headers?: HeaderSource,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): ClassifiedFailure {
  const base = {
    status,
    answered: true,
    message: httpMessage(status, said),
    ...(said.type !== undefined ? { errorType: said.type } : {}),
    ...(said.code !== undefined ? { errorCode: said.code } : {}),
  };
  const at = (row: Omit<FailureInput, 'message'>): ClassifiedFailure => makeFailure({ ...base, ...row });
  const hint = (): { cooldownHintMs?: number } => {
    const ms = cooldownHintFromHeaders(headers, options);
    return ms === undefined ? {} : { cooldownHintMs: ms };
  };
  const reason = `http_${status}`;

  if (status === 499) return at({ kind: 'aborted', reason });
  // Billing outranks the status (Anthropic answers "credit balance is too low" with a 400) and
  // the type (Anthropic's spend cap is a 429 `rate_limit_error` with a billing code).
  if (status >= 400 && status < 500 && (hasBillingCode(said) || hasBillingMessage(said))) {
    return at({ kind: 'auth_config', reason: 'quota_exceeded' });
  }
  if (status === 429) return at({ kind: 'rate_limited', reason, ...hint() });
  if (status === 401 || status === 402 || status === 405 || status === 410) return at({ kind: 'auth_config', reason });
  if (status === 403) {
    if (isContentPolicy(said)) return at({ kind: 'request_fault', reason: 'content_policy', requestFault: 'content_policy' });
    return at({ kind: 'auth_config', reason });
  }
  if (status === 404) {
    if (notFoundNamesModel(said)) return at({ kind: 'auth_config', reason: 'model_not_found', modelSpecific: true });
    return at({ kind: 'auth_config', reason });
  }
  if (status === 408 || status === 409) return at({ kind: 'backend_fault', reason, retrySameBackend: true });
  if (status >= 400 && status < 500) {
    if ((status === 400 || status === 422) && !isContextLength(said) && badRequestNamesUnknownModel(said)) {
      return at({ kind: 'auth_config', reason: 'model_not_found', modelSpecific: true });
    }
    const requestFault = detectRequestFault(status, said);
    const faultReason = requestFault === 'context_length' || requestFault === 'content_policy' ? requestFault : reason;
    return at({ kind: 'request_fault', reason: faultReason, requestFault });
  }
  // 501: the endpoint does not implement this API (wrong api_mode or base URL) — configuration.
  if (status === 501) return at({ kind: 'auth_config', reason });
  if (status === 500 || status === 502 || status === 503) {
    // One 500/502/503 is often a blip worth one more try (503 is the most common transient status;
    // the router waits out a short retry-after first), unless the body says the backend is overloaded.
    const overloaded = isOverloadedType(said) || /\boverloaded\b/i.test(said.message ?? '');
    return at({ kind: 'backend_fault', reason, retrySameBackend: !overloaded, ...hint() });
  }
  // 504/529 and the rest of 5xx (Cloudflare's 520–524 …): the backend said it cannot serve now.
  return at({ kind: 'backend_fault', reason, ...hint() });
}

/**
 * A one-line description of an HTTP failure: the status, the provider's type and message.
 *
 * @example
 * ```ts
 * httpMessage(529, { type: 'overloaded_error', message: 'Overloaded' }); // 'HTTP 529 overloaded_error: Overloaded'
 * ```
 */
export function httpMessage(status: number, said: ProviderSaid): string {
  const label = said.type ?? said.code;
  const detail = said.message ?? '(no body)';
  return `HTTP ${status}${label ? ` ${label}` : ''}: ${detail}`;
}
