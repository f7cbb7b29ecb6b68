/**
 * Failures before the request left the process, through the real SDKs: each call runs in its own
 * async context, `noteSends` (the innermost fetch wrapper) marks that call's request handed to the
 * network, and what is thrown before that is `local` / `not_sent`, never a backend's fault. Every test counts
 * what the local server received.
 */
import { describe, expect, it } from 'vitest';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import type { ApiMode } from '../../src/identity/apiMode.js';
import { failureScope } from '../../src/identity/failureScope.js';
import { identify } from '../../src/identity/identify.js';
import { endpointKey, modelKey } from '../../src/identity/keys.js';
import { sdkTransport, type CallLimits, type NeutralRequest } from '../../src/transports/index.js';
import { useFakeBackend } from '../support/fakeBackend.js';

const LIMITS: CallLimits = { timeoutMs: 5_000, firstTokenTimeoutMs: 5_000, idleTimeoutMs: 5_000 };
/** Headers of ours, if any ever reached the wire. */
const ours = (names: Iterable<string>) => [...names].filter((name) => name.toLowerCase().startsWith('x-llm-health-router'));

function entryFor(apiMode: ApiMode, url: string): BackendEntry {
  const identity = identify({ provider: 'custom', baseUrl: apiMode === 'anthropic_messages' ? url : `${url}/v1`, apiMode, model: 'fake-model' });
  return {
    label: 'model', provider: 'custom', model: 'fake-model', apiMode, apiModeSource: 'explicit', baseUrl: identity.baseUrl,
    apiKey: 'sk-test', identity, endpointKey: endpointKey(identity), modelKey: modelKey(identity), scope: 'endpoint',
  };
}

const hi: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 64 };

/** A tool whose input schema nests `levels` properties deep (two levels of JSON each). */
function deepTool(levels: number): NeutralRequest['tools'] {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) schema = { type: 'object', properties: { a: schema } };
  return [{ name: 'deep', inputSchema: schema }];
}

const API_MODES = ['anthropic_messages', 'chat_completions'] as const;

describe('sdkTransport: failures before the request left the process', () => {
  const backend = useFakeBackend();

  for (const apiMode of API_MODES) {
    for (const stream of [false, true]) {
      it(`a 5,000-deep tool schema overflows the SDK's JSON.stringify → local / not_sent, 0 requests (${apiMode}, ${stream ? 'stream' : 'json'})`, async () => {
        const request = { ...hi, tools: deepTool(5_000), stream };
        const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), request, { limits: LIMITS });
        expect(outcome).toMatchObject({
          ok: false,
          failure: { kind: 'local', reason: 'not_sent', message: 'not sent: RangeError: Maximum call stack size exceeded', answered: false, retrySameBackend: false },
        });
        expect(outcome.ok ? undefined : failureScope(outcome.failure)).toBe('none');
        expect(outcome.ok ? undefined : outcome.error).toBeInstanceOf(RangeError);
        expect(backend.fake.count()).toBe(0);
      });
    }
  }

  it('a request that cannot be translated or serialized at all (a tool input containing itself) → local / not_sent, 0 requests', async () => {
    const input: Record<string, unknown> = { path: 'a' };
    input['self'] = input;
    const request: NeutralRequest = {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'read it' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 't1', name: 'read', input }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 't1', content: 'done' }] },
      ],
      maxTokens: 64,
    };
    for (const apiMode of API_MODES) {
      const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), request, { limits: LIMITS });
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'local', reason: 'not_sent', message: expect.stringMatching(/^not sent: TypeError: Converting circular structure to JSON/) } });
    }
    expect(backend.fake.count()).toBe(0);
  });

  it('nothing of ours reaches the server, nor a custom fetch', async () => {
    const seenByFetch: string[][] = [];
    const transport = sdkTransport({
      fetch: (input, init) => {
        seenByFetch.push(ours(new Headers(init?.headers).keys()));
        return fetch(input, init);
      },
    });
    for (const apiMode of API_MODES) {
      for (const stream of [false, true]) {
        const outcome = await transport.call(entryFor(apiMode, backend.url), { ...hi, stream }, { limits: LIMITS });
        expect(outcome.ok).toBe(true);
      }
    }
    expect(backend.fake.count()).toBe(4);
    expect(backend.fake.requests.map((r) => ours(Object.keys(r.headers)))).toEqual([[], [], [], []]);
    expect(seenByFetch).toEqual([[], [], [], []]);
  });

  it('a request handed to fetch counts as sent: a fetch that throws is a connection failure, charged as before', async () => {
    const transport = sdkTransport({
      fetch: () => {
        throw new TypeError('a proxy agent that cannot connect');
      },
    });
    for (const apiMode of API_MODES) {
      const outcome = await transport.call(entryFor(apiMode, backend.url), hi, { limits: LIMITS });
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'connection_error' } });
      expect(outcome.ok ? undefined : failureScope(outcome.failure)).toBe('endpoint');
    }
  });

  it('concurrent calls on one client are told apart: the deep one is not sent, the plain one is served', async () => {
    const transport = sdkTransport();
    for (const apiMode of API_MODES) {
      backend.fake.reset();
      const entry = entryFor(apiMode, backend.url);
      const [deep, plain] = await Promise.all([
        transport.call(entry, { ...hi, tools: deepTool(5_000) }, { limits: LIMITS }),
        transport.call(entry, hi, { limits: LIMITS }),
      ]);
      expect(deep).toMatchObject({ ok: false, failure: { kind: 'local', reason: 'not_sent' } });
      expect(plain.ok).toBe(true);
      expect(backend.fake.count()).toBe(1);
    }
  });

  it("the caller's abort before anything was sent stays aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    for (const apiMode of API_MODES) {
      const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), hi, { limits: LIMITS, signal: controller.signal });
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'aborted' } });
    }
    expect(backend.fake.count()).toBe(0);
  });
});
