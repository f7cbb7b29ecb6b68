import { afterEach, describe, expect, it } from 'vitest';
import { faults, type FakeRequest } from '../../src/testing/index.js';
import { ask, E2E, facadeWithFallback, maxTokensOf, settled, T0 } from './harness.js';

/**
 * A 10-minute facade outage with a turn every 20 s, through the real SDKs on a simulated health
 * clock: the cooldown escalates to its 300 s cap, yet early probes (every `probe.intervalMs`,
 * 30 s by default) bring the primary back within one interval of its recovery, and nothing but
 * one-token probes reaches it while it is cooling.
 */
const OUTAGE_MS = 600_000;
const TURN_EVERY_MS = 20_000;
const STEP_MS = 1_000;

describe('early probes during an escalated cooldown (end to end, real SDKs)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('the primary gets only one-token probes, at least an interval apart, and is back within one interval of recovering', async () => {
    let now = () => T0;
    const atFacade: { at: number; request: FakeRequest }[] = [];
    const facade = await e2e.server((request) => {
      atFacade.push({ at: now() - T0, request });
      return now() - T0 < OUTAGE_MS ? faults.crash() : faults.ok('from the facade');
    });
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const { config, clock, registry, router, notices } = await e2e.router(facadeWithFallback(facade.url, fallback.url));
    now = () => clock.now();
    const primary = config.primary.endpointKey;
    const idle = () => settled(() => !registry.health(primary).probeInFlight);

    const served: string[] = [];
    let healthyAgainAt: number | undefined;
    for (let t = 0; t < OUTAGE_MS + 120_000; t += STEP_MS) {
      clock.advanceTo(T0 + t);
      await idle();
      if (healthyAgainAt === undefined && t >= OUTAGE_MS && registry.health(primary).status === 'healthy') healthyAgainAt = t;
      if (t % TURN_EVERY_MS !== 0) continue;
      const turn = router.startTurn();
      served.push((await turn.main(ask(`turn at ${t / 1000} s`))).servedBy);
      await turn.title(ask('a title'));
      turn.end();
      await idle();
    }

    const during = atFacade.filter((r) => r.at < OUTAGE_MS);
    console.log(`facade during outage: ${during.length} requests at ${during.map((r) => `${r.at / 1000} s (max_tokens ${String(maxTokensOf(r.request))})`).join(", ")}; healthy again ${(healthyAgainAt! - OUTAGE_MS) / 1000} s after recovery`);
    // The first turn's main reply met the crash; everything after it was a router probe.
    expect(maxTokensOf(during[0]?.request)).toBe(64);
    expect(during.slice(1).map((r) => maxTokensOf(r.request))).toEqual(during.slice(1).map(() => 1));
    const gaps = during.slice(1).map((r, i) => r.at - during[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30_000);
    expect(during.length).toBeLessThanOrEqual(1 + OUTAGE_MS / 30_000);
    // The escalation did happen (a 300 s cooldown was in force by the end of the outage)…
    expect(registry.health(primary).level).toBeGreaterThanOrEqual(4);
    // …and still the primary closed within one probe interval of recovering, then served the next turn.
    expect(healthyAgainAt).toBeDefined();
    expect(healthyAgainAt! - OUTAGE_MS).toBeLessThanOrEqual(30_000);
    const firstTurnAfter = Math.ceil(healthyAgainAt! / TURN_EVERY_MS) * TURN_EVERY_MS;
    expect(served[firstTurnAfter / TURN_EVERY_MS]).toBe('model');
    expect(served.slice(0, OUTAGE_MS / TURN_EVERY_MS).every((s) => s === 'fallback_providers[0]')).toBe(true);
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
    // Titles followed the effective runtime: none reached the facade during the outage.
    expect(during.filter((r) => JSON.stringify(r.request.body).includes('a title'))).toEqual([]);
  });
});
