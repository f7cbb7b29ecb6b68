/**
 * The writers' own contract, beyond what an SDK checks: every string is whole SSE events ending
 * with a blank line, the stream writers open themselves, never re-send text, and refuse to write
 * after the end; error bodies and model lists have exactly the shape each protocol uses.
 */
import { describe, expect, it } from 'vitest';
import {
  anthropicError,
  createAnthropicStream,
  createOpenAiChatStream,
  modelsList,
  openAiError,
} from '../../../src/gateway/protocol/index.js';
import { textAnswer, toolAnswer } from './fixtures.js';

/** The events of SSE text: each `{ event?, data }`, with `data` parsed when it is JSON. */
function events(text: string): { event?: string; data: unknown }[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length) ?? '';
      return { ...(event ? { event } : {}), data: data === '[DONE]' ? data : (JSON.parse(data) as unknown) };
    });
}

describe('createOpenAiChatStream', () => {
  const opts = { id: 'chatcmpl-1', created: 1_700_000_000, model: 'm', includeUsage: false };

  it('text() before start() writes the opening chunk first; an empty delta writes nothing', () => {
    const stream = createOpenAiChatStream(opts);
    const first = events(stream.text('Hi'));
    expect(first.map((e) => (e.data as { choices: { delta: unknown }[] }).choices[0]?.delta)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hi' }]);
    expect(stream.text('')).toBe('');
  });

  it('finish() sends only the text not yet streamed, and nothing more when the streamed text differs from the final text', () => {
    const resumed = createOpenAiChatStream(opts);
    resumed.start();
    resumed.text('Hello there');
    const contents = events(resumed.finish(textAnswer)).flatMap((e) =>
      e.data === '[DONE]' ? [] : [(e.data as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content],
    );
    expect(contents.filter((c) => c !== undefined)).toEqual([', friend.']);

    const diverged = createOpenAiChatStream(opts);
    diverged.text('Something else');
    expect(diverged.finish(textAnswer)).not.toContain('friend');
  });

  it('with includeUsage, every chunk before the usage chunk has usage null; without it, no chunk mentions usage', () => {
    const stream = createOpenAiChatStream({ ...opts, includeUsage: true });
    const all = events(stream.start() + stream.text('a') + stream.finish({ ...textAnswer, text: 'a' }));
    expect(all.map((e) => (e.data === '[DONE]' ? 'done' : (e.data as { usage: unknown }).usage))).toEqual([
      null, null, null, { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 }, 'done',
    ]);
    const plain = createOpenAiChatStream(opts);
    expect(plain.start() + plain.finish(toolAnswer)).not.toContain('usage');
  });

  it('each tool call is one chunk with its index, id, type, name and whole arguments', () => {
    const stream = createOpenAiChatStream(opts);
    stream.start();
    const calls = events(stream.finish(toolAnswer)).flatMap((e) =>
      e.data === '[DONE]' ? [] : ((e.data as { choices: { delta: { tool_calls?: unknown[] } }[] }).choices[0]?.delta.tool_calls ?? []),
    );
    expect(calls).toEqual([
      { index: 0, id: 'call_read', type: 'function', function: { name: 'read_file', arguments: JSON.stringify(toolAnswer.toolCalls[0]?.input) } },
      { index: 1, id: 'call_list', type: 'function', function: { name: 'list_dir', arguments: '{}' } },
    ]);
  });

  it('error() is one data chunk with the error object and no [DONE]; type defaults to server_error, code to null', () => {
    const stream = createOpenAiChatStream(opts);
    stream.start();
    const text = stream.error({ message: 'gone' });
    expect(events(text)).toEqual([{ data: { error: { message: 'gone', type: 'server_error', param: null, code: null } } }]);
    expect(text).not.toContain('[DONE]');
  });

  it('refuses to write after finish or error, and a second start', () => {
    const finished = createOpenAiChatStream(opts);
    finished.finish(textAnswer);
    expect(() => finished.text('x')).toThrow('OpenAiChatStream.text() after the stream ended (finish or error was called)');
    const failed = createOpenAiChatStream(opts);
    failed.error({ message: 'x' });
    expect(() => failed.finish(textAnswer)).toThrow('OpenAiChatStream.finish() after the stream ended');
    expect(() => failed.error({ message: 'y' })).toThrow('OpenAiChatStream.error() after the stream ended');
    const started = createOpenAiChatStream(opts);
    started.start();
    expect(() => started.start()).toThrow('OpenAiChatStream.start() called twice');
  });
});

describe('createAnthropicStream', () => {
  const opts = { id: 'msg_1', model: 'm' };

  it('start() is message_start with an empty message and zero usage; ping() before start() opens the message first', () => {
    expect(events(createAnthropicStream(opts).start())).toEqual([
      {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } },
        },
      },
    ]);
    expect(events(createAnthropicStream(opts).ping()).map((e) => e.event)).toEqual(['message_start', 'ping']);
  });

  it('every event name matches its data type, and the text block opens once', () => {
    const stream = createAnthropicStream(opts);
    const all = events(stream.text('a') + stream.text('') + stream.text('b') + stream.finish({ ...toolAnswer, text: 'ab' }));
    for (const e of all) expect((e.data as { type: string }).type).toBe(e.event);
    expect(all.map((e) => e.event)).toEqual([
      'message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ]);
    expect(all.at(-2)?.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 40, output_tokens: 17 } });
  });

  it('error() is an error event with the type and message; nothing may follow', () => {
    const stream = createAnthropicStream(opts);
    expect(events(stream.error({ type: 'overloaded_error', message: 'busy' }))).toEqual([
      { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } } },
    ]);
    expect(() => stream.ping()).toThrow('AnthropicStream.ping() after the stream ended (finish or error was called)');
    expect(() => stream.finish(textAnswer)).toThrow('AnthropicStream.finish() after the stream ended');
  });
});

