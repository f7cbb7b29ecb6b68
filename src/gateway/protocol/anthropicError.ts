/**
 * The error types of Anthropic's API, as its error bodies and stream `error` events name them.
 *
 * @example
 * ```ts
 * const type: AnthropicErrorType = 'overloaded_error';
 * ```
 */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/**
 * The Anthropic error type for an HTTP status, as Anthropic documents them: 400
 * `invalid_request_error`, 401 `authentication_error`, 402 `billing_error`, 403
 * `permission_error`, 404 `not_found_error`, 413 `request_too_large`, 429 `rate_limit_error`, 504
 * `timeout_error`, 529 `overloaded_error`, other 5xx `api_error`. 503 is `overloaded_error`
 * too: for the gateway it means "no backend can take this now", which is what clients such as
 * Claude Code treat as try again later.
 *
 * @example
 * ```ts
 * anthropicErrorType(529); // 'overloaded_error'
 * ```
 */
export function anthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/**
 * An Anthropic error body, `{ type: 'error', error: { type, message } }`, for a non-streamed
 * failure; `type` defaults by status ({@link anthropicErrorType}). A provider's error `code`
 * (`content_policy_violation` …) goes in `error.details.error_code`, where Anthropic puts its own
 * and the SDK reads `errorCode` from. Send it with the same status: the SDK chooses
 * `BadRequestError`, `RateLimitError` … by it. (A streamed failure after the 200 is
 * `AnthropicStream.error`.)
 *
 * @example
 * ```ts
 * anthropicError(400, 'max_tokens: required field is missing (expected an integer of at least 1)');
 * // { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: required field is missing …' } }
 * anthropicError(400, 'refused by the content filter', undefined, 'content_policy_violation');
 * // { type: 'error', error: { type: 'invalid_request_error', message: '…', details: { error_code: 'content_policy_violation' } } }
 * ```
 */
export function anthropicError(
  status: number,
  message: string,
  type?: string,
  code?: string,
): { type: 'error'; error: { type: string; message: string; details?: { error_code: string } } } {
  return { type: 'error', error: { type: type ?? anthropicErrorType(status), message, ...(code !== undefined ? { details: { error_code: code } } : {}) } };
}

/**
 * Whether `type` is one of Anthropic's error types, so a provider's own type can be passed to an
 * Anthropic client unchanged (an OpenAI-style type such as `server_error` cannot).
 *
 * @example
 * ```ts
 * isAnthropicErrorType('overloaded_error'); // true
 * isAnthropicErrorType('server_error'); // false
 * ```
 */
export function isAnthropicErrorType(type: string): type is AnthropicErrorType {
  return ANTHROPIC_ERROR_TYPES.has(type);
}

const ANTHROPIC_ERROR_TYPES: ReadonlySet<string> = new Set<AnthropicErrorType>([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]);
