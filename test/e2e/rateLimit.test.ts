import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { ask, CHAT, E2E, maxTokensOf, MESSAGES, settled, T0 } from './harness.js';

// 429 with a retry hint, through both SDKs. A short hint (≤ inlineRetryAfterMaxMs, 2 s) is waited
// out on the same backend; a long one fails over at once and cools the backend for the hint.
// `health.rateLimit.minMs: 100` lets a 300 ms hint through unclamped (the default floor is 1 s).
/**
 * Waits (real time) until the router has answered the 429 by arming its inline wait on the
 * simulated clock, due `ms` after `start`. Nothing moves that clock but the test, so the wait
 * cannot end, nor the retry go out, before the test moves it there.
 */
async function waitArmed(clock: { dueTimes(): number[] }, due: number): Promise<void> {
  await settled(() => clock.dueTimes().includes(due));
}

const config = (primaryUrl: string, fallbackUrl: string, primaryMode: 'anthropic_messages' | 'chat_completions') => `
model: local-model
provider: custom
base_url: ${primaryMode === 'anthropic_messages' ? primaryUrl : `${primaryUrl}/v1`}
api_mode: ${primaryMode}
fallback_providers:
  - provider: custom
    model: qwen3:32b
    base_url: ${fallbackUrl}/v1
    api_mode: chat_completions
auxiliary:
  title_generation: { provider: auto }
health:
  rateLimit: { minMs: 100 }
`;

describe.each(['anthropic_messages', 'chat_completions'] as const)('429 with a retry hint on a %s primary (real SDKs)', (mode) => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('a short retry-after-ms (300 ms) is waited out on the same backend: 2 requests there, success, nothing recorded, nothing to the fallback', async () => {
    const primary = await e2e.server();
    const fallback = await e2e.server(faults.ok('from the fallback'));
    primary.fake.enqueue(faults.rateLimited({ 'retry-after-ms': '300' }), faults.ok('after the wait'));
    const { router, config: c, registry, clock, notices, routability } = await e2e.router(config(primary.url, fallback.url, mode));

    const turn = router.startTurn();
    const start = clock.now();
    const reply = turn.main(ask('hello'));
    // The wait runs on the router's (here simulated) clock: once it is armed for the hinted 300 ms,
    // 299 ms pass with the wait still pending (no retry can be sent), and the 300th sends it.
    await waitArmed(clock, start + 300);
    expect(primary.count()).toBe(1);
    clock.advanceBy(299);
    expect(clock.dueTimes()).toContain(start + 300);
    clock.advanceBy(1);
    expect(clock.dueTimes()).not.toContain(start + 300);
    await settled(() => primary.count() === 2);
    expect(await reply).toMatchObject({ text: 'after the wait', servedBy: 'model' });
    expect(primary.count()).toBe(2);
    expect(fallback.count()).toBe(0);
    // Being told to wait 300 ms is not ill health: nothing was journaled, nothing is avoided.
    expect((await registry.journal.load()).facts.filter((f) => f.type === 'call.failed')).toEqual([]);
    expect(routability(c.primary).routable).toBe(true);
    expect(notices).toEqual([]);
    expect(turn.effectiveRuntime?.label).toBe('model');
  });

  it('after a short retry-after was waited out, the title of the same turn follows the effective runtime: the same backend', async () => {
    const primary = await e2e.server();
    const fallback = await e2e.server(faults.ok('from the fallback'));
    primary.fake.enqueue(faults.rateLimited({ 'retry-after-ms': '300' }), faults.ok('after the wait'));
    const { router, clock } = await e2e.router(config(primary.url, fallback.url, mode));

    const turn = router.startTurn();
    const reply = turn.main(ask('hello'));
    await waitArmed(clock, clock.now() + 300);
    clock.advanceBy(300);
    await settled(() => primary.count() === 2);
    expect((await reply).servedBy).toBe('model');
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'model' });
    turn.end();
    expect(primary.count()).toBe(3);
    expect(fallback.count()).toBe(0);
  });

  it('a long retry-after (30 s) fails over at once: 1 request there, the backend cools for the hinted 30 s, then is restored', async () => {
    const primary = await e2e.server();
    const fallback = await e2e.server(faults.ok('from the fallback'));
    primary.fake.enqueue(faults.rateLimited({ 'retry-after': '30' }));
    const { router, config: c, registry, clock, notices, routability } = await e2e.router(config(primary.url, fallback.url, mode));

    const t1 = router.startTurn();
    // The router's waits run on the simulated clock, which nothing moves during this call: that
    // the call returns at all shows it did not wait for the hint.
    expect(await t1.main(ask('hello'))).toMatchObject({ text: 'from the fallback', servedBy: 'fallback_providers[0]' });
    expect(clock.now()).toBe(T0);
    expect(await t1.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    t1.end();
    expect(primary.count()).toBe(1);
    expect(registry.health(c.primary.endpointKey)).toMatchObject({
      status: 'cooldown',
      cooldownCause: 'rate_limit',
      deadline: T0 + 30_000,
      lastFailure: { kind: 'rate_limited' },
    });
    expect(routability(c.primary)).toMatchObject({ routable: false, until: T0 + 30_000 });

    // 29 s later: still cooling, the primary gets nothing.
    clock.advanceTo(T0 + 29_000);
    const t2 = router.startTurn();
    expect((await t2.main(ask('again'))).servedBy).toBe('fallback_providers[0]');
    await t2.title(ask('title'));
    expect(primary.count()).toBe(1);

    // Past the hint: the router probes the primary with one token at once (active probes); it
    // answers, so the next turn is restored on it, once.
    clock.advanceTo(T0 + 30_001);
    await settled(() => registry.health(c.primary.endpointKey).status === 'healthy');
    expect(primary.count()).toBe(2);
    expect(maxTokensOf(primary.fake.requests[1])).toBe(1);
    const t3 = router.startTurn();
    expect(await t3.main(ask('back?'))).toMatchObject({ servedBy: 'model' });
    expect(primary.paths()).toEqual(Array(3).fill(mode === 'anthropic_messages' ? MESSAGES : CHAT));
    expect(fallback.count()).toBe(4);
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
  });
});
