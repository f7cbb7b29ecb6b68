import { afterEach, describe, expect, it, vi } from 'vitest';
import { RoutingError, type BackendEntry } from '../../src/index.js';
import { faults } from '../../src/testing/index.js';
import { ask, CHAT, E2E, MESSAGES, rejection, T0, facadeWithFallback } from './harness.js';

const yaml = (primaryUrl: string, fallbackUrl: string) => facadeWithFallback(primaryUrl, fallbackUrl, ['title_generation', 'summarize']);

describe('titles and auxiliary tasks when everything is unhealthy (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(async () => {
    vi.restoreAllMocks();
    await e2e.close();
  });

  it('return { skipped: no_healthy_backend } quietly, send no request and emit auxiliary.skipped (fail_fast: the main reply fails naming the soonest recovery)', async () => {
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const primary = await e2e.server(faults.crash());
    const fallback = await e2e.server(faults.crash('Claude Code process exited with code 137'));
    const { router, config, notices, routability, clock } = await e2e.router(yaml(primary.url, fallback.url), { allUnhealthy: 'fail_fast' });

    // Turn 1: both crash on the main reply (1 request each: a crash is not retried).
    const t1 = router.startTurn();
    const failed = await rejection(t1.main(ask('hello')));
    expect(failed).toBeInstanceOf(RoutingError);
    expect(primary.paths()).toEqual([MESSAGES]);
    expect(fallback.paths()).toEqual([CHAT]);
    // The title of the same turn: quietly skipped, nothing sent.
    expect(await t1.title(ask('title'))).toMatchObject({ skipped: 'no_healthy_backend' });
    expect(await t1.auxiliary('summarize', ask('summarize'))).toMatchObject({ skipped: 'no_healthy_backend' });
    t1.end();
    expect(primary.count() + fallback.count()).toBe(2);

    // Turn 2, 5 s later: both cooling. The title (asked first) is skipped without a request and says
    // when the soonest backend recovers; the main reply fails fast naming the same time.
    clock.advanceBy(5_000);
    const soonest = Math.min(...[config.primary, config.fallbacks[0]!].map((e) => (routability(e) as { until: number }).until));
    expect(soonest).toBeGreaterThan(T0 + 5_000);
    const t2 = router.startTurn();
    expect(await t2.title(ask('title'))).toEqual({ skipped: 'no_healthy_backend', until: soonest });
    const failFast = await rejection(t2.main(ask('again')));
    expect(failFast).toMatchObject({ name: 'RoutingError', noHealthyUntil: soonest });
    expect(primary.count() + fallback.count()).toBe(2);

    const skipped = notices.filter((n) => n.type === 'auxiliary.skipped');
    expect(skipped.map((n) => n.task)).toEqual(['title_generation', 'summarize', 'title_generation']);
    expect(skipped.at(-1)).toMatchObject({ turnId: expect.any(String), until: soonest });
    expect(notices.some((n) => n.type === 'auxiliary.failed')).toBe(false);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('panic (the default try_soonest): the title is skipped, each main reply takes the cooling backend that recovers first as its one probe, and the one that is back serves', async () => {
    const primary = await e2e.server(faults.crash());
    const fallback = await e2e.server(faults.crash('Claude Code process exited with code 137'));
    const { router, config, routability, clock } = await e2e.router(yaml(primary.url, fallback.url));

    const t1 = router.startTurn();
    expect(await rejection(t1.main(ask('hello')))).toBeInstanceOf(RoutingError);
    t1.end();
    expect([primary.count(), fallback.count()]).toEqual([1, 1]);

    // 5 s later both cool; the fallback is back (its facade restarted), which nobody knows yet.
    clock.advanceBy(5_000);
    fallback.fake.setFallback(faults.ok('the fallback is back'));
    const untilOf = (e: BackendEntry) => (routability(e) as { until: number }).until;
    const soonest = [config.primary, config.fallbacks[0]!].sort((a, b) => untilOf(a) - untilOf(b))[0]!;
    const t2 = router.startTurn();
    expect(await t2.title(ask('title'))).toEqual({ skipped: 'no_healthy_backend', until: untilOf(soonest) });
    expect(primary.count() + fallback.count()).toBe(2);
    if (soonest === config.primary) {
      // The primary (still crashing) recovers first: it takes the request as its probe, and the call fails with its crash.
      expect(await rejection(t2.main(ask('again')))).toMatchObject({ name: 'RoutingError', failure: { kind: 'crash' } });
      expect([primary.count(), fallback.count()]).toEqual([2, 1]);
    }
    // Now (or already) the fallback recovers first: it takes the next main reply as its probe and serves.
    const reply = await router.startTurn().main(ask('and again'));
    expect(reply).toMatchObject({ text: 'the fallback is back', servedBy: 'fallback_providers[0]' });
    expect(fallback.count()).toBe(2);
    expect(primary.count()).toBe(soonest === config.primary ? 2 : 1);
  });

  it('a title asked while the main call is in flight waits for it, so it never races the primary that is failing', async () => {
    const primary = await e2e.server(faults.crash());
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const { router } = await e2e.router(yaml(primary.url, fallback.url));

    const turn = router.startTurn();
    const [reply, title] = await Promise.all([turn.main(ask('hello')), turn.title(ask('title'))]);
    expect(reply.servedBy).toBe('fallback_providers[0]');
    expect(title).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(primary.count()).toBe(1);
    expect(fallback.count()).toBe(2);
  });

  it('after a same-backend retry succeeds (a lone 500, then 200), the title still avoids the backend that failed in this turn (docs/routing.md: skipping everything failed this turn)', async () => {
    const primary = await e2e.server(faults.ok('from the primary'));
    const fallback = await e2e.server(faults.ok('from the fallback'));
    primary.fake.enqueue(faults.serverError(500));
    const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url));

    const turn = router.startTurn();
    expect(await turn.main(ask('hello'))).toMatchObject({ text: 'from the primary', servedBy: 'model' });
    expect(turn.effectiveRuntime?.label).toBe('model');
    // The retry's success closed the streak: the primary is healthy for the next turn…
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'healthy' });
    // …but within this turn it failed once, so no more than the configured retry goes to it.
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(primary.count()).toBe(2);
    expect(fallback.count()).toBe(1);
    turn.end();
    expect(await router.startTurn().title(ask('title'))).toMatchObject({ servedBy: 'model' });
    expect(primary.count()).toBe(3);
  });
});
