import type { RequestFaultKind } from './failure.js';
import type { ProviderSaid } from './providerSaid.js';

const CONTEXT_LENGTH_CODES = new Set(['context_length_exceeded', 'prompt_too_long', 'context_window_exceeded']);
const CONTEXT_LENGTH_MESSAGE =
  /prompt is too long|maximum context length|context length|context[ _-]window|input is too long|too many (?:input )?tokens|exceeds? (?:the )?(?:model'?s? )?(?:maximum )?(?:context|token limit)|reduce the length of the (?:messages|prompt)/i;

const CONTENT_POLICY_CODES = new Set(['content_policy_violation', 'content_filter', 'content_filtered', 'moderation_blocked']);
const CONTENT_POLICY_MESSAGE =
  /content (?:management )?polic|content filter|safety system|requires moderation|flagged (?:for|by|as)|was flagged|moderation|responsible ai polic/i;

const TOO_LARGE_TYPES = new Set(['request_too_large', 'payload_too_large']);

/**
 * Whether the provider said the prompt does not fit the model's context window (Anthropic 400
 * `prompt is too long`, OpenAI `context_length_exceeded`, "maximum context length" wordings of
 * compatible servers).
 *
 * @example
 * ```ts
 * isContextLength({ code: 'context_length_exceeded' }); // true
 * ```
 */
export function isContextLength(said: ProviderSaid): boolean {
  return (
    (said.code !== undefined && CONTEXT_LENGTH_CODES.has(said.code)) ||
    (said.type !== undefined && CONTEXT_LENGTH_CODES.has(said.type)) ||
    (said.message !== undefined && CONTEXT_LENGTH_MESSAGE.test(said.message))
  );
}

/**
 * Whether the provider refused the content (OpenAI `content_policy_violation`, Azure
 * `content_filter`, OpenRouter 403 "requires moderation … flagged").
 *
 * @example
 * ```ts
 * isContentPolicy({ message: 'Your chosen model requires moderation and your input was flagged' }); // true
 * ```
 */
export function isContentPolicy(said: ProviderSaid): boolean {
  return (
    (said.code !== undefined && CONTENT_POLICY_CODES.has(said.code)) ||
    (said.type !== undefined && CONTENT_POLICY_CODES.has(said.type)) ||
    (said.message !== undefined && CONTENT_POLICY_MESSAGE.test(said.message))
  );
}

/**
 * Which kind of request fault a 4xx is: context length and content policy are recognised from
 * the payload whatever the status; otherwise 413 (or an Anthropic `request_too_large`) is
 * `too_large`, and anything else `invalid_request`.
 *
 * Context length is checked before content policy: a message such as "input is too long for
 * the content filter" is about size, and a larger context is the only thing that can help.
 *
 * @example
 * ```ts
 * detectRequestFault(400, { type: 'invalid_request_error', message: 'prompt is too long: 215000 tokens > 200000 maximum' });
 * // 'context_length'
 * detectRequestFault(413, {}); // 'too_large'
 * ```
 */
export function detectRequestFault(status: number | undefined, said: ProviderSaid): RequestFaultKind {
  if (isContextLength(said)) return 'context_length';
  if (isContentPolicy(said)) return 'content_policy';
  if (status === 413 || (said.type !== undefined && TOO_LARGE_TYPES.has(said.type))) return 'too_large';
  return 'invalid_request';
}
