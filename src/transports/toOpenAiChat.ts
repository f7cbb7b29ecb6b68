import type OpenAI from 'openai';
import type { BackendEntry } from '../config/routerConfig.js';
import type { NeutralMessage, NeutralRequest } from './neutral.js';

/**
 * The prefix a failed tool result gets on the Chat Completions API, which has no `is_error`
 * flag: without it the model cannot tell a failed call from a successful one.
 *
 * @example
 * ```ts
 * `${TOOL_ERROR_PREFIX}file not found`; // what the `tool` message says for an isError result
 * ```
 */
export const TOOL_ERROR_PREFIX = '[tool error] ';

/**
 * The Chat Completions request for a neutral request (without `stream`; the caller adds it).
 *
 * - `system` → a first `{role:'system'}` message (omitted when absent or empty);
 * - an assistant message → `{role:'assistant', content, tool_calls}` where `content` is its text
 *   parts joined (`null` when it has only tool calls) and each tool call is
 *   `{id, type:'function', function:{name, arguments: JSON.stringify(input)}}`;
 * - a user message → first one `{role:'tool', tool_call_id, content}` message per tool result
 *   (they must directly follow the assistant message that made the calls; an `isError` result's
 *   content is prefixed with {@link TOOL_ERROR_PREFIX}), then one user message with its text
 *   parts joined by a newline, if it has any;
 * - `maxTokens` → `max_tokens` (what OpenAI-compatible servers accept; OpenAI's own reasoning
 *   models want `max_completion_tokens`), `temperature` when set, `tools` →
 *   `{type:'function', function:{name, description, parameters}}`.
 *
 * @example
 * ```ts
 * toChatParams(entry, { system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 64 });
 * // { model: entry.model, max_tokens: 64, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }
 * ```
 */
export function toChatParams(entry: BackendEntry, request: NeutralRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(...toChatMessages(message));
  return {
    model: entry.model,
    max_tokens: request.maxTokens,
    messages,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.tools && request.tools.length > 0
      ? {
          tools: request.tools.map(
            (tool): OpenAI.Chat.ChatCompletionFunctionTool => ({
              type: 'function',
              function: {
                name: tool.name,
                ...(tool.description !== undefined ? { description: tool.description } : {}),
                parameters: tool.inputSchema as Record<string, unknown>,
              },
            }),
          ),
        }
      : {}),
  };
}

function toChatMessages(message: NeutralMessage): OpenAI.Chat.ChatCompletionMessageParam[] {
  const text = message.content
    .flatMap((part) => (part.type === 'text' ? [part.text] : []))
    .join('\n');
  if (message.role === 'assistant') {
    const toolCalls = message.content.flatMap((part) =>
      part.type === 'tool_call'
        ? [{ id: part.id, type: 'function' as const, function: { name: part.name, arguments: JSON.stringify(part.input ?? {}) } }]
        : [],
    );
    return [
      {
        role: 'assistant',
        content: toolCalls.length > 0 && !text ? null : text,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      },
    ];
  }
  const results = message.content.flatMap((part): OpenAI.Chat.ChatCompletionToolMessageParam[] =>
    part.type === 'tool_result'
      ? [{ role: 'tool', tool_call_id: part.toolCallId, content: part.isError ? `${TOOL_ERROR_PREFIX}${part.content}` : part.content }]
      : [],
  );
  const hasText = message.content.some((part) => part.type === 'text');
  return [...results, ...(hasText || results.length === 0 ? [{ role: 'user' as const, content: text }] : [])];
}
