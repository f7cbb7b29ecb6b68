/**
 * The provider's words about a failure (type, code, message), read from its error payload
 * whatever the envelope. The classifier's rules look only at these, never at SDK classes.
 *
 * @example
 * ```ts
 * const said: ProviderSaid = { type: 'invalid_request_error', message: 'prompt is too long: 215000 tokens > 200000 maximum' };
 * ```
 */
export interface ProviderSaid {
  /** The provider's error type (`overloaded_error`, `insufficient_quota` …). */
  readonly type?: string;
  /** The provider's error code: OpenAI `error.code`, Anthropic `error.details.error_code`. */
  readonly code?: string;
  /** The provider's own human message (`error.message`, FastAPI `detail`, a raw text body). */
  readonly message?: string;
}
