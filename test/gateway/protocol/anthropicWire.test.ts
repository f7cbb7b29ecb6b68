/**
 * The Anthropic side of the gateway's protocol, proved against the real `@anthropic-ai/sdk`: a
 * test server on 127.0.0.1 answers with what the writers produce, and the SDK must read it as it
 * reads Anthropic: messages, streams through its `messages.stream()` helper and raw iteration,
 * error bodies as its error classes, a stream `error` event as a thrown error, and the models list.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import {
  anthropicError,
  anthropicMessage,
  createAnthropicStream,
  modelsList,
  parseAnthropicMessagesRequest,
} from '../../../src/gateway/protocol/index.js';
import type { NeutralResponse } from '../../../src/transports/neutral.js';
import { BACKEND_MODEL, textAnswer, toolAnswer, toolOnlyAnswer } from './fixtures.js';
import { useWireServer, type SeenRequest, type WireReply } from './wireServer.js';
import { CONDITION_BOUND_MS } from '../../support/virtualTimers.js';

const hi = [{ role: 'user' as const, content: 'Hi' }];

function client(url: string): Anthropic {
  return new Anthropic({ baseURL: url, apiKey: 'x', maxRetries: 0, timeout: CONDITION_BOUND_MS });
}

/** What a gateway would answer a streamed request with: parse it, ping, then stream `response`. */
function streamed(response: NeutralResponse, deltas: readonly string[]): (request: SeenRequest) => WireReply {
  return (request) => {
    const parsed = parseAnthropicMessagesRequest(request.body);
    if (!parsed.ok || !parsed.stream) throw new Error('expected a streamed request');
    const stream = createAnthropicStream({ id: 'msg_s1', model: BACKEND_MODEL });
    return { kind: 'sse', chunks: [stream.start(), stream.ping(), ...deltas.map((d) => stream.text(d)), stream.finish(response)] };
  };
}

