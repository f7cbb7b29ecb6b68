/**
 * The SDK transport's good answers, end to end: the real `@anthropic-ai/sdk` and `openai`
 * clients call the fake backend on 127.0.0.1, for both api modes, in JSON and streaming mode.
 * Every test asserts the path the request reached (and that the other API's path got nothing)
 * and what the SDK put on the wire, as the fake recorded it.
 */
import { describe, expect, it } from 'vitest';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import { endpointKey, modelKey } from '../../src/identity/keys.js';
import { identify } from '../../src/identity/identify.js';
import type { ApiMode } from '../../src/identity/apiMode.js';
import {
  sdkClientFor,
  sdkTransport,
  TOOL_ERROR_PREFIX,
  UnsupportedApiModeError,
  type CallLimits,
  type NeutralRequest,
  type NeutralResponse,
} from '../../src/transports/index.js';
import { createClientCache } from '../../src/transports/clientCache.js';
import { FAKE_PATHS, faults, useFakeBackend, type FakeRequest, type WireApi } from '../support/fakeBackend.js';
import { CONDITION_BOUND_MS } from '../support/virtualTimers.js';

// These tests are not about deadlines (sdkTransport.deadlines.test.ts is): no limit here may cut a
// local answer, however busy the machine, so each is as long as a condition wait may take.
const LIMITS: CallLimits = { timeoutMs: CONDITION_BOUND_MS, firstTokenTimeoutMs: CONDITION_BOUND_MS, idleTimeoutMs: CONDITION_BOUND_MS };
const MODES: readonly { apiMode: ApiMode; api: WireApi }[] = [
  { apiMode: 'anthropic_messages', api: 'anthropic' },
  { apiMode: 'chat_completions', api: 'openai' },
];

/** A config entry for the fake: the Anthropic SDK gets the bare URL, the OpenAI SDK `…/v1`. */
function entryFor(apiMode: ApiMode, url: string, label = 'model'): BackendEntry {
  const identity = identify({ provider: 'custom', baseUrl: apiMode === 'anthropic_messages' ? url : `${url}/v1`, apiMode, model: 'fake-model' });
  return {
    label, provider: 'custom', model: 'fake-model', apiMode, apiModeSource: 'explicit', baseUrl: identity.baseUrl,
    apiKey: 'sk-test', identity, endpointKey: endpointKey(identity), modelKey: modelKey(identity), scope: 'endpoint',
  };
}

const hello: NeutralRequest = {
  system: 'Be brief.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  maxTokens: 64,
  temperature: 0.2,
};

const readFile = { name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };

function only(fake: { requests: FakeRequest[] }): FakeRequest {
  expect(fake.requests).toHaveLength(1);
  return fake.requests[0] as FakeRequest;
}

