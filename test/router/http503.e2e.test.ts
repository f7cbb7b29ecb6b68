import { afterEach, describe, expect, it } from 'vitest';
import type { FaultPlan } from '../../src/testing/index.js';
import { faults } from '../../src/testing/index.js';
import { ask, E2E, T0 } from '../e2e/harness.js';
import { until } from '../support/virtualTimers.js';

// HTTP 503 through both real SDKs against a local fake server: the most common transient status
// gets the same one same-backend retry as a 500 or 502. A short `retry-after` (≤ the router's
// inlineRetryAfterMaxMs, 2 s) is waited out first, on the router's clock; a long one fails over at
// once, and if the backend is then ejected its cooldown lasts at least the hint.

/** A 503 in the API's own envelope, with the given headers. */
const unavailable =
  (headers: Readonly<Record<string, string>> = {}): FaultPlan =>
  (r) =>
    r.api === 'anthropic'
      ? { type: 'apiError', status: 503, errorType: 'api_error', message: 'Service Unavailable', headers }
      : { type: 'apiError', status: 503, errorType: 'server_error', message: 'Service Unavailable', headers };

const config = (primaryUrl: string, fallbackUrl: string, mode: 'anthropic_messages' | 'chat_completions') => `
model: local-model
provider: custom
base_url: ${mode === 'anthropic_messages' ? primaryUrl : `${primaryUrl}/v1`}
api_mode: ${mode}
fallback_providers:
  - provider: custom
    model: qwen3:32b
    base_url: ${fallbackUrl}/v1
    api_mode: chat_completions
`;

describe.each(['anthropic_messages', 'chat_completions'] as const)('HTTP 503 on a %s primary (real SDKs)', (mode) => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('without retry-after: one immediate retry on the same backend, which serves; the fallback gets nothing', async () => {
    const primary = await e2e.server();
    const fallback = await e2e.server(faults.ok('from the fallback'));
    primary.fake.enqueue(unavailable(), faults.ok('second try works'));
    const { router, registry, config: c } = await e2e.router(config(primary.url, fallback.url, mode), { activeProbes: false });
    expect(await router.startTurn().main(ask('hello'))).toMatchObject({ text: 'second try works', servedBy: 'model' });
    expect([primary.count(), fallback.count()]).toEqual([2, 0]);
    const failed = (await registry.journal.load()).facts.filter((f) => f.type === 'call.failed');
    expect(failed.map((f) => f.type === 'call.failed' && f.failure.reason)).toEqual(['http_503']);
    // The success of the retry closed the streak.
    expect(registry.health(c.primary.endpointKey).status).toBe('healthy');
  });

  it('retry-after: 1 is waited out (1 s on the router clock), then the same backend is retried and serves', async () => {
    const primary = await e2e.server();
    const fallback = await e2e.server(faults.ok('from the fallback'));
    primary.fake.enqueue(unavailable({ 'retry-after': '1' }), faults.ok('after the wait'));
    const { router, clock, registry } = await e2e.router(config(primary.url, fallback.url, mode), { activeProbes: false });
    const failedAt: number[] = [];
    registry.events$.subscribe((fact) => fact.type === 'call.failed' && failedAt.push(fact.at));
    const reply = router.startTurn().main(ask('hello'));
    // The router's clock stands still while the 503 travels (real I/O, however slow the machine is).
    await until('the 503 to be recorded', () => failedAt.length === 1);
    // The retry waits on the router's clock, due exactly one second after the 503, and not before.
    expect(clock.dueTimes()).toContain(failedAt[0]! + 1_000);
    clock.advanceBy(999);
    expect(clock.dueTimes()).toContain(failedAt[0]! + 1_000);
    expect(primary.count()).toBe(1);
    clock.advanceBy(1);
    expect(await reply).toMatchObject({ text: 'after the wait', servedBy: 'model' });
    expect([primary.count(), fallback.count()]).toEqual([2, 0]);
  });

  it('retry-after: 120 fails over at once; when a second one ejects the backend, its cooldown lasts the 120 s asked for, not the 30 s default', async () => {
    const primary = await e2e.server(unavailable({ 'retry-after': '120' }));
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const { router, clock, routability, config: c, registry } = await e2e.router(config(primary.url, fallback.url, mode), { activeProbes: false });
    expect(await router.startTurn().main(ask('one'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect([primary.count(), fallback.count()]).toEqual([1, 1]);
    expect(registry.health(c.primary.endpointKey).status).toBe('suspect');

    clock.advanceBy(10_000);
    // The next turn is restored on the primary (still routable while suspect); its second 503 trips the threshold.
    expect(await router.startTurn().main(ask('two'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect([primary.count(), fallback.count()]).toEqual([2, 2]);
    expect(routability(c.primary)).toMatchObject({ routable: false, until: T0 + 10_000 + 120_000 });
    expect(registry.health(c.primary.endpointKey)).toMatchObject({ status: 'cooldown', level: 1 });
  });
});
