/**
 * The OpenAI side of the gateway's protocol, proved against the real `openai` SDK: a test server
 * on 127.0.0.1 answers with what the writers produce, and the SDK must read it as it reads
 * OpenAI: completions, streamed chunks (its own iteration and its `stream()` helper), error
 * bodies as its error classes, a mid-stream error as a thrown `APIError`, and the models list.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  createOpenAiChatStream,
  modelsList,
  openAiChatCompletion,
  openAiError,
  parseOpenAiChatRequest,
} from '../../../src/gateway/protocol/index.js';
import type { NeutralResponse } from '../../../src/transports/neutral.js';
import { BACKEND_MODEL, textAnswer, toolAnswer, toolOnlyAnswer } from './fixtures.js';
import { useWireServer, type SeenRequest, type WireReply } from './wireServer.js';
import { CONDITION_BOUND_MS } from '../../support/virtualTimers.js';

const CREATED = 1_722_000_000;
const hi = [{ role: 'user' as const, content: 'Hi' }];

function client(url: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0, timeout: CONDITION_BOUND_MS });
}

/** What a gateway would answer a streamed request with: parse it, then stream `response`. */
function streamed(response: NeutralResponse, deltas: readonly string[]): (request: SeenRequest) => WireReply {
  return (request) => {
    const parsed = parseOpenAiChatRequest(request.body);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const stream = createOpenAiChatStream({ id: 'chatcmpl-s1', created: CREATED, model: BACKEND_MODEL, includeUsage: parsed.includeUsage });
    return { kind: 'sse', chunks: [stream.start(), ...deltas.map((d) => stream.text(d)), stream.finish(response)] };
  };
}

