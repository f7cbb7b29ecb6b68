import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { classifierOptionsFrom, loadRouterConfig } from '../../src/index.js';
import { sdkTransport } from '../../src/transports/index.js';
import { advance, ioTurn, observedFetch, settledFlag, until, useVirtualTimers, type ObservedFetch } from '../support/virtualTimers.js';
import { ask, CHAT, E2E, MESSAGES, rejection, timed, facadeWithFallback } from './harness.js';

// A backend that never answers (or stops mid-answer) is cut by the transport's deadlines and the
// turn fails over well before a user would give up; a silent backend is not retried on the same route.
//
// The deadlines run on virtual timers (test/support/virtualTimers.ts): each test waits, on real
// time, until the primary's request is where it wants it, then moves time to just before the
// deadline (the request is still open) and onto it (it is cut, and the fallback answers). The
// first test also runs on real timers, with only the bound load cannot cross: not before the limit.
const yaml = (primaryUrl: string, fallbackUrl: string) => facadeWithFallback(primaryUrl, fallbackUrl);

/** A transport like the harness's whose requests the test observes. */
function observedTransport(primaryUrl: string, fallbackUrl: string): { observed: ObservedFetch; transport: ReturnType<typeof sdkTransport> } {
  const observed = observedFetch();
  const config = loadRouterConfig(yaml(primaryUrl, fallbackUrl), { env: {} });
  return { observed, transport: sdkTransport({ classify: classifierOptionsFrom(config.health), fetch: observed.fetch }) };
}

/** Moves virtual time to just before `ms` and checks the primary's request is open, then onto `ms` and checks it was cut. */
async function cutAt(ms: number, observed: ObservedFetch, reply: Promise<unknown>): Promise<void> {
  const settled = settledFlag(reply);
  advance(ms - 1);
  await ioTurn();
  expect(observed.requests[0]?.signal?.aborted, `cut before ${ms} ms`).toBe(false);
  expect(settled(), `answered before ${ms} ms`).toBe(false);
  advance(1);
  expect(observed.requests[0]?.signal?.aborted, `not cut at ${ms} ms`).toBe(true);
}

describe('a hung backend is cut by the timeout (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('on real timers: a JSON call to a backend that never answers is cut, not before timeoutMs (500 ms), and fails over', async () => {
    const primary = await e2e.server(faults.hang());
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const { router } = await e2e.router(yaml(primary.url, fallback.url), { limits: { timeoutMs: 500 } });

    const { value, ms } = await timed(() => router.startTurn().main(ask('hello')));
    expect(value).toMatchObject({ text: 'from the fallback', servedBy: 'fallback_providers[0]' });
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(primary.count()).toBe(1);
  });

  describe('on virtual timers', () => {
    useVirtualTimers();

    it('JSON call to a backend that never answers: cut at timeoutMs (500 ms), 1 request, fail-over, the title skips it', async () => {
      const primary = await e2e.server(faults.hang());
      const fallback = await e2e.server(faults.ok('from the fallback'));
      const { observed, transport } = observedTransport(primary.url, fallback.url);
      const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), { transport, limits: { timeoutMs: 500 } });

      const turn = router.startTurn();
      const reply = turn.main(ask('hello'));
      await until('the primary to receive the request', () => primary.count() === 1);
      await cutAt(500, observed, reply);
      expect(await reply).toMatchObject({ text: 'from the fallback', servedBy: 'fallback_providers[0]' });
      expect(primary.paths()).toEqual([MESSAGES]);
      expect(registry.health(config.primary.endpointKey).lastFailure).toMatchObject({ kind: 'backend_fault', reason: 'timeout' });
      expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
      expect(primary.count()).toBe(1);
      expect(fallback.paths()).toEqual([CHAT, CHAT]);
    });

    it('stream to a backend that never answers: cut by the first-token timeout (300 ms) long before timeoutMs, 1 request, fail-over', async () => {
      const primary = await e2e.server(faults.hang());
      const fallback = await e2e.server(faults.ok('streamed from the fallback'));
      const { observed, transport } = observedTransport(primary.url, fallback.url);
      const { router } = await e2e.router(yaml(primary.url, fallback.url), { transport, limits: { timeoutMs: 10_000, firstTokenTimeoutMs: 300 } });

      const reply = router.startTurn().main(ask('hello', { stream: true }));
      await until('the primary to receive the request', () => primary.count() === 1);
      await cutAt(300, observed, reply);
      expect(await reply).toMatchObject({ text: 'streamed from the fallback', servedBy: 'fallback_providers[0]' });
      expect(primary.count()).toBe(1);
      expect(fallback.count()).toBe(1);
    });

    it('stream whose headers arrive but no token follows: cut by the first-token timeout, 1 request, fail-over', async () => {
      const primary = await e2e.server({ type: 'reply', text: 'too late', delayBeforeFirstTokenMs: 5_000 });
      const fallback = await e2e.server(faults.ok('streamed from the fallback'));
      const { observed, transport } = observedTransport(primary.url, fallback.url);
      const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), { transport, limits: { timeoutMs: 10_000, firstTokenTimeoutMs: 300 } });

      const reply = router.startTurn().main(ask('hello', { stream: true }));
      await until('the primary’s headers and first events', () => observed.received.includes('message_start'));
      await cutAt(300, observed, reply);
      expect(await reply).toMatchObject({ text: 'streamed from the fallback', servedBy: 'fallback_providers[0]' });
      expect(primary.count()).toBe(1);
      expect(registry.health(config.primary.endpointKey).lastFailure).toMatchObject({ reason: 'first_token_timeout' });
    });

    it('stream that stalls after its first text: cut by the idle timeout (300 ms), the partial text is not returned, fail-over', async () => {
      const primary = await e2e.server(faults.stall(4));
      const fallback = await e2e.server(faults.ok('streamed from the fallback'));
      const { observed, transport } = observedTransport(primary.url, fallback.url);
      const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), {
        transport,
        limits: { timeoutMs: 10_000, firstTokenTimeoutMs: 5_000, idleTimeoutMs: 300 },
      });

      const reply = router.startTurn().main(ask('hello', { stream: true }));
      await until('the primary’s first text', () => observed.received.includes('Hello from the fake.'));
      await ioTurn(); // the transport sees it: the idle timer restarts at virtual time 0
      await cutAt(300, observed, reply);
      expect(await reply).toMatchObject({ text: 'streamed from the fallback', servedBy: 'fallback_providers[0]' });
      expect(primary.count()).toBe(1);
      expect(registry.health(config.primary.endpointKey).lastFailure).toMatchObject({ reason: 'stream_stall' });
    });

    it('the caller’s AbortSignal cuts a hung call at once: RoutingError aborted, no fail-over, nothing penalized', async () => {
      const primary = await e2e.server(faults.hang());
      const fallback = await e2e.server(faults.ok('never'));
      const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), { limits: { timeoutMs: 10_000 } });

      // No virtual time passes: only the caller's abort can end the call.
      const caller = new AbortController();
      const reply = rejection(router.startTurn().main(ask('hello'), { signal: caller.signal }));
      await until('the primary to receive the request', () => primary.count() === 1);
      caller.abort();
      expect(await reply).toMatchObject({ name: 'RoutingError', failure: { kind: 'aborted' } });
      expect(primary.count()).toBe(1);
      expect(fallback.count()).toBe(0);
      expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'healthy', known: false });
    });
  });
});
