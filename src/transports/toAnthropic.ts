import type Anthropic from '@anthropic-ai/sdk';
import type { BackendEntry } from '../config/routerConfig.js';
import type { NeutralMessage, NeutralPart, NeutralRequest } from './neutral.js';

/**
 * The Messages API request for a neutral request (without `stream`; the caller adds it).
 *
 * - `system` → the top-level `system` string (omitted when absent or empty);
 * - each message keeps its role; parts become content blocks: `text` → `{type:'text'}`,
 *   `tool_call` → `{type:'tool_use', id, name, input}`, `tool_result` →
 *   `{type:'tool_result', tool_use_id, content, is_error}`;
 * - in a user message the tool results are moved before its text, in their order: the API
 *   rejects a user message whose text precedes the results of the previous turn's tool calls;
 * - empty text parts are dropped: the API rejects empty text blocks, and a history that came from
 *   an OpenAI-compatible backend (an assistant turn with `content: ""` and tool calls) has them;
 * - `maxTokens` → `max_tokens`, `temperature` when set, `tools` → `{name, description, input_schema}`.
 *
 * @example
 * ```ts
 * toAnthropicParams(entry, { system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 64 });
 * // { model: entry.model, max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }
 * ```
 */
export function toAnthropicParams(entry: BackendEntry, request: NeutralRequest): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: entry.model,
    max_tokens: request.maxTokens,
    ...(request.system ? { system: request.system } : {}),
    messages: request.messages.map(toAnthropicMessage),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.tools && request.tools.length > 0
      ? {
          tools: request.tools.map(
            (tool): Anthropic.Tool => ({
              name: tool.name,
              ...(tool.description !== undefined ? { description: tool.description } : {}),
              input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
            }),
          ),
        }
      : {}),
  };
}

function toAnthropicMessage(message: NeutralMessage): Anthropic.MessageParam {
  const parts = message.content.filter((part) => part.type !== 'text' || part.text.length > 0);
  const ordered =
    message.role === 'user'
      ? [...parts.filter((part) => part.type === 'tool_result'), ...parts.filter((part) => part.type !== 'tool_result')]
      : parts;
  return { role: message.role, content: ordered.map(toBlock) } as Anthropic.MessageParam;
}

function toBlock(part: NeutralPart): Anthropic.ContentBlockParam {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: part.input ?? {} };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: part.toolCallId,
        content: part.content,
        ...(part.isError !== undefined ? { is_error: part.isError } : {}),
      };
  }
}
