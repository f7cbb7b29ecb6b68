/**
 * The error `type` (and default `code`) OpenAI's API uses for an HTTP status. The `openai` SDK
 * picks its error class from the status alone and exposes `type`, `code` and `param` as sent, so
 * these only matter to clients that look at them: 401 is `invalid_request_error` with code
 * `invalid_api_key`, 429 is type `requests` with code `rate_limit_exceeded` (OpenAI names the
 * limit that was hit), 403 `permission_error`, other 4xx `invalid_request_error`, 5xx
 * `server_error`.
 *
 * @example
 * ```ts
 * openAiErrorDefaults(429); // { type: 'requests', code: 'rate_limit_exceeded' }
 * ```
 */
export function openAiErrorDefaults(status: number): { type: string; code?: string } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'permission_error' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error' };
  return { type: 'invalid_request_error' };
}

/**
 * An OpenAI error body, `{ error: { message, type, param, code } }` (absent ones `null`, as
 * OpenAI sends them), for a non-streamed failure. `type` and `code` default by status (see
 * {@link openAiErrorDefaults}); `param` names the offending field, as a `WireError`'s does.
 * Send it with the same `status`: the SDK chooses `BadRequestError`, `RateLimitError` … by it.
 *
 * @example
 * ```ts
 * openAiError(400, 'n: 2 is not supported by this gateway', { param: 'n' });
 * // { error: { message: 'n: 2 is not supported by this gateway', type: 'invalid_request_error', param: 'n', code: null } }
 * ```
 */
export function openAiError(
  status: number,
  message: string,
  opts: { type?: string; param?: string; code?: string } = {},
): { error: { message: string; type: string; param: string | null; code: string | null } } {
  const defaults = openAiErrorDefaults(status);
  return {
    error: {
      message,
      type: opts.type ?? defaults.type,
      param: opts.param ?? null,
      code: opts.code ?? defaults.code ?? null,
    },
  };
}
