/**
 * The SDK transport's failures, end to end: the fake backend serves one fault per row to the
 * real SDKs, for both api modes, in JSON and streaming mode. Every row asserts that the outcome is
 * a failure (never `ok`) of the right kind, and that exactly one request reached the api mode's
 * path (the SDKs' retries are off) and none the other's.
 */
import { describe, expect, it } from 'vitest';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import type { ClassifyOptions } from '../../src/classify/options.js';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import type { ApiMode } from '../../src/identity/apiMode.js';
import { identify } from '../../src/identity/identify.js';
import { endpointKey, modelKey } from '../../src/identity/keys.js';
import { sdkTransport, type CallLimits, type NeutralRequest } from '../../src/transports/index.js';
import { runJsonCall } from '../../src/transports/runJsonCall.js';
import { FAKE_PATHS, faults, useFakeBackend, type FaultPlan, type WireApi } from '../support/fakeBackend.js';
import { refusedPort } from '../support/refusedPort.js';
import { CONDITION_BOUND_MS } from '../support/virtualTimers.js';

// These tests are not about deadlines (sdkTransport.deadlines.test.ts is): no limit here may cut a
// local answer, however busy the machine, so each is as long as a condition wait may take.
const LIMITS: CallLimits = { timeoutMs: CONDITION_BOUND_MS, firstTokenTimeoutMs: CONDITION_BOUND_MS, idleTimeoutMs: CONDITION_BOUND_MS };
const CLASSIFY: ClassifyOptions = { crashSignatures: ['process exited with code'], hintBounds: { minMs: 1_000, maxMs: 60_000 } };

function entryFor(apiMode: ApiMode, url: string, label = 'model'): BackendEntry {
  const identity = identify({ provider: 'custom', baseUrl: apiMode === 'anthropic_messages' ? url : `${url}/v1`, apiMode, model: 'fake-model' });
  return {
    label, provider: 'custom', model: 'fake-model', apiMode, apiModeSource: 'explicit', baseUrl: identity.baseUrl,
    apiKey: 'sk-test', identity, endpointKey: endpointKey(identity), modelKey: modelKey(identity), scope: 'endpoint',
  };
}

const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 64 };

type Mode = 'json' | 'stream';
type Expected = Partial<ClassifiedFailure> & Pick<ClassifiedFailure, 'kind'>;

interface Row {
  readonly name: string;
  readonly fault: FaultPlan;
  readonly modes: readonly Mode[];
  readonly expected: Expected | ((api: WireApi, mode: Mode) => Expected);
}

const BOTH: readonly Mode[] = ['json', 'stream'];

const ROWS: readonly Row[] = [
  { name: '500 {"detail":"Claude Code process exited with code 1"} → crash', fault: faults.crash(), modes: BOTH, expected: { kind: 'crash', reason: 'crash_signature', status: 500 } },
  {
    name: '529 / 503 overloaded → backend_fault',
    fault: faults.overloaded(),
    modes: BOTH,
    expected: (api) => (api === 'anthropic' ? { kind: 'backend_fault', reason: 'http_529', status: 529 } : { kind: 'backend_fault', reason: 'http_503', status: 503 }),
  },
  {
    name: '429 with retry-after → rate_limited with the hint',
    fault: faults.rateLimited({ 'retry-after': '7' }),
    modes: BOTH,
    expected: { kind: 'rate_limited', reason: 'http_429', status: 429, cooldownHintMs: 7_000, retrySameBackend: false },
  },
  { name: '401 → auth_config', fault: faults.unauthorized(), modes: BOTH, expected: { kind: 'auth_config', reason: 'http_401', status: 401 } },
  {
    name: '400 context length → request_fault context_length',
    fault: faults.contextLength(),
    modes: BOTH,
    expected: { kind: 'request_fault', reason: 'context_length', requestFault: 'context_length', status: 400 },
  },
  {
    name: 'an error event mid-stream → backend_fault, never ok',
    fault: faults.streamError(),
    modes: ['stream'],
    expected: { kind: 'backend_fault', reason: 'stream_error', errorType: 'overloaded_error', answered: true },
  },
  { name: 'a body cut mid-way → backend_fault stream_cut', fault: faults.cutStream(), modes: BOTH, expected: { kind: 'backend_fault', reason: 'stream_cut', answered: true } },
  {
    name: 'a stream that ends without its terminal event → truncated_stream',
    fault: faults.truncatedStream(),
    modes: ['stream'],
    expected: { kind: 'backend_fault', reason: 'truncated_stream' },
  },
  {
    name: 'a 200 with an HTML body → backend_fault',
    fault: faults.html(),
    modes: BOTH,
    expected: (_api, mode) => ({ kind: 'backend_fault', reason: mode === 'json' ? 'non_json_body' : 'empty_stream', answered: true }),
  },
  { name: 'a 200 with truncated JSON → malformed_body', fault: faults.truncatedJson(), modes: ['json'], expected: { kind: 'backend_fault', reason: 'malformed_body' } },
  { name: 'a 200 with empty content → empty_content', fault: faults.emptyContent(), modes: BOTH, expected: { kind: 'backend_fault', reason: 'empty_content' } },
  {
    name: 'stop_reason / finish_reason "error" → backend_fault',
    fault: faults.stopReasonError(),
    modes: BOTH,
    expected: (api) => ({ kind: 'backend_fault', reason: api === 'anthropic' ? 'stop_reason_error' : 'finish_reason_error' }),
  },
];

