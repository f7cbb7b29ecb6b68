import type { NeutralResponse } from '../../transports/neutral.js';
import { toAnthropicStopReason } from './wireStopReason.js';

/**
 * The Messages API `message` body answering a non-streamed request: a text block (left out when
 * the text is empty: Anthropic rejects empty text blocks when the client sends the history
 * back), then one `tool_use` block per tool call, the stop reason mapped by
 * {@link toAnthropicStopReason}, and usage. `model` is what the lead passes (the model of the
 * backend that served); `id` is the lead's (`msg_…`).
 *
 * @example
 * ```ts
 * res.writeHead(200, { 'content-type': 'application/json' });
 * res.end(JSON.stringify(anthropicMessage(response, { id: 'msg_1', model: response.model })));
 * ```
 */
export function anthropicMessage(response: NeutralResponse, opts: { id: string; model: string }): object {
  return {
    id: opts.id,
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content: [
      ...(response.text ? [{ type: 'text', text: response.text }] : []),
      ...response.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.input ?? {} })),
    ],
    stop_reason: toAnthropicStopReason(response.stopReason),
    stop_sequence: null,
    usage: { input_tokens: response.usage.inputTokens, output_tokens: response.usage.outputTokens },
  };
}