describe('gateway protocol: Anthropic Messages through @anthropic-ai/sdk', () => {
  const server = useWireServer();

  describe('non-streamed answers', () => {
    it('a text answer reads as a message with its id, model, text block, stop reason and usage', async () => {
      server.current.reply({ kind: 'json', body: anthropicMessage(textAnswer, { id: 'msg_1', model: BACKEND_MODEL }) });
      const message = await client(server.current.url).messages.create({ model: 'gw-model', max_tokens: 64, messages: hi });
      expect(message).toMatchObject({ id: 'msg_1', type: 'message', role: 'assistant', model: BACKEND_MODEL, stop_reason: 'end_turn', stop_sequence: null });
      expect(message.content).toEqual([{ type: 'text', text: 'Hello there, friend.' }]);
      expect(message.usage).toEqual({ input_tokens: 12, output_tokens: 5 });
    });

    it('tool calls read as tool_use blocks after the text, with their input as objects; stop reason tool_use', async () => {
      server.current.reply({ kind: 'json', body: anthropicMessage(toolAnswer, { id: 'msg_2', model: BACKEND_MODEL }) });
      const message = await client(server.current.url).messages.create({ model: 'gw-model', max_tokens: 64, messages: hi });
      expect(message.content).toEqual([
        { type: 'text', text: 'Let me look.' },
        ...toolAnswer.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.input })),
      ]);
      expect(message.stop_reason).toBe('tool_use');
      expect(message.usage).toEqual({ input_tokens: 40, output_tokens: 17 });
    });

    it('tool calls without text carry no empty text block (Anthropic rejects one sent back)', async () => {
      server.current.reply({ kind: 'json', body: anthropicMessage(toolOnlyAnswer, { id: 'msg_3', model: BACKEND_MODEL }) });
      const message = await client(server.current.url).messages.create({ model: 'gw-model', max_tokens: 64, messages: hi });
      expect(message.content.map((block) => block.type)).toEqual(['tool_use', 'tool_use']);
    });

    const stopReasons: [NeutralResponse['stopReason'], string][] = [
      ['end_turn', 'end_turn'],
      ['max_tokens', 'max_tokens'],
      ['tool_use', 'tool_use'],
      ['stop_sequence', 'stop_sequence'],
      ['other', 'end_turn'],
    ];
    for (const [stopReason, wire] of stopReasons) {
      it(`stop reason ${stopReason} reads as ${wire}, in JSON and in a stream`, async () => {
        const answer = { ...textAnswer, stopReason };
        server.current.reply({ kind: 'json', body: anthropicMessage(answer, { id: 'msg_4', model: BACKEND_MODEL }) });
        server.current.reply(streamed(answer, ['Hi']));
        const anthropic = client(server.current.url);
        expect((await anthropic.messages.create({ model: 'gw-model', max_tokens: 64, messages: hi })).stop_reason).toBe(wire);
        expect((await anthropic.messages.stream({ model: 'gw-model', max_tokens: 64, messages: hi }).finalMessage()).stop_reason).toBe(wire);
      });
    }
  });

  describe('streamed answers', () => {
    it('messages.stream() yields the text deltas in order and finalMessage() has text, tool_use inputs, stop reason and usage from message_delta', async () => {
      server.current.reply(streamed(toolAnswer, ['Let ', 'me ', 'look.']));
      const stream = client(server.current.url).messages.stream({ model: 'gw-model', max_tokens: 64, messages: hi });
      const deltas: string[] = [];
      stream.on('text', (delta) => deltas.push(delta));
      const message = await stream.finalMessage();
      expect(deltas).toEqual(['Let ', 'me ', 'look.']);
      expect(message.id).toBe('msg_s1');
      expect(message.model).toBe(BACKEND_MODEL);
      expect(message.content).toEqual([
        { type: 'text', text: 'Let me look.' },
        ...toolAnswer.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.input })),
      ]);
      expect(message.stop_reason).toBe('tool_use');
      // message_start said 0 input tokens; the SDK takes the real figure from message_delta.
      expect(message.usage).toMatchObject({ input_tokens: 40, output_tokens: 17 });
    });

    it('the raw event iteration sees message_start, one text block, the tool blocks, message_delta and message_stop in order', async () => {
      server.current.reply(streamed(toolAnswer, ['Let me look.']));
      const events: string[] = [];
      for await (const event of await client(server.current.url).messages.create({ model: 'gw-model', max_tokens: 64, messages: hi, stream: true })) {
        events.push('index' in event ? `${event.type}#${event.index}` : event.type);
      }
      expect(events).toEqual([
        'message_start',
        'content_block_start#0', 'content_block_delta#0', 'content_block_stop#0',
        'content_block_start#1', 'content_block_delta#1', 'content_block_stop#1',
        'content_block_start#2', 'content_block_delta#2', 'content_block_stop#2',
        'message_delta', 'message_stop',
      ]);
    });

    it('finish alone (no deltas streamed) still delivers the whole text; a tool-only answer has no text block', async () => {
      server.current.reply(streamed(textAnswer, []));
      server.current.reply(streamed(toolOnlyAnswer, []));
      const anthropic = client(server.current.url);
      const text = await anthropic.messages.stream({ model: 'gw-model', max_tokens: 64, messages: hi }).finalMessage();
      expect(text.content).toEqual([{ type: 'text', text: 'Hello there, friend.' }]);
      const tools = await anthropic.messages.stream({ model: 'gw-model', max_tokens: 64, messages: hi }).finalMessage();
      expect(tools.content.map((block) => block.type)).toEqual(['tool_use', 'tool_use']);
    });

    it('an error event after some text makes finalMessage() reject with an APIError of that type and message', async () => {
      server.current.reply(() => {
        const stream = createAnthropicStream({ id: 'msg_e', model: BACKEND_MODEL });
        return { kind: 'sse', chunks: [stream.start(), stream.text('Partial '), stream.error({ type: 'overloaded_error', message: 'every backend is cooling down' })] };
      });
      const stream = client(server.current.url).messages.stream({ model: 'gw-model', max_tokens: 64, messages: hi });
      const deltas: string[] = [];
      stream.on('text', (delta) => deltas.push(delta));
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      const apiError = error as InstanceType<typeof Anthropic.APIError>;
      expect(apiError.message).toContain('every backend is cooling down');
      expect(apiError.type).toBe('overloaded_error');
      expect(apiError.apiMessage).toBe('every backend is cooling down');
      expect(deltas).toEqual(['Partial ']);
    });

    it('an error event as the first event makes the raw iteration throw too', async () => {
      server.current.reply({ kind: 'sse', chunks: [createAnthropicStream({ id: 'msg_e', model: 'm' }).error({ type: 'api_error', message: 'gateway broke' })] });
      const consume = async (): Promise<number> => {
        let count = 0;
        for await (const _event of await client(server.current.url).messages.create({ model: 'gw-model', max_tokens: 64, messages: hi, stream: true })) count += 1;
        return count;
      };
      const error = await consume().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe('api_error');
      expect((error as Error).message).toContain('gateway broke');
    });
  });

  describe('error bodies', () => {
    const cases: { status: number; errorClass: new (...args: never[]) => Error; type: string }[] = [
      { status: 400, errorClass: Anthropic.BadRequestError, type: 'invalid_request_error' },
      { status: 401, errorClass: Anthropic.AuthenticationError, type: 'authentication_error' },
      { status: 403, errorClass: Anthropic.PermissionDeniedError, type: 'permission_error' },
      { status: 404, errorClass: Anthropic.NotFoundError, type: 'not_found_error' },
      { status: 413, errorClass: Anthropic.APIError, type: 'request_too_large' },
      { status: 429, errorClass: Anthropic.RateLimitError, type: 'rate_limit_error' },
      { status: 500, errorClass: Anthropic.InternalServerError, type: 'api_error' },
      { status: 503, errorClass: Anthropic.InternalServerError, type: 'overloaded_error' },
      { status: 529, errorClass: Anthropic.InternalServerError, type: 'overloaded_error' },
    ];
    for (const { status, errorClass, type } of cases) {
      it(`${status} becomes ${errorClass.name} with the status, type ${type} and the message`, async () => {
        server.current.reply({ kind: 'json', status, body: anthropicError(status, `gateway says ${status}`) });
        const error = await client(server.current.url).messages.create({ model: 'gw-model', max_tokens: 64, messages: hi }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(errorClass);
        const apiError = error as InstanceType<typeof Anthropic.APIError>;
        expect(apiError.status).toBe(status);
        expect(apiError.type).toBe(type);
        expect(apiError.apiMessage).toBe(`gateway says ${status}`);
        expect(apiError.message).toContain(`gateway says ${status}`);
      });
    }

    it('a request without max_tokens is refused as Anthropic does: BadRequestError naming max_tokens', async () => {
      server.current.reply((request) => {
        const parsed = parseAnthropicMessagesRequest(request.body);
        if (parsed.ok) throw new Error('expected a refusal');
        return { kind: 'json', status: parsed.error.status, body: anthropicError(parsed.error.status, parsed.error.message) };
      });
      const params = { model: 'gw-model', messages: hi } as unknown as Anthropic.MessageCreateParamsNonStreaming;
      const error = await client(server.current.url).messages.create(params).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const apiError = error as InstanceType<typeof Anthropic.BadRequestError>;
      expect(apiError.status).toBe(400);
      expect(apiError.type).toBe('invalid_request_error');
      expect(apiError.apiMessage).toBe('max_tokens: required field is missing (expected an integer of at least 1)');
    });
  });

  it('GET /v1/models lists the models with display names, first and last ids', async () => {
    server.current.reply({ kind: 'json', body: modelsList([{ id: 'fast' }, { id: 'smart' }], 'anthropic') });
    const page = await client(server.current.url).models.list();
    expect(page.data.map((model) => [model.type, model.id, model.display_name])).toEqual([['model', 'fast', 'fast'], ['model', 'smart', 'smart']]);
    expect(page.has_more).toBe(false);
    expect(page.first_id).toBe('fast');
    expect(page.last_id).toBe('smart');
    expect(page.hasNextPage()).toBe(false);
    expect(server.current.requests[0]).toMatchObject({ method: 'GET', path: expect.stringMatching(/^\/v1\/models/) });
  });
});
