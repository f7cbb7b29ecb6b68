import type { NeutralRequest } from '../../transports/neutral.js';
import { at, collectWireError, invalid, missing } from './fieldErrors.js';
import { readOptionalBoolean, readOptionalInteger, readOptionalNumber, readRecord, readString } from './fieldReaders.js';
import { anthropicMessages } from './anthropicMessages.js';
import { rejectUnsupportedAnthropicOptions } from './anthropicOptions.js';
import { anthropicTools } from './anthropicTools.js';
import type { ParsedRequest } from './parsedRequest.js';

/**
 * Reads a `POST /v1/messages` body, as `@anthropic-ai/sdk` and Claude Code send it, into a
 * neutral request (see `anthropicMessages` for how messages map). `max_tokens` is required, as
 * Anthropic requires it; `temperature` is 0 to 1, Anthropic's range; `system` is a string or
 * `text` blocks joined with blank lines (their `cache_control` is ignored). A trailing assistant
 * message is kept last: it is a prefill.
 *
 * Every refusal is a 400 whose message names the JSON path, the value and what was expected.
 * `includeUsage` is always true (Anthropic streams always report usage).
 *
 * @example
 * ```ts
 * parseAnthropicMessagesRequest({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });
 * // { ok: true, model: 'claude-sonnet-4-5', stream: false, includeUsage: true,
 * //   request: { system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 1024 } }
 * parseAnthropicMessagesRequest({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] });
 * // { ok: false, error: { status: 400, message: 'max_tokens: required field is missing (expected an integer of at least 1)', param: 'max_tokens' } }
 * ```
 */
export function parseAnthropicMessagesRequest(body: unknown): ParsedRequest {
  const result = collectWireError(() => {
    const root = readRecord(body, '', 'a JSON object');
    const model = readString(root['model'], 'model', { nonEmpty: true });
    const maxTokens = readOptionalInteger(root['max_tokens'], 'max_tokens', 1) ?? missing('max_tokens', 'an integer of at least 1');
    const system = systemText(root['system'], 'system');
    const messages = anthropicMessages(root['messages'], 'messages');
    const tools = anthropicTools(root['tools'], 'tools');
    rejectUnsupportedAnthropicOptions(root, tools !== undefined);
    const temperature = readOptionalNumber(root['temperature'], 'temperature', 0, 1);
    const stream = readOptionalBoolean(root['stream'], 'stream') ?? false;
    const request: NeutralRequest = {
      ...(system ? { system } : {}),
      messages,
      maxTokens,
      ...(temperature !== undefined ? { temperature } : {}),
      ...(tools !== undefined ? { tools } : {}),
      ...(stream ? { stream } : {}),
    };
    return { request, model, stream, includeUsage: true };
  });
  return result.ok ? { ok: true, ...result.value } : result;
}

function systemText(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) invalid(path, value, 'a string or an array of text blocks');
  return value
    .map((item, index) => {
      const here = at(path, index);
      const block = readRecord(item, here, 'a text block object');
      if (block['type'] !== 'text') invalid(at(here, 'type'), block['type'], '"text"');
      return readString(block['text'], at(here, 'text'));
    })
    .filter((text) => text.length > 0)
    .join('\n\n');
}
