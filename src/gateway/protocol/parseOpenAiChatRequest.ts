import type { NeutralRequest } from '../../transports/neutral.js';
import { collectWireError, invalid } from './fieldErrors.js';
import { readOptionalBoolean, readOptionalInteger, readOptionalNumber, readRecord, readString } from './fieldReaders.js';
import { chatMessages } from './openAiChatMessages.js';
import { rejectUnsupportedChatOptions } from './openAiChatOptions.js';
import { chatTools } from './openAiChatTools.js';
import type { ParsedRequest } from './parsedRequest.js';

/**
 * The output budget of a Chat Completions request that names none: OpenAI lets the model run to
 * its limit, but the neutral request (and Anthropic) needs a number.
 *
 * @example
 * ```ts
 * parseOpenAiChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }); // request.maxTokens === DEFAULT_MAX_TOKENS
 * ```
 */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Reads a `POST /v1/chat/completions` body, as the `openai` SDK and other clients send it, into
 * a neutral request (see `chatMessages` for how messages map). `max_completion_tokens` wins
 * over `max_tokens` (the newer name; clients send one or the other), and
 * {@link DEFAULT_MAX_TOKENS} applies when both are absent. `temperature` is 0 to 2, as OpenAI
 * allows. `stream_options.include_usage` counts only for a streamed request.
 *
 * Every refusal is a 400 whose message names the JSON path, the value and what was expected,
 * and whose `param` is the path (OpenAI's error `param`). Options that would change the kind of
 * answer (`n` > 1, images, stop sequences, structured output …) are refused rather than ignored.
 *
 * @example
 * ```ts
 * const parsed = parseOpenAiChatRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream: true });
 * // { ok: true, model: 'gpt-4o', stream: true, includeUsage: false,
 * //   request: { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 4096, stream: true } }
 * parseOpenAiChatRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], n: 2 });
 * // { ok: false, error: { status: 400, message: 'n: 2 is not supported by this gateway (…)', param: 'n' } }
 * ```
 */
export function parseOpenAiChatRequest(body: unknown): ParsedRequest {
  const result = collectWireError(() => {
    const root = readRecord(body, '', 'a JSON object');
    const model = readString(root['model'], 'model', { nonEmpty: true });
    const { system, messages } = chatMessages(root['messages'], 'messages');
    const tools = chatTools(root['tools'], 'tools');
    rejectUnsupportedChatOptions(root, tools !== undefined);
    const maxTokens =
      readOptionalInteger(root['max_completion_tokens'], 'max_completion_tokens', 1) ??
      readOptionalInteger(root['max_tokens'], 'max_tokens', 1) ??
      DEFAULT_MAX_TOKENS;
    const temperature = readOptionalNumber(root['temperature'], 'temperature', 0, 2);
    const stream = readOptionalBoolean(root['stream'], 'stream') ?? false;
    const request: NeutralRequest = {
      ...(system !== undefined ? { system } : {}),
      messages,
      maxTokens,
      ...(temperature !== undefined ? { temperature } : {}),
      ...(tools !== undefined ? { tools } : {}),
      ...(stream ? { stream } : {}),
    };
    return { request, model, stream, includeUsage: stream && includeUsage(root['stream_options']) };
  });
  return result.ok ? { ok: true, ...result.value } : result;
}

function includeUsage(options: unknown): boolean {
  if (options === undefined || options === null) return false;
  const record = readRecord(options, 'stream_options', 'an object');
  const value = record['include_usage'];
  if (value !== undefined && value !== null && typeof value !== 'boolean') invalid('stream_options.include_usage', value, 'true or false');
  return value === true;
}