describe('sdkTransport: replies', () => {
  const backend = useFakeBackend();

  for (const { apiMode, api } of MODES) {
    const other = api === 'anthropic' ? FAKE_PATHS.openai : FAKE_PATHS.anthropic;

    describe(apiMode, () => {
      for (const stream of [false, true]) {
        it(`a normal ${stream ? 'streamed' : 'JSON'} reply: text, usage, model, servedBy; one request to ${FAKE_PATHS[api]}`, async () => {
          backend.fake.enqueue({ type: 'reply', text: 'Hello there.', usage: { inputTokens: 11, outputTokens: 7 } });
          const deltas: string[] = [];
          const outcome = await sdkTransport().call(entryFor(apiMode, backend.url, 'fallback_providers[0]'), { ...hello, stream }, {
            limits: LIMITS,
            onText: (delta) => deltas.push(delta),
          });
          expect(outcome).toEqual({
            ok: true,
            response: {
              text: 'Hello there.',
              toolCalls: [],
              stopReason: 'end_turn',
              usage: { inputTokens: 11, outputTokens: 7 },
              model: 'fake-model',
              servedBy: 'fallback_providers[0]',
            } satisfies NeutralResponse,
          });
          expect(backend.fake.count(FAKE_PATHS[api])).toBe(1);
          expect(backend.fake.count(other)).toBe(0);
          const request = only(backend.fake);
          expect(request.stream).toBe(stream);
          // Text deltas reach onText only when streaming.
          expect(deltas).toEqual(stream ? ['Hello there.'] : []);
          if (api === 'anthropic') {
            expect(request.body).toEqual({
              model: 'fake-model',
              max_tokens: 64,
              system: 'Be brief.',
              messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
              temperature: 0.2,
              ...(stream ? { stream: true } : {}),
            });
            // @anthropic-ai/sdk 1.14 sends the API key as a bearer token, not as `x-api-key`.
            expect(request.headers['authorization']).toBe('Bearer sk-test');
          } else {
            expect(request.body).toEqual({
              model: 'fake-model',
              max_tokens: 64,
              messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
              temperature: 0.2,
              ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
            });
            expect(request.headers['authorization']).toBe('Bearer sk-test');
          }
        });
      }

      it('onText receives every streamed delta, in order, and the text is their concatenation', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['One', ', two', ', three', '.'] });
        const deltas: string[] = [];
        const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), { ...hello, stream: true }, {
          limits: LIMITS,
          onText: (delta) => deltas.push(delta),
        });
        expect(deltas).toEqual(['One', ', two', ', three', '.']);
        expect(outcome.ok && outcome.response.text).toBe('One, two, three.');
      });

      for (const stream of [false, true]) {
        it(`a tool call round trip (${stream ? 'stream' : 'JSON'}): the call comes back parsed, its result goes out in the next request`, async () => {
          const transport = sdkTransport();
          const entry = entryFor(apiMode, backend.url);
          backend.fake.enqueue(
            { type: 'reply', text: 'Reading it.', toolCalls: [{ id: 'call_1', name: 'read_file', input: { path: 'a.txt', lines: [1, 2] } }] },
            faults.ok('The file says hi.'),
          );
          const first = await transport.call(entry, { ...hello, tools: [readFile], stream }, { limits: LIMITS });
          expect(first.ok).toBe(true);
          if (!first.ok) return;
          expect(first.response).toMatchObject({
            text: 'Reading it.',
            toolCalls: [{ id: 'call_1', name: 'read_file', input: { path: 'a.txt', lines: [1, 2] } }],
            stopReason: 'tool_use',
          });

          const second = await transport.call(
            entry,
            {
              ...hello,
              tools: [readFile],
              stream,
              messages: [
                ...hello.messages,
                { role: 'assistant', content: [{ type: 'text', text: first.response.text }, ...first.response.toolCalls.map((c) => ({ type: 'tool_call' as const, ...c }))] },
                { role: 'user', content: [{ type: 'tool_result', toolCallId: 'call_1', content: 'hi' }] },
              ],
            },
            { limits: LIMITS },
          );
          expect(second.ok && second.response.text).toBe('The file says hi.');
          expect(backend.fake.count(FAKE_PATHS[api])).toBe(2);
          expect(backend.fake.count(other)).toBe(0);

          const [firstRequest, secondRequest] = backend.fake.requests.map((r) => r.body as Record<string, unknown>);
          if (api === 'anthropic') {
            expect(firstRequest?.['tools']).toEqual([{ name: 'read_file', description: 'Read a file', input_schema: readFile.inputSchema }]);
            expect(secondRequest?.['messages']).toEqual([
              { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
              {
                role: 'assistant',
                content: [
                  { type: 'text', text: 'Reading it.' },
                  { type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'a.txt', lines: [1, 2] } },
                ],
              },
              { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'hi' }] },
            ]);
          } else {
            expect(firstRequest?.['tools']).toEqual([
              { type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: readFile.inputSchema } },
            ]);
            expect(secondRequest?.['messages']).toEqual([
              { role: 'system', content: 'Be brief.' },
              { role: 'user', content: 'Hi' },
              {
                role: 'assistant',
                content: 'Reading it.',
                tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt","lines":[1,2]}' } }],
              },
              { role: 'tool', tool_call_id: 'call_1', content: 'hi' },
            ]);
          }
        });
      }

      it('a reply that is only a tool call (no text) is an answer, not empty content', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: [], toolCalls: [{ id: 'call_9', name: 'read_file', input: {} }] });
        const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), { ...hello, tools: [readFile], stream: true }, { limits: LIMITS });
        expect(outcome).toMatchObject({ ok: true, response: { text: '', toolCalls: [{ id: 'call_9', name: 'read_file', input: {} }], stopReason: 'tool_use' } });
      });

      it('max_tokens / length maps to max_tokens', async () => {
        backend.fake.enqueue({ type: 'reply', text: 'Cut sho', stopReason: 'max_tokens', finishReason: 'length' });
        const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), hello, { limits: LIMITS });
        expect(outcome).toMatchObject({ ok: true, response: { text: 'Cut sho', stopReason: 'max_tokens' } });
      });

      it('one client per entry (label, base URL, key): repeated calls reuse it', async () => {
        const clients = createClientCache();
        const entry = entryFor(apiMode, backend.url, 'model');
        const first = await clients.get(entry, 1_000);
        expect(await clients.get(entryFor(apiMode, backend.url, 'model'), 2_000)).toBe(first);
        expect(await clients.get(entryFor(apiMode, backend.url, 'auxiliary.title'), 1_000)).not.toBe(first);
        expect(await clients.get({ ...entry, apiKey: 'sk-rotated' }, 1_000)).not.toBe(first);
        expect(clients.size).toBe(3);
        // And the transport's calls through a cached client work one after another.
        const transport = sdkTransport();
        for (let i = 0; i < 3; i += 1) expect((await transport.call(entry, hello, { limits: LIMITS })).ok).toBe(true);
        expect(backend.fake.count(FAKE_PATHS[api])).toBe(3);
      });

      it('sdkClientFor gives a working client of the right kind, retries off', async () => {
        const sdk = await sdkClientFor(entryFor(apiMode, backend.url), { timeoutMs: CONDITION_BOUND_MS });
        expect(sdk.kind).toBe(api);
        expect(sdk.client.maxRetries).toBe(0);
        backend.fake.enqueue(faults.ok('direct'));
        if (sdk.kind === 'anthropic') {
          const message = await sdk.client.messages.create({ model: 'fake-model', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] });
          expect(message.content).toEqual([{ type: 'text', text: 'direct' }]);
        } else {
          const completion = await sdk.client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }] });
          expect(completion.choices[0]?.message.content).toBe('direct');
        }
        // A 500 is not retried by the SDK: one request, one error for classifyError.
        backend.fake.enqueue(faults.crash());
        const call =
          sdk.kind === 'anthropic'
            ? sdk.client.messages.create({ model: 'fake-model', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] })
            : sdk.client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }] });
        await expect(call).rejects.toMatchObject({ status: 500 });
        expect(backend.fake.count(FAKE_PATHS[api])).toBe(2);
        expect(backend.fake.count(other)).toBe(0);
      });
    });
  }

  it('a base URL ending in /v1 for anthropic_messages reaches /v1/messages, not /v1/v1/messages', async () => {
    const entry = entryFor('anthropic_messages', `${backend.url}/v1`);
    const outcome = await sdkTransport().call(entry, hello, { limits: LIMITS });
    expect(outcome.ok).toBe(true);
    expect(backend.fake.count(FAKE_PATHS.anthropic)).toBe(1);
  });

  it('api_mode responses is refused without a request: auth_config / unsupported_api_mode; sdkClientFor throws', async () => {
    const entry = entryFor('responses', backend.url);
    const outcome = await sdkTransport().call(entry, hello, { limits: LIMITS });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: 'auth_config', reason: 'unsupported_api_mode', answered: false });
    expect(outcome.error).toBeInstanceOf(UnsupportedApiModeError);
    expect(outcome.failure.message).toContain('responses');
    await expect(sdkClientFor(entry)).rejects.toBeInstanceOf(UnsupportedApiModeError);
    expect(backend.fake.count()).toBe(0);
  });

  it('translation details: Anthropic puts tool results first and drops empty text; OpenAI marks failed tool results', async () => {
    const messages: NeutralRequest['messages'] = [
      { role: 'user', content: [{ type: 'text', text: 'Read a.txt and b.txt' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: '' },
          { type: 'tool_call', id: 't1', name: 'read_file', input: { path: 'a.txt' } },
          { type: 'tool_call', id: 't2', name: 'read_file', input: { path: 'b.txt' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Here you go.' },
          { type: 'tool_result', toolCallId: 't1', content: 'A' },
          { type: 'tool_result', toolCallId: 't2', content: 'no such file', isError: true },
        ],
      },
    ];
    const transport = sdkTransport();
    await transport.call(entryFor('anthropic_messages', backend.url), { messages, maxTokens: 32 }, { limits: LIMITS });
    await transport.call(entryFor('chat_completions', backend.url), { messages, maxTokens: 32 }, { limits: LIMITS });
    const [anthropic, openai] = backend.fake.requests.map((r) => r.body as Record<string, unknown>);
    expect(anthropic).not.toHaveProperty('system');
    expect(anthropic).not.toHaveProperty('temperature');
    expect(anthropic?.['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Read a.txt and b.txt' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a.txt' } },
          { type: 'tool_use', id: 't2', name: 'read_file', input: { path: 'b.txt' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'A' },
          { type: 'tool_result', tool_use_id: 't2', content: 'no such file', is_error: true },
          { type: 'text', text: 'Here you go.' },
        ],
      },
    ]);
    expect(openai?.['messages']).toEqual([
      { role: 'user', content: 'Read a.txt and b.txt' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 't1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } },
          { id: 't2', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.txt"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: 'A' },
      { role: 'tool', tool_call_id: 't2', content: `${TOOL_ERROR_PREFIX}no such file` },
      { role: 'user', content: 'Here you go.' },
    ]);
  });
});
