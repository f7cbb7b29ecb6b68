import type { NeutralResponse } from '../../transports/neutral.js';
import { toOpenAiFinishReason } from './wireStopReason.js';

/**
 * The tool calls of a neutral response as Chat Completions carries them: input as JSON text.
 *
 * @example
 * ```ts
 * chatToolCalls(response); // [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } }]
 * ```
 */
export function chatToolCalls(response: NeutralResponse): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  return response.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) },
  }));
}

/**
 * The Chat Completions usage of a neutral response.
 *
 * @example
 * ```ts
 * chatUsage(response); // { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 }
 * ```
 */
export function chatUsage(response: NeutralResponse): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const { inputTokens, outputTokens } = response.usage;
  return { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
}

/**
 * The `chat.completion` body answering a non-streamed request: one choice whose message has the
 * text (`null` when there is none and there are tool calls, as OpenAI sends it) and the tool
 * calls (arguments as JSON text), the finish reason mapped by {@link toOpenAiFinishReason}, and
 * usage. `model` is what the lead passes (the model of the backend that served), `id` and
 * `created` (Unix seconds) are the lead's too, so one response can be logged under one id.
 *
 * @example
 * ```ts
 * res.writeHead(200, { 'content-type': 'application/json' });
 * res.end(JSON.stringify(openAiChatCompletion(response, { id: 'chatcmpl-1', created: Math.floor(Date.now() / 1000), model: response.model })));
 * ```
 */
export function openAiChatCompletion(response: NeutralResponse, opts: { id: string; created: number; model: string }): object {
  const toolCalls = chatToolCalls(response);
  return {
    id: opts.id,
    object: 'chat.completion',
    created: opts.created,
    model: opts.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: toolCalls.length > 0 && !response.text ? null : response.text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: toOpenAiFinishReason(response.stopReason),
      },
    ],
    usage: chatUsage(response),
  };
}
