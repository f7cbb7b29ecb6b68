import type { NeutralMessage, NeutralPart } from '../../transports/neutral.js';
import { at, invalid, unsupported } from './fieldErrors.js';
import { readArray, readOptionalBoolean, readRecord, readString } from './fieldReaders.js';
import { mergeConsecutive } from './mergeMessages.js';

// Blocks the gateway knows but cannot route: media and documents need a backend that reads them,
// and server-side tool blocks only mean something to the Anthropic API that ran the tool.
const UNSUPPORTED_BLOCKS = new Set([
  'image', 'document', 'search_result', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result',
  'code_execution_tool_result', 'bash_code_execution_tool_result', 'text_editor_code_execution_tool_result',
  'mcp_tool_use', 'mcp_tool_result', 'container_upload',
]);

// Reasoning from an earlier answer: dropped from history, since the gateway never asks a backend
// for thinking and non-Anthropic backends could not take the signed blocks back anyway.
const DROPPED_BLOCKS = new Set(['thinking', 'redacted_thinking']);

/**
 * The neutral messages of a Messages API `messages` array.
 *
 * - content is a string or blocks: `text` → text parts (empty text adds none), `tool_use` →
 *   `tool_call` parts (in assistant messages), `tool_result` → `tool_result` parts (in user
 *   messages; content a string or `text` blocks joined with newlines, `is_error` kept);
 * - `thinking` and `redacted_thinking` blocks are dropped; images, documents and server-tool
 *   blocks are refused; `cache_control` and `citations` are ignored;
 * - consecutive messages of one role are merged, and a trailing assistant message stays last:
 *   it is a prefill the answer must continue.
 *
 * @example
 * ```ts
 * anthropicMessages([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello,' }], 'messages');
 * // [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }, { role: 'assistant', content: [{ type: 'text', text: 'Hello,' }] }]
 * ```
 */
export function anthropicMessages(value: unknown, path: string): NeutralMessage[] {
  const list = readArray(value, path, 'a non-empty array of messages');
  if (list.length === 0) invalid(path, value, 'a non-empty array of messages');
  return mergeConsecutive(
    list.map((item, index): NeutralMessage => {
      const here = at(path, index);
      const message = readRecord(item, here, 'a message object');
      const role = message['role'];
      if (role !== 'user' && role !== 'assistant') invalid(at(here, 'role'), role, '"user" or "assistant"');
      return { role, content: contentParts(message['content'], at(here, 'content'), role) };
    }),
  );
}

function contentParts(content: unknown, path: string, role: NeutralMessage['role']): NeutralPart[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) invalid(path, content, 'a string or an array of content blocks');
  return content.flatMap((block, index) => blockParts(block, at(path, index), role));
}

function blockParts(value: unknown, path: string, role: NeutralMessage['role']): NeutralPart[] {
  const block = readRecord(value, path, 'a content block object');
  const type = block['type'];
  if (type === 'text') {
    const text = readString(block['text'], at(path, 'text'));
    return text ? [{ type: 'text', text }] : [];
  }
  if (type === 'tool_use' && role === 'assistant') {
    return [
      {
        type: 'tool_call',
        id: readString(block['id'], at(path, 'id'), { nonEmpty: true }),
        name: readString(block['name'], at(path, 'name'), { nonEmpty: true }),
        input: readRecord(block['input'], at(path, 'input'), 'an object'),
      },
    ];
  }
  if (type === 'tool_result' && role === 'user') {
    const isError = readOptionalBoolean(block['is_error'], at(path, 'is_error'));
    return [
      {
        type: 'tool_result',
        toolCallId: readString(block['tool_use_id'], at(path, 'tool_use_id'), { nonEmpty: true }),
        content: toolResultText(block['content'], at(path, 'content')),
        ...(isError !== undefined ? { isError } : {}),
      },
    ];
  }
  if (typeof type === 'string' && DROPPED_BLOCKS.has(type) && role === 'assistant') return [];
  if (typeof type === 'string' && UNSUPPORTED_BLOCKS.has(type)) {
    unsupported(at(path, 'type'), type, 'only text, tool_use and tool_result blocks are routed');
  }
  return invalid(at(path, 'type'), type, role === 'user' ? '"text" or "tool_result" in a user message' : '"text", "tool_use" or "thinking" in an assistant message');
}

function toolResultText(content: unknown, path: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) invalid(path, content, 'a string or an array of text blocks');
  return content
    .map((value, index) => {
      const here = at(path, index);
      const block = readRecord(value, here, 'a text block object');
      if (block['type'] === 'text') return readString(block['text'], at(here, 'text'));
      if (typeof block['type'] === 'string' && UNSUPPORTED_BLOCKS.has(block['type'])) {
        unsupported(at(here, 'type'), block['type'], 'only text tool results are routed');
      }
      return invalid(at(here, 'type'), block['type'], '"text"');
    })
    .join('\n');
}