describe('sdkTransport: failures', () => {
  const backend = useFakeBackend();

  for (const row of ROWS) {
    for (const mode of row.modes) {
      for (const [apiMode, api] of [['anthropic_messages', 'anthropic'], ['chat_completions', 'openai']] as const) {
        it(`${row.name} (${apiMode}, ${mode})`, async () => {
          backend.fake.enqueue(row.fault);
          const deltas: string[] = [];
          const outcome = await sdkTransport({ classify: CLASSIFY }).call(entryFor(apiMode, backend.url), { ...request, stream: mode === 'stream' }, {
            limits: LIMITS,
            onText: (delta) => deltas.push(delta),
          });
          expect(outcome.ok, JSON.stringify(outcome)).toBe(false);
          if (outcome.ok) return;
          const expected = typeof row.expected === 'function' ? row.expected(api, mode) : row.expected;
          expect(outcome.failure).toMatchObject(expected);
          expect(outcome.error).toBeDefined();
          expect(backend.fake.count(FAKE_PATHS[api])).toBe(1);
          expect(backend.fake.count(api === 'anthropic' ? FAKE_PATHS.openai : FAKE_PATHS.anthropic)).toBe(0);
        });
      }
    }
  }

  it('text already given to onText does not make a failed stream ok (error event, cut)', async () => {
    for (const fault of [faults.streamError(), faults.cutStream(3)]) {
      backend.fake.reset();
      backend.fake.enqueue(fault);
      const deltas: string[] = [];
      const outcome = await sdkTransport().call(entryFor('chat_completions', backend.url), { ...request, stream: true }, {
        limits: LIMITS,
        onText: (delta) => deltas.push(delta),
      });
      expect(deltas).toEqual(['Hello from the fake.']);
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault' } });
    }
  });

  describe('a tool call whose input is not JSON → malformed_tool_input (a new sample may be fine)', () => {
    const chatJson = JSON.stringify({
      id: 'c', object: 'chat.completion', created: 1, model: 'fake-model',
      choices: [{ index: 0, finish_reason: 'tool_calls', logprobs: null,
        message: { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }] } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    const anthropicSse = [
      ['message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'fake-model', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'read_file', input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"path":' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 1 } }],
      ['message_stop', { type: 'message_stop' }],
    ].map(([event, data]) => `event: ${String(event)}\ndata: ${JSON.stringify(data)}\n\n`).join('');
    const chatSse = [
      { choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 't', type: 'function', function: { name: 'read_file', arguments: '{"pa' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'th":' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ].map((chunk) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'fake-model', ...chunk })}\n\n`).join('') + 'data: [DONE]\n\n';

    const cases = [
      { apiMode: 'chat_completions', stream: false, body: chatJson, contentType: 'application/json' },
      { apiMode: 'chat_completions', stream: true, body: chatSse, contentType: 'text/event-stream' },
      { apiMode: 'anthropic_messages', stream: true, body: anthropicSse, contentType: 'text/event-stream' },
    ] as const;
    for (const c of cases) {
      it(`${c.apiMode}, ${c.stream ? 'stream' : 'json'}`, async () => {
        backend.fake.enqueue({ type: 'raw', status: 200, body: c.body, contentType: c.contentType });
        const outcome = await sdkTransport().call(entryFor(c.apiMode, backend.url), { ...request, stream: c.stream }, { limits: LIMITS });
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'malformed_tool_input', retrySameBackend: true } });
        expect(backend.fake.count()).toBe(1);
      });
    }
  });

  it('an answer with only a thinking block passes the result check but is empty for the agent → empty_content', async () => {
    backend.fake.enqueue({
      type: 'raw',
      status: 200,
      body: JSON.stringify({
        id: 'm', type: 'message', role: 'assistant', model: 'fake-model', stop_reason: 'end_turn', stop_sequence: null,
        content: [{ type: 'thinking', thinking: 'Hmm.', signature: 'sig' }], usage: { input_tokens: 1, output_tokens: 1 },
      }),
    });
    const outcome = await sdkTransport().call(entryFor('anthropic_messages', backend.url), request, { limits: LIMITS });
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'empty_content' } });
  });

  it('a synchronous throw from the SDK call is classified, not thrown (Anthropic\'s "Streaming is required" guard)', async () => {
    const outcome = await runJsonCall(
      {
        send: () => {
          throw new Error('Streaming is required for operations that may take longer than 10 minutes.');
        },
        check: () => undefined,
        convert: () => {
          throw new Error('unreachable');
        },
      },
      LIMITS,
      undefined,
      CLASSIFY,
    );
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'request_fault', reason: 'streaming_required' } });
  });

  it('nothing listening → unreachable, for both api modes and both modes', async () => {
    const port = await refusedPort();
    for (const apiMode of ['anthropic_messages', 'chat_completions'] as const) {
      for (const stream of [false, true]) {
        const outcome = await sdkTransport().call(entryFor(apiMode, `http://127.0.0.1:${port}`), { ...request, stream }, { limits: LIMITS });
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'unreachable', reason: 'econnrefused' } });
      }
    }
  });
});
