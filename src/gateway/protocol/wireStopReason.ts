import type { NeutralResponse } from '../../transports/neutral.js';

/**
 * The Chat Completions `finish_reason` for a neutral stop reason, the inverse of
 * `chatStopReason`: `end_turn` → `stop`, `max_tokens` → `length`, `tool_use` → `tool_calls`.
 * Chat Completions reports a matched stop sequence as `stop`, and has no word for `other`
 * (a pause, a facade's own reason), so both become `stop`.
 *
 * @example
 * ```ts
 * toOpenAiFinishReason('max_tokens'); // 'length'
 * ```
 */
export function toOpenAiFinishReason(reason: NeutralResponse['stopReason']): 'stop' | 'length' | 'tool_calls' {
  switch (reason) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

/**
 * The Messages API `stop_reason` for a neutral stop reason: the four Anthropic names map to
 * themselves, and `other` (which the neutral form keeps for reasons it cannot name) becomes
 * `end_turn`, since the answer that reached the gateway is complete.
 *
 * @example
 * ```ts
 * toAnthropicStopReason('other'); // 'end_turn'
 * ```
 */
export function toAnthropicStopReason(reason: NeutralResponse['stopReason']): 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' {
  return reason === 'other' ? 'end_turn' : reason;
}
