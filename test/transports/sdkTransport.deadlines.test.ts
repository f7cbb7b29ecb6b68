/**
 * The SDK transport's deadlines and the caller's abort, end to end against the fake backend with
 * the real SDKs. The SDKs' own `timeout` covers only the wait for response headers, and both end
 * a stream's loop silently on an abort: these tests show that a silent backend is cut by the right
 * deadline (and named by it), long before the overall timeout, and that a caller's abort is
 * `aborted`, never a short "success".
 *
 * The deadlines run on virtual timers (test/support/virtualTimers.ts): each test waits, on real
 * time, until the request is where it wants it, then moves time to just before the deadline (the
 * request is still open) and onto it (it is cut). One test per API mode runs on real timers and
 * checks only that the cut comes, and not before the limit: a bound a busy machine cannot cross.
 */
import { describe, expect, it } from 'vitest';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import type { ApiMode } from '../../src/identity/apiMode.js';
import { identify } from '../../src/identity/identify.js';
import { endpointKey, modelKey } from '../../src/identity/keys.js';
import { sdkTransport, type CallLimits, type CallOutcome, type NeutralRequest, type Transport } from '../../src/transports/index.js';
import { sdkTimeoutMs, timerDelay } from '../../src/transports/sdkTimeout.js';
import { FAKE_PATHS, faults, useFakeBackend, type WireApi } from '../support/fakeBackend.js';
import { advance, ioTurn, observedFetch, settledFlag, until, useVirtualTimers } from '../support/virtualTimers.js';

type CallOptions = Parameters<Transport['call']>[2];

function entryFor(apiMode: ApiMode, url: string, label = 'model'): BackendEntry {
  const identity = identify({ provider: 'custom', baseUrl: apiMode === 'anthropic_messages' ? url : `${url}/v1`, apiMode, model: 'fake-model' });
  return {
    label, provider: 'custom', model: 'fake-model', apiMode, apiModeSource: 'explicit', baseUrl: identity.baseUrl,
    apiKey: 'sk-test', identity, endpointKey: endpointKey(identity), modelKey: modelKey(identity), scope: 'endpoint',
  };
}

const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 64 };
const streamed: NeutralRequest = { ...request, stream: true };

/** Runs `body` and returns how long it took, in real ms. */
async function timed<T>(body: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await body();
  return { value, ms: performance.now() - start };
}

const MODES: readonly [ApiMode, WireApi][] = [
  ['anthropic_messages', 'anthropic'],
  ['chat_completions', 'openai'],
];

/**
 * One call through `sdkTransport` whose fetch the test observes, and the checks every deadline
 * test makes: at `ms - 1` of virtual time the request is still open (its signal not aborted, no
 * outcome), at `ms` it is cut.
 */
function observedCall(entry: BackendEntry, request: NeutralRequest, options: CallOptions) {
  const observed = observedFetch();
  const outcome = sdkTransport({ fetch: observed.fetch }).call(entry, request, options);
  const settled = settledFlag(outcome);
  return {
    observed,
    outcome,
    /** Moves virtual time to just before `ms` (counted from the call's start) and checks nothing was cut, then to `ms` and checks it was. */
    async cutAt(ms: number): Promise<CallOutcome> {
      advance(ms - 1);
      await ioTurn();
      expect(observed.aborted, `cut before ${ms} ms`).toBe(false);
      expect(settled(), `settled before ${ms} ms`).toBe(false);
      advance(1);
      expect(observed.aborted, `not cut at ${ms} ms`).toBe(true);
      return outcome;
    },
  };
}

