/**
 * The SDK transport's deadlines and the caller's abort, end to end against the fake backend with
 * the real SDKs. The SDKs' own `timeout` covers only the wait for response headers, and both end
 * a stream's loop silently on an abort: these tests show that a silent backend is cut by the right
 * deadline (and named by it), long before the overall timeout, and that a caller's abort is
 * `aborted`, never a short "success".
 */
import { describe, expect, it } from 'vitest';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import type { ApiMode } from '../../src/identity/apiMode.js';
import { identify } from '../../src/identity/identify.js';
import { endpointKey, modelKey } from '../../src/identity/keys.js';
import { sdkTransport, type CallLimits, type NeutralRequest } from '../../src/transports/index.js';
import { sdkTimeoutMs, timerDelay } from '../../src/transports/sdkTimeout.js';
import { FAKE_PATHS, faults, useFakeBackend, type WireApi } from '../support/fakeBackend.js';

function entryFor(apiMode: ApiMode, url: string, label = 'model'): BackendEntry {
  const identity = identify({ provider: 'custom', baseUrl: apiMode === 'anthropic_messages' ? url : `${url}/v1`, apiMode, model: 'fake-model' });
  return {
    label, provider: 'custom', model: 'fake-model', apiMode, apiModeSource: 'explicit', baseUrl: identity.baseUrl,
    apiKey: 'sk-test', identity, endpointKey: endpointKey(identity), modelKey: modelKey(identity), scope: 'endpoint',
  };
}

const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 64 };
const streamed: NeutralRequest = { ...request, stream: true };

/** Runs `body` and returns how long it took, in ms. */
async function timed<T>(body: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await body();
  return { value, ms: performance.now() - start };
}

const MODES: readonly [ApiMode, WireApi][] = [
  ['anthropic_messages', 'anthropic'],
  ['chat_completions', 'openai'],
];

