import type { NeutralResponse } from './neutral.js';

/**
 * The neutral stop reason of an Anthropic `stop_reason`: `end_turn`, `max_tokens`, `tool_use`
 * and `stop_sequence` keep their names; anything else (`pause_turn`, `model_context_window_exceeded`,
 * a facade's own value, none) is `other`. `refusal` and `error` never get here: the result checks
 * turn them into failures first.
 *
 * @example
 * ```ts
 * anthropicStopReason('tool_use'); // 'tool_use'
 * anthropicStopReason('pause_turn'); // 'other'
 * ```
 */
export function anthropicStopReason(reason: string | null | undefined): NeutralResponse['stopReason'] {
  switch (reason) {
    case 'end_turn':
    case 'max_tokens':
    case 'tool_use':
    case 'stop_sequence':
      return reason;
    default:
      return 'other';
  }
}

/**
 * The neutral stop reason of an OpenAI `finish_reason`: `stop` → `end_turn`, `length` →
 * `max_tokens`, `tool_calls` (and the legacy `function_call`) → `tool_use`; anything else is
 * `other`. Chat Completions reports a matched stop sequence as `stop`, so `stop_sequence` never
 * comes from here.
 *
 * @example
 * ```ts
 * chatStopReason('length'); // 'max_tokens'
 * ```
 */
export function chatStopReason(reason: string | null | undefined): NeutralResponse['stopReason'] {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      return 'other';
  }
}
