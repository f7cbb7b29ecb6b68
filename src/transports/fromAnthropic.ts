import type Anthropic from '@anthropic-ai/sdk';
import type { BackendEntry } from '../config/routerConfig.js';
import type { NeutralResponse } from './neutral.js';
import { anthropicStopReason } from './stopReason.js';

/**
 * Anthropic usage as neutral usage. Input tokens include the cache's (`cache_creation_input_tokens`
 * and `cache_read_input_tokens`, which Anthropic counts apart from `input_tokens`), so the figure
 * means the same as OpenAI's `prompt_tokens`, which includes cached tokens.
 *
 * @example
 * ```ts
 * anthropicUsage({ input_tokens: 3, cache_read_input_tokens: 100, output_tokens: 5 }); // { inputTokens: 103, outputTokens: 5 }
 * ```
 */
export function anthropicUsage(usage: {
  readonly input_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  readonly output_tokens?: number | null;
} | null | undefined): NeutralResponse['usage'] {
  return {
    inputTokens: (usage?.input_tokens ?? 0) + (usage?.cache_creation_input_tokens ?? 0) + (usage?.cache_read_input_tokens ?? 0),
    outputTokens: usage?.output_tokens ?? 0,
  };
}

/**
 * The neutral response for a Messages API message that passed `checkAnthropicMessage`: text
 * blocks joined, `tool_use` blocks as tool calls (their `input` is already parsed JSON), other
 * blocks (`thinking` …) left out, the stop reason mapped, usage, the model the backend named
 * (the entry's when it named none) and the entry's label.
 *
 * @example
 * ```ts
 * const message = await client.messages.create(params);
 * if (!checkAnthropicMessage(message)) return fromAnthropicMessage(entry, message).text;
 * ```
 */
export function fromAnthropicMessage(entry: BackendEntry, message: Anthropic.Message): NeutralResponse {
  let text = '';
  const toolCalls: { id: string; name: string; input: unknown }[] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, input: block.input ?? {} });
  }
  return {
    text,
    toolCalls,
    stopReason: anthropicStopReason(message.stop_reason),
    usage: anthropicUsage(message.usage),
    model: typeof message.model === 'string' && message.model ? message.model : entry.model,
    servedBy: entry.label,
  };
}