describe('sdkTransport: deadlines and aborts', () => {
  const backend = useFakeBackend();

  for (const [apiMode, api] of MODES) {
    describe(apiMode, () => {
      it('headers, then nothing: first_token_timeout, well before the overall timeout', async () => {
        backend.fake.enqueue(faults.stall(0));
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 200, idleTimeoutMs: 1_000 };
        const { value: outcome, ms } = await timed(() => sdkTransport().call(entryFor(apiMode, backend.url), streamed, { limits }));
        expect(outcome).toMatchObject({
          ok: false,
          failure: { kind: 'backend_fault', reason: 'first_token_timeout', answered: true, retrySameBackend: false },
        });
        expect(ms).toBeGreaterThanOrEqual(190);
        expect(ms).toBeLessThan(800);
        expect(backend.fake.count(FAKE_PATHS[api])).toBe(1);
      });

      it('events before the first token (message_start, a role chunk) do not satisfy the first-token wait', async () => {
        backend.fake.enqueue({ type: 'reply', delayBeforeFirstTokenMs: 1_000 });
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 200, idleTimeoutMs: 1_000 };
        const { value: outcome, ms } = await timed(() => sdkTransport().call(entryFor(apiMode, backend.url), streamed, { limits }));
        expect(outcome).toMatchObject({ ok: false, failure: { reason: 'first_token_timeout' } });
        expect(ms).toBeLessThan(800);
      });

      it('no headers at all (a hung backend): the first-token wait cuts it too, answered: false', async () => {
        backend.fake.enqueue(faults.hang());
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 200, idleTimeoutMs: 1_000 };
        const { value: outcome, ms } = await timed(() => sdkTransport().call(entryFor(apiMode, backend.url), streamed, { limits }));
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'first_token_timeout', answered: false } });
        expect(ms).toBeLessThan(800);
      });

      it('content, then silence: stream_stall after the idle timeout; the text so far reached onText', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['Hel', 'lo'], pauseAfterFirstTokenMs: 1_000 });
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_000, idleTimeoutMs: 200 };
        const deltas: string[] = [];
        const { value: outcome, ms } = await timed(() =>
          sdkTransport().call(entryFor(apiMode, backend.url), streamed, { limits, onText: (d) => deltas.push(d) }),
        );
        expect(outcome).toMatchObject({
          ok: false,
          failure: { kind: 'backend_fault', reason: 'stream_stall', answered: true, retrySameBackend: false },
        });
        expect(deltas).toEqual(['Hel']);
        expect(ms).toBeLessThan(800);
      });

      it('a pause shorter than the idle timeout is fine', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['Hel', 'lo'], pauseAfterFirstTokenMs: 100, delayBeforeFirstTokenMs: 100 });
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 500, idleTimeoutMs: 500 };
        const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), streamed, { limits });
        expect(outcome).toMatchObject({ ok: true, response: { text: 'Hello' } });
      });

      it('the overall timeout bounds the whole stream: reason timeout', async () => {
        // Every event keeps the idle timer alive and the first token is on time; only the total is too long.
        backend.fake.enqueue({ type: 'reply', textChunks: ['a', 'b'], pauseAfterFirstTokenMs: 1_000 });
        const limits: CallLimits = { timeoutMs: 300, firstTokenTimeoutMs: 1_000, idleTimeoutMs: 1_200 };
        const { value: outcome, ms } = await timed(() => sdkTransport().call(entryFor(apiMode, backend.url), streamed, { limits }));
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'timeout', answered: true, retrySameBackend: false } });
        expect(ms).toBeLessThan(800);
      });

      it('JSON: a body that stalls after the headers is cut by the overall timeout (the SDK timeout stops at the headers)', async () => {
        backend.fake.enqueue(faults.stall());
        const limits: CallLimits = { timeoutMs: 300, firstTokenTimeoutMs: 100, idleTimeoutMs: 100 };
        const { value: outcome, ms } = await timed(() => sdkTransport().call(entryFor(apiMode, backend.url), request, { limits }));
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'timeout', answered: false } });
        expect(ms).toBeLessThan(800);
        expect(backend.fake.count(FAKE_PATHS[api])).toBe(1);
      });

      it('JSON: a hung backend times out (first-token and idle limits do not apply without a stream)', async () => {
        backend.fake.enqueue(faults.hang());
        const limits: CallLimits = { timeoutMs: 300, firstTokenTimeoutMs: 50, idleTimeoutMs: 50 };
        const { value: outcome, ms } = await timed(() => sdkTransport().call(entryFor(apiMode, backend.url), request, { limits }));
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'timeout' } });
        expect(ms).toBeGreaterThanOrEqual(290);
        expect(ms).toBeLessThan(800);
      });

      it('a caller abort mid-stream is aborted, never a truncated success', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['Hel', 'lo'], pauseAfterFirstTokenMs: 1_000 });
        const controller = new AbortController();
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_500, idleTimeoutMs: 1_500 };
        const deltas: string[] = [];
        const { value: outcome, ms } = await timed(() =>
          sdkTransport().call(entryFor(apiMode, backend.url), streamed, {
            limits,
            signal: controller.signal,
            onText: (d) => {
              deltas.push(d);
              controller.abort();
            },
          }),
        );
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'aborted', reason: 'aborted' } });
        expect(deltas).toEqual(['Hel']);
        expect(ms).toBeLessThan(800);
      });

      it('a caller abort before the headers is aborted (JSON and stream)', async () => {
        for (const stream of [false, true]) {
          backend.fake.enqueue(faults.hang());
          const signal = AbortSignal.timeout(100);
          const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_500, idleTimeoutMs: 1_500 };
          const { value: outcome, ms } = await timed(() =>
            sdkTransport().call(entryFor(apiMode, backend.url), { ...request, stream }, { limits, signal }),
          );
          expect(outcome).toMatchObject({ ok: false, failure: { kind: 'aborted' } });
          expect(ms).toBeLessThan(800);
        }
        expect(backend.fake.count(FAKE_PATHS[api])).toBe(2);
      });

      it('an already aborted signal sends nothing', async () => {
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_500, idleTimeoutMs: 1_500 };
        const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), streamed, { limits, signal: AbortSignal.abort() });
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'aborted' } });
        expect(backend.fake.count()).toBe(0);
      });

      it('an exception from onText is the caller’s: rethrown, the request cancelled', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['Hel', 'lo'], pauseAfterFirstTokenMs: 1_000 });
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_500, idleTimeoutMs: 1_500 };
        const { ms } = await timed(async () => {
          await expect(
            sdkTransport().call(entryFor(apiMode, backend.url), streamed, {
              limits,
              onText: () => {
                throw new Error('display broke');
              },
            }),
          ).rejects.toThrow('display broke');
        });
        expect(ms).toBeLessThan(800);
      });
    });
  }
  it('limits that mean "none" (0, Infinity) arm no timer; the SDK still gets a valid timeout', async () => {
    expect([timerDelay(0), timerDelay(Number.POSITIVE_INFINITY), timerDelay(Number.NaN), timerDelay(2 ** 31)]).toEqual([undefined, undefined, undefined, undefined]);
    expect(timerDelay(1.2)).toBe(2);
    expect(sdkTimeoutMs(Number.POSITIVE_INFINITY)).toBe(2 ** 31 - 1);
    backend.fake.enqueue({ type: 'reply', textChunks: ['a', 'b'], pauseAfterFirstTokenMs: 50 });
    const limits: CallLimits = { timeoutMs: Number.POSITIVE_INFINITY, firstTokenTimeoutMs: 0, idleTimeoutMs: 0 };
    const outcome = await sdkTransport().call(entryFor('anthropic_messages', backend.url), streamed, { limits });
    expect(outcome).toMatchObject({ ok: true, response: { text: 'ab' } });
  });
});