describe('sdkTransport: deadlines and aborts', () => {
  const backend = useFakeBackend();

  for (const [apiMode, api] of MODES) {
    describe(`${apiMode}, on virtual timers`, () => {
      useVirtualTimers();

      it('headers, then nothing: first_token_timeout at firstTokenTimeoutMs, long before the overall timeout', async () => {
        backend.fake.enqueue(faults.stall(0));
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 200, idleTimeoutMs: 1_000 };
        const call = observedCall(entryFor(apiMode, backend.url), streamed, { limits });
        await until('the response headers', () => call.observed.answered === 1);
        await ioTurn(); // the SDK hands the stream to the transport
        expect(await call.cutAt(200)).toMatchObject({
          ok: false,
          failure: { kind: 'backend_fault', reason: 'first_token_timeout', answered: true, retrySameBackend: false },
        });
        expect(backend.fake.count(FAKE_PATHS[api])).toBe(1);
      });

      it('events before the first token (message_start, a role chunk) do not satisfy the first-token wait', async () => {
        backend.fake.enqueue({ type: 'reply', delayBeforeFirstTokenMs: 1_000 });
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 200, idleTimeoutMs: 1_000 };
        const call = observedCall(entryFor(apiMode, backend.url), streamed, { limits });
        const firstEvent = api === 'anthropic' ? 'message_start' : '"role":"assistant"';
        await until('the events before the first token', () => call.observed.received.includes(firstEvent));
        await ioTurn(); // the transport sees them
        expect(await call.cutAt(200)).toMatchObject({ ok: false, failure: { reason: 'first_token_timeout', answered: true } });
      });

      it('no headers at all (a hung backend): the first-token wait cuts it too, answered: false', async () => {
        backend.fake.enqueue(faults.hang());
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 200, idleTimeoutMs: 1_000 };
        const call = observedCall(entryFor(apiMode, backend.url), streamed, { limits });
        await until('the fake to receive the request', () => backend.fake.count(FAKE_PATHS[api]) === 1);
        expect(await call.cutAt(200)).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'first_token_timeout', answered: false } });
      });

      it('content, then silence: stream_stall after the idle timeout; the text so far reached onText', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['Hel', 'lo'], pauseAfterFirstTokenMs: 1_000 });
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_000, idleTimeoutMs: 200 };
        const deltas: string[] = [];
        const call = observedCall(entryFor(apiMode, backend.url), streamed, { limits, onText: (d) => deltas.push(d) });
        await until('the first text', () => deltas.length === 1);
        // The idle timer restarted with that event, at virtual time 0.
        expect(await call.cutAt(200)).toMatchObject({
          ok: false,
          failure: { kind: 'backend_fault', reason: 'stream_stall', answered: true, retrySameBackend: false },
        });
        expect(deltas).toEqual(['Hel']);
      });

      it('pauses shorter than the idle timeout are fine, even when together they are longer', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['Hel', 'lo'], pauseAfterFirstTokenMs: 300, delayBeforeFirstTokenMs: 300 });
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 500, idleTimeoutMs: 500 };
        const deltas: string[] = [];
        const call = observedCall(entryFor(apiMode, backend.url), streamed, { limits, onText: (d) => deltas.push(d) });
        await until('the response headers', () => call.observed.answered === 1);
        advance(300); // the fake sends the first token (the idle timer restarts)…
        await until('the first text', () => deltas.length === 1);
        advance(300); // …and, 300 ms later, the rest: 600 ms after the headers, but never 500 ms of silence
        expect(await call.outcome).toMatchObject({ ok: true, response: { text: 'Hello' } });
        expect(call.observed.aborted).toBe(false);
      });

      it('the overall timeout bounds the whole stream: reason timeout', async () => {
        // Every event keeps the idle timer alive and the first token is on time; only the total is too long.
        backend.fake.enqueue({ type: 'reply', textChunks: ['a', 'b'], pauseAfterFirstTokenMs: 1_000 });
        const limits: CallLimits = { timeoutMs: 300, firstTokenTimeoutMs: 1_000, idleTimeoutMs: 1_200 };
        const deltas: string[] = [];
        const call = observedCall(entryFor(apiMode, backend.url), streamed, { limits, onText: (d) => deltas.push(d) });
        await until('the first text', () => deltas.length === 1);
        expect(await call.cutAt(300)).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'timeout', answered: true, retrySameBackend: false } });
      });

      it('JSON: a body that stalls after the headers is cut by the overall timeout (the SDK timeout stops at the headers)', async () => {
        backend.fake.enqueue(faults.stall());
        const limits: CallLimits = { timeoutMs: 300, firstTokenTimeoutMs: 100, idleTimeoutMs: 100 };
        const call = observedCall(entryFor(apiMode, backend.url), request, { limits });
        await until('the response headers', () => call.observed.answered === 1);
        expect(await call.cutAt(300)).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'timeout', answered: false } });
        expect(backend.fake.count(FAKE_PATHS[api])).toBe(1);
      });

      it('JSON: a hung backend times out (first-token and idle limits do not apply without a stream)', async () => {
        backend.fake.enqueue(faults.hang());
        const limits: CallLimits = { timeoutMs: 300, firstTokenTimeoutMs: 50, idleTimeoutMs: 50 };
        const call = observedCall(entryFor(apiMode, backend.url), request, { limits });
        await until('the fake to receive the request', () => backend.fake.count(FAKE_PATHS[api]) === 1);
        expect(await call.cutAt(300)).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'timeout' } });
      });

      it('a caller abort mid-stream is aborted, never a truncated success', async () => {
        backend.fake.enqueue({ type: 'reply', textChunks: ['Hel', 'lo'], pauseAfterFirstTokenMs: 1_000 });
        const controller = new AbortController();
        const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_500, idleTimeoutMs: 1_500 };
        const deltas: string[] = [];
        // No virtual time passes: no deadline can have ended it.
        const outcome = await sdkTransport().call(entryFor(apiMode, backend.url), streamed, {
          limits,
          signal: controller.signal,
          onText: (d) => {
            deltas.push(d);
            controller.abort();
          },
        });
        expect(outcome).toMatchObject({ ok: false, failure: { kind: 'aborted', reason: 'aborted' } });
        expect(deltas).toEqual(['Hel']);
      });

      it('a caller abort before the headers is aborted (JSON and stream)', async () => {
        for (const [i, stream] of [false, true].entries()) {
          backend.fake.enqueue(faults.hang());
          const controller = new AbortController();
          const limits: CallLimits = { timeoutMs: 1_500, firstTokenTimeoutMs: 1_500, idleTimeoutMs: 1_500 };
          const outcome = sdkTransport().call(entryFor(apiMode, backend.url), { ...request, stream }, { limits, signal: controller.signal });
          await until('the fake to receive the request', () => backend.fake.count(FAKE_PATHS[api]) === i + 1);
          controller.abort();
          expect(await outcome).toMatchObject({ ok: false, failure: { kind: 'aborted' } });
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
        const observed = observedFetch();
        // No virtual time passes: the exception, not a deadline, ends the call.
        await expect(
          sdkTransport({ fetch: observed.fetch }).call(entryFor(apiMode, backend.url), streamed, {
            limits,
            onText: () => {
              throw new Error('display broke');
            },
          }),
        ).rejects.toThrow('display broke');
        expect(observed.aborted).toBe(true);
      });
    });

    it(`${apiMode}, on real timers: a hung backend is cut by the overall timeout, and not before it`, async () => {
      // The one check of the wiring to Node's own timers; only a lower bound, which load cannot break.
      backend.fake.enqueue(faults.hang());
      const limits: CallLimits = { timeoutMs: 300, firstTokenTimeoutMs: 50, idleTimeoutMs: 50 };
      const { value: outcome, ms } = await timed(() => sdkTransport().call(entryFor(apiMode, backend.url), request, { limits }));
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'backend_fault', reason: 'timeout' } });
      expect(ms).toBeGreaterThanOrEqual(290); // Node's timers may fire up to a millisecond early against performance.now()
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
