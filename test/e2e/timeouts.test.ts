import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { ask, CHAT, E2E, MESSAGES, rejection, timed, facadeWithFallback } from './harness.js';

// A backend that never answers (or stops mid-answer) is cut by the transport's deadlines and the
// turn fails over well before a user would give up; a silent backend is not retried on the same route.
const yaml = (primaryUrl: string, fallbackUrl: string) => facadeWithFallback(primaryUrl, fallbackUrl);

describe('a hung backend is cut by the timeout (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('JSON call to a backend that never answers: cut at timeoutMs (500 ms), 1 request, fail-over, the title skips it', async () => {
    const primary = await e2e.server(faults.hang());
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), { limits: { timeoutMs: 500 } });

    const turn = router.startTurn();
    const { value, ms } = await timed(() => turn.main(ask('hello')));
    expect(value).toMatchObject({ text: 'from the fallback', servedBy: 'fallback_providers[0]' });
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(1_500);
    expect(primary.paths()).toEqual([MESSAGES]);
    expect(registry.health(config.primary.endpointKey).lastFailure).toMatchObject({ kind: 'backend_fault', reason: 'timeout' });
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(primary.count()).toBe(1);
    expect(fallback.paths()).toEqual([CHAT, CHAT]);
  });

  it('stream to a backend that never answers: cut by the first-token timeout (300 ms) long before timeoutMs, 1 request, fail-over', async () => {
    const primary = await e2e.server(faults.hang());
    const fallback = await e2e.server(faults.ok('streamed from the fallback'));
    const { router } = await e2e.router(yaml(primary.url, fallback.url), { limits: { timeoutMs: 10_000, firstTokenTimeoutMs: 300 } });

    const { value, ms } = await timed(() => router.startTurn().main(ask('hello', { stream: true })));
    expect(value).toMatchObject({ text: 'streamed from the fallback', servedBy: 'fallback_providers[0]' });
    expect(ms).toBeLessThan(1_500);
    expect(primary.count()).toBe(1);
    expect(fallback.count()).toBe(1);
  });

  it('stream whose headers arrive but no token follows: cut by the first-token timeout, 1 request, fail-over', async () => {
    const primary = await e2e.server({ type: 'reply', text: 'too late', delayBeforeFirstTokenMs: 5_000 });
    const fallback = await e2e.server(faults.ok('streamed from the fallback'));
    const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), { limits: { timeoutMs: 10_000, firstTokenTimeoutMs: 300 } });

    const { value, ms } = await timed(() => router.startTurn().main(ask('hello', { stream: true })));
    expect(value).toMatchObject({ text: 'streamed from the fallback', servedBy: 'fallback_providers[0]' });
    expect(ms).toBeLessThan(1_500);
    expect(primary.count()).toBe(1);
    expect(registry.health(config.primary.endpointKey).lastFailure).toMatchObject({ reason: 'first_token_timeout' });
  });

  it('stream that stalls after its first text: cut by the idle timeout (300 ms), the partial text is not returned, fail-over', async () => {
    const primary = await e2e.server(faults.stall(4));
    const fallback = await e2e.server(faults.ok('streamed from the fallback'));
    const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), { limits: { timeoutMs: 10_000, firstTokenTimeoutMs: 5_000, idleTimeoutMs: 300 } });

    const { value, ms } = await timed(() => router.startTurn().main(ask('hello', { stream: true })));
    expect(value).toMatchObject({ text: 'streamed from the fallback', servedBy: 'fallback_providers[0]' });
    expect(ms).toBeLessThan(1_500);
    expect(primary.count()).toBe(1);
    expect(registry.health(config.primary.endpointKey).lastFailure).toMatchObject({ reason: 'stream_stall' });
  });

  it('the caller’s AbortSignal cuts a hung call at once: RoutingError aborted, no fail-over, nothing penalized', async () => {
    const primary = await e2e.server(faults.hang());
    const fallback = await e2e.server(faults.ok('never'));
    const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url), { limits: { timeoutMs: 10_000 } });

    const { value: error, ms } = await timed(() => rejection(router.startTurn().main(ask('hello'), { signal: AbortSignal.timeout(200) })));
    expect(error).toMatchObject({ name: 'RoutingError', failure: { kind: 'aborted' } });
    expect(ms).toBeLessThan(1_500);
    expect(primary.count()).toBe(1);
    expect(fallback.count()).toBe(0);
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'healthy', known: false });
  });
});