describe('gateway protocol: OpenAI Chat Completions through the openai SDK', () => {
  const server = useWireServer();

  describe('non-streamed answers', () => {
    it('a text answer reads as a completion with its id, model, created, text, finish reason and usage', async () => {
      server.current.reply({ kind: 'json', body: openAiChatCompletion(textAnswer, { id: 'chatcmpl-1', created: CREATED, model: BACKEND_MODEL }) });
      const completion = await client(server.current.url).chat.completions.create({ model: 'gw-model', messages: hi });
      expect(completion.id).toBe('chatcmpl-1');
      expect(completion.object).toBe('chat.completion');
      expect(completion.created).toBe(CREATED);
      expect(completion.model).toBe(BACKEND_MODEL);
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello there, friend.' });
      expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.usage).toEqual({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
    });

    it('tool calls read with their ids, names and arguments that parse back to the input; finish reason tool_calls', async () => {
      server.current.reply({ kind: 'json', body: openAiChatCompletion(toolAnswer, { id: 'chatcmpl-2', created: CREATED, model: BACKEND_MODEL }) });
      const completion = await client(server.current.url).chat.completions.create({ model: 'gw-model', messages: hi });
      const message = completion.choices[0]?.message;
      expect(message?.content).toBe('Let me look.');
      const calls = (message?.tool_calls ?? []).map((call) => {
        if (call.type !== 'function') throw new Error(`unexpected tool call type ${call.type}`);
        return { id: call.id, name: call.function.name, input: JSON.parse(call.function.arguments) as unknown };
      });
      expect(calls).toEqual(toolAnswer.toolCalls);
      expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
      expect(completion.usage).toEqual({ prompt_tokens: 40, completion_tokens: 17, total_tokens: 57 });
    });

    it('tool calls without text have content null, as OpenAI sends them', async () => {
      server.current.reply({ kind: 'json', body: openAiChatCompletion(toolOnlyAnswer, { id: 'chatcmpl-3', created: CREATED, model: BACKEND_MODEL }) });
      const completion = await client(server.current.url).chat.completions.create({ model: 'gw-model', messages: hi });
      expect(completion.choices[0]?.message.content).toBeNull();
      expect(completion.choices[0]?.message.tool_calls).toHaveLength(2);
    });

    const finishReasons: [NeutralResponse['stopReason'], string][] = [
      ['end_turn', 'stop'],
      ['max_tokens', 'length'],
      ['tool_use', 'tool_calls'],
      ['stop_sequence', 'stop'],
      ['other', 'stop'],
    ];
    for (const [stopReason, finishReason] of finishReasons) {
      it(`stop reason ${stopReason} reads as finish_reason ${finishReason}, in JSON and in a stream`, async () => {
        const answer = { ...textAnswer, stopReason };
        server.current.reply({ kind: 'json', body: openAiChatCompletion(answer, { id: 'chatcmpl-4', created: CREATED, model: BACKEND_MODEL }) });
        server.current.reply(streamed(answer, ['Hi']));
        const openai = client(server.current.url);
        const completion = await openai.chat.completions.create({ model: 'gw-model', messages: hi });
        expect(completion.choices[0]?.finish_reason).toBe(finishReason);
        const finishes: string[] = [];
        for await (const chunk of await openai.chat.completions.create({ model: 'gw-model', messages: hi, stream: true })) {
          for (const choice of chunk.choices) if (choice.finish_reason) finishes.push(choice.finish_reason);
        }
        expect(finishes).toEqual([finishReason]);
      });
    }
  });

  describe('streamed answers', () => {
    it('with include_usage, the chunks carry the text deltas in order, the tool calls, the finish reason, then usage with no choices', async () => {
      server.current.reply(streamed(toolAnswer, ['Let ', 'me ', 'look.']));
      const stream = await client(server.current.url).chat.completions.create({
        model: 'gw-model', messages: hi, stream: true, stream_options: { include_usage: true },
      });
      const deltas: string[] = [];
      const calls: { id?: string; name?: string; arguments?: string }[] = [];
      const finishes: string[] = [];
      const usages: unknown[] = [];
      let lastChunkChoices = -1;
      for await (const chunk of stream) {
        expect(chunk.id).toBe('chatcmpl-s1');
        expect(chunk.model).toBe(BACKEND_MODEL);
        expect(chunk.object).toBe('chat.completion.chunk');
        for (const choice of chunk.choices) {
          if (choice.delta.content) deltas.push(choice.delta.content);
          for (const call of choice.delta.tool_calls ?? []) {
            calls[call.index] = { id: call.id, name: call.function?.name, arguments: call.function?.arguments };
          }
          if (choice.finish_reason) finishes.push(choice.finish_reason);
        }
        if (chunk.usage) usages.push(chunk.usage);
        lastChunkChoices = chunk.choices.length;
      }
      expect(deltas).toEqual(['Let ', 'me ', 'look.']);
      expect(calls.map((c) => ({ id: c.id, name: c.name, input: JSON.parse(c.arguments ?? '') as unknown }))).toEqual(toolAnswer.toolCalls);
      expect(finishes).toEqual(['tool_calls']);
      expect(usages).toEqual([{ prompt_tokens: 40, completion_tokens: 17, total_tokens: 57 }]);
      expect(lastChunkChoices).toBe(0);
    });

    it('without include_usage, no chunk carries usage and the raw stream still ends with [DONE]', async () => {
      server.current.reply(streamed(textAnswer, ['Hello there, ', 'friend.']));
      const openai = client(server.current.url);
      const usages: unknown[] = [];
      let text = '';
      for await (const chunk of await openai.chat.completions.create({ model: 'gw-model', messages: hi, stream: true })) {
        if (chunk.usage) usages.push(chunk.usage);
        text += chunk.choices[0]?.delta.content ?? '';
      }
      expect(text).toBe('Hello there, friend.');
      expect(usages).toEqual([]);

      const raw = createOpenAiChatStream({ id: 'c', created: CREATED, model: 'm', includeUsage: false });
      const body = raw.start() + raw.text('x') + raw.finish({ ...textAnswer, text: 'x' });
      expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(body).not.toContain('"usage"');
    });

    it("the SDK's stream() helper assembles the final completion: text, tool calls with arguments, finish reason, usage", async () => {
      server.current.reply(streamed(toolAnswer, ['Let me', ' look.']));
      const final = await client(server.current.url)
        .chat.completions.stream({ model: 'gw-model', messages: hi, stream_options: { include_usage: true } })
        .finalChatCompletion();
      const message = final.choices[0]?.message;
      expect(message?.content).toBe('Let me look.');
      expect(message?.tool_calls?.map((call) => (call.type === 'function' ? [call.id, call.function.name, JSON.parse(call.function.arguments)] : [])))
        .toEqual(toolAnswer.toolCalls.map((call) => [call.id, call.name, call.input]));
      expect(final.choices[0]?.finish_reason).toBe('tool_calls');
      expect(final.usage).toEqual({ prompt_tokens: 40, completion_tokens: 17, total_tokens: 57 });
    });

    it('finish alone (no deltas streamed) still delivers the whole text', async () => {
      server.current.reply(streamed(textAnswer, []));
      const final = await client(server.current.url).chat.completions.stream({ model: 'gw-model', messages: hi }).finalChatCompletion();
      expect(final.choices[0]?.message.content).toBe('Hello there, friend.');
    });

    it('an error after some text makes the SDK throw an APIError with the message, after yielding the text', async () => {
      server.current.reply(() => {
        const stream = createOpenAiChatStream({ id: 'chatcmpl-e', created: CREATED, model: BACKEND_MODEL, includeUsage: false });
        return { kind: 'sse', chunks: [stream.start(), stream.text('Partial '), stream.error({ message: 'every backend is cooling down', type: 'server_error', code: 'no_healthy_backend' })] };
      });
      const seen: string[] = [];
      const consume = async (): Promise<void> => {
        for await (const chunk of await client(server.current.url).chat.completions.create({ model: 'gw-model', messages: hi, stream: true })) {
          seen.push(chunk.choices[0]?.delta.content ?? '');
        }
      };
      const error = await consume().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.message).toBe('every backend is cooling down');
      expect(apiError.status).toBeUndefined();
      expect(apiError.type).toBe('server_error');
      expect(apiError.code).toBe('no_healthy_backend');
      expect(seen.join('')).toBe('Partial ');
    });
  });

  describe('error bodies', () => {
    const cases: { status: number; errorClass: new (...args: never[]) => Error; type: string; code: string | null }[] = [
      { status: 400, errorClass: OpenAI.BadRequestError, type: 'invalid_request_error', code: null },
      { status: 401, errorClass: OpenAI.AuthenticationError, type: 'invalid_request_error', code: 'invalid_api_key' },
      { status: 403, errorClass: OpenAI.PermissionDeniedError, type: 'permission_error', code: null },
      { status: 404, errorClass: OpenAI.NotFoundError, type: 'invalid_request_error', code: null },
      { status: 429, errorClass: OpenAI.RateLimitError, type: 'requests', code: 'rate_limit_exceeded' },
      { status: 500, errorClass: OpenAI.InternalServerError, type: 'server_error', code: null },
      { status: 503, errorClass: OpenAI.InternalServerError, type: 'server_error', code: null },
    ];
    for (const { status, errorClass, type, code } of cases) {
      it(`${status} becomes ${errorClass.name} with the status, message, type and code`, async () => {
        server.current.reply({ kind: 'json', status, body: openAiError(status, `gateway says ${status}`) });
        const error = await client(server.current.url).chat.completions.create({ model: 'gw-model', messages: hi }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(errorClass);
        const apiError = error as InstanceType<typeof OpenAI.APIError>;
        expect(apiError.status).toBe(status);
        expect(apiError.message).toBe(`${status} gateway says ${status}`);
        expect(apiError.type).toBe(type);
        expect(apiError.code).toBe(code);
        expect(apiError.param).toBeNull();
      });
    }

    it('a request the parser refuses reaches the client as BadRequestError naming the field, with param set', async () => {
      server.current.reply((request) => {
        const parsed = parseOpenAiChatRequest(request.body);
        if (parsed.ok) throw new Error('expected a refusal');
        const { status, message, param } = parsed.error;
        return { kind: 'json', status, body: openAiError(status, message, param !== undefined ? { param } : {}) };
      });
      const error = await client(server.current.url).chat.completions.create({ model: 'gw-model', messages: hi, n: 3 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(apiError.status).toBe(400);
      expect(apiError.message).toMatch(/^400 n: 3 is not supported by this gateway \(.*one choice.*\)$/);
      expect(apiError.param).toBe('n');
      expect(apiError.type).toBe('invalid_request_error');
    });
  });

  it('GET /v1/models lists the models with their owners', async () => {
    server.current.reply({ kind: 'json', body: modelsList([{ id: 'fast' }, { id: 'smart', ownedBy: 'team' }], 'openai') });
    const ids: [string, string][] = [];
    for await (const model of client(server.current.url).models.list()) ids.push([model.id, model.owned_by]);
    expect(ids).toEqual([['fast', 'llm-health-router'], ['smart', 'team']]);
    expect(server.current.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
  });
});