describe('error bodies', () => {
  it('openAiError has message, type, param and code, null when absent, defaults by status, overridable', () => {
    expect(openAiError(400, 'bad', { param: 'n' })).toEqual({ error: { message: 'bad', type: 'invalid_request_error', param: 'n', code: null } });
    expect(openAiError(401, 'who')).toEqual({ error: { message: 'who', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(openAiError(429, 'slow')).toEqual({ error: { message: 'slow', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    expect(openAiError(502, 'down')).toEqual({ error: { message: 'down', type: 'server_error', param: null, code: null } });
    expect(openAiError(503, 'cooling', { type: 'service_unavailable', code: 'no_healthy_backend' })).toEqual({
      error: { message: 'cooling', type: 'service_unavailable', param: null, code: 'no_healthy_backend' },
    });
  });

  it("anthropicError uses Anthropic's type for each status, or the one given", () => {
    const types = [400, 401, 402, 403, 404, 413, 422, 429, 500, 502, 503, 504, 529].map((status) => [status, anthropicError(status, 'x').error.type]);
    expect(types).toEqual([
      [400, 'invalid_request_error'], [401, 'authentication_error'], [402, 'billing_error'], [403, 'permission_error'],
      [404, 'not_found_error'], [413, 'request_too_large'], [422, 'invalid_request_error'], [429, 'rate_limit_error'],
      [500, 'api_error'], [502, 'api_error'], [503, 'overloaded_error'], [504, 'timeout_error'], [529, 'overloaded_error'],
    ]);
    expect(anthropicError(500, 'busy', 'overloaded_error')).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } });
  });
});

describe('modelsList', () => {
  it('OpenAI: a list of model objects with owners', () => {
    expect(modelsList([{ id: 'a' }, { id: 'b', ownedBy: 'me' }], 'openai')).toEqual({
      object: 'list',
      data: [
        { id: 'a', object: 'model', created: 0, owned_by: 'llm-health-router' },
        { id: 'b', object: 'model', created: 0, owned_by: 'me' },
      ],
    });
  });

  it('Anthropic: a single page with first and last ids (null when there are no models)', () => {
    expect(modelsList([{ id: 'a' }, { id: 'b' }], 'anthropic')).toEqual({
      data: [
        { type: 'model', id: 'a', display_name: 'a', created_at: '1970-01-01T00:00:00Z' },
        { type: 'model', id: 'b', display_name: 'b', created_at: '1970-01-01T00:00:00Z' },
      ],
      has_more: false,
      first_id: 'a',
      last_id: 'b',
    });
    expect(modelsList([], 'anthropic')).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });
});
