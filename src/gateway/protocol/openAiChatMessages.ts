import type { NeutralMessage, NeutralPart } from '../../transports/neutral.js';
import { DEFAULT_MAX_REQUEST_DEPTH } from '../../router/requestLimits.js';
import { parseToolInput, toolInputTooDeep } from '../../transports/toolInput.js';
import { isRecord } from '../../util/isRecord.js';
import { at, invalid, unsupported } from './fieldErrors.js';
import { readArray, readRecord, readString } from './fieldReaders.js';
import { mergeConsecutive } from './mergeMessages.js';

const MEDIA_PARTS = new Set(['image_url', 'input_audio', 'file']);

/**
 * The neutral system prompt and messages of a Chat Completions `messages` array.
 *
 * - `system` and `developer` messages become the system prompt, joined with blank lines, wherever
 *   they stand: the neutral form has one system prompt, as Anthropic does;
 * - `user` text (a string or `text` parts) → text parts; image, audio and file parts are refused;
 * - `assistant` text (and `refusal` parts, which are what the assistant said) → text parts, each
 *   `tool_calls[]` entry → a `tool_call` part whose input is its `arguments` parsed (it must be a
 *   JSON object, as Anthropic's `tool_use.input` must be);
 * - `tool` messages → `tool_result` parts (`tool_call_id`, text content) on a user message;
 * - empty text adds no part, and consecutive messages of one neutral role are merged, so
 *   `assistant, tool, tool, user` becomes `assistant, user` with both results and the text.
 *
 * The Chat Completions API has no `is_error` flag, so tool results never carry `isError`.
 *
 * @example
 * ```ts
 * chatMessages([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], 'messages');
 * // { system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }
 * ```
 */
export function chatMessages(value: unknown, path: string): { system?: string; messages: NeutralMessage[] } {
  const list = readArray(value, path, 'a non-empty array of messages');
  const systems: string[] = [];
  const messages: NeutralMessage[] = [];
  list.forEach((item, index) => {
    const here = at(path, index);
    const message = readRecord(item, here, 'a message object');
    const role = message['role'];
    switch (role) {
      case 'system':
      case 'developer':
        systems.push(textOf(message['content'], at(here, 'content')));
        return;
      case 'user':
        messages.push({ role: 'user', content: userParts(message['content'], at(here, 'content')) });
        return;
      case 'assistant':
        messages.push({ role: 'assistant', content: assistantParts(message, here) });
        return;
      case 'tool':
        messages.push({
          role: 'user',
          content: [
            {
              type: 'tool_result',
              toolCallId: readString(message['tool_call_id'], at(here, 'tool_call_id'), { nonEmpty: true }),
              content: textOf(message['content'], at(here, 'content')),
            },
          ],
        });
        return;
      case 'function':
        return unsupported(at(here, 'role'), role, 'legacy function messages; send tool messages with tool_call_id');
      default:
        return invalid(at(here, 'role'), role, '"system", "developer", "user", "assistant" or "tool"');
    }
  });
  const merged = mergeConsecutive(messages);
  if (merged.length === 0) invalid(path, value, 'at least one user, assistant or tool message besides system messages');
  const system = systems.filter((text) => text.length > 0).join('\n\n');
  return { ...(system ? { system } : {}), messages: merged };
}

/** Text of a system or tool message: a string, or `text` parts joined with newlines. */
function textOf(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) invalid(path, content, 'a string or an array of text parts');
  return content.map((part, index) => textPart(part, at(path, index), [])).join('\n');
}

function userParts(content: unknown, path: string): NeutralPart[] {
  if (typeof content === 'string') return textParts([content]);
  if (!Array.isArray(content)) invalid(path, content, 'a string or an array of content parts');
  return textParts(content.map((part, index) => textPart(part, at(path, index), [])));
}

function assistantParts(message: Record<string, unknown>, path: string): NeutralPart[] {
  const content = message['content'];
  const contentPath = at(path, 'content');
  let texts: string[] = [];
  if (typeof content === 'string') texts = [content];
  else if (Array.isArray(content)) texts = content.map((part, index) => textPart(part, at(contentPath, index), ['refusal']));
  else if (content !== undefined && content !== null) invalid(contentPath, content, 'a string, an array of text parts, or null');
  if (message['function_call'] !== undefined && message['function_call'] !== null) {
    unsupported(at(path, 'function_call'), message['function_call'], 'legacy function calling; send tool_calls');
  }
  const calls = message['tool_calls'];
  const toolCalls =
    calls === undefined || calls === null
      ? []
      : readArray(calls, at(path, 'tool_calls'), 'an array of tool calls').map((call, index) => toolCall(call, at(at(path, 'tool_calls'), index)));
  return [...textParts(texts), ...toolCalls];
}

/**
 * The text of one content part. `extra` names the other part types whose text counts (an
 * assistant's `refusal`); media parts are refused as unsupported, anything else as invalid.
 */
function textPart(part: unknown, path: string, extra: readonly string[]): string {
  const record = readRecord(part, path, 'a content part object');
  const type = record['type'];
  if (type === 'text') return readString(record['text'], at(path, 'text'));
  if (typeof type === 'string' && extra.includes(type)) return readString(record[type], at(path, type));
  if (typeof type === 'string' && MEDIA_PARTS.has(type)) {
    unsupported(at(path, 'type'), type, 'only text content is routed; the backends may not accept media');
  }
  return invalid(at(path, 'type'), type, extra.length > 0 ? `"text" or ${extra.map((t) => `"${t}"`).join(' or ')}` : '"text"');
}

function textParts(texts: readonly string[]): NeutralPart[] {
  return texts.filter((text) => text.length > 0).map((text) => ({ type: 'text', text }));
}

function toolCall(value: unknown, path: string): NeutralPart {
  const call = readRecord(value, path, 'a tool call object');
  const type = call['type'];
  if (type !== undefined && type !== 'function') {
    if (typeof type === 'string') unsupported(at(path, 'type'), type, 'only function tool calls are routed');
    invalid(at(path, 'type'), type, '"function"');
  }
  const fn = readRecord(call['function'], at(path, 'function'), 'an object with name and arguments');
  const argumentsPath = at(at(path, 'function'), 'arguments');
  const json = readString(fn['arguments'], argumentsPath);
  const parsed = parseToolInput(json);
  if (!parsed.ok || !isRecord(parsed.input)) invalid(argumentsPath, json, 'a JSON object encoded as a string');
  // Inside a string the body's depth scan cannot see it: named here, by the field the client sent.
  if (toolInputTooDeep(parsed.input) !== undefined) invalid(argumentsPath, json, `a JSON object nested at most ${DEFAULT_MAX_REQUEST_DEPTH} levels of objects and arrays deep`);
  return {
    type: 'tool_call',
    id: readString(call['id'], at(path, 'id'), { nonEmpty: true }),
    name: readString(fn['name'], at(at(path, 'function'), 'name'), { nonEmpty: true }),
    input: parsed.input,
  };
}
