import { describe, expect, it } from 'vitest';
import { admitsPanicProbe, routability } from '../../src/health/index.js';
import { DEFAULT_HEALTH_POLICY, escalatedRateLimitMs, maxRateLimitStreak, resolveHealthPolicy } from '../../src/policy/index.js';
import { healthHarness } from '../support/healthHarness.js';

const S = 1_000;

/** Cools the backend with a hintless 429, waits the cooldown out, and has the half-open probe answer 429 again, `times` times; the lengths seen. */
function rateLimitedProbes(h: ReturnType<typeof healthHarness>, times: number): number[] {
  const lengths: number[] = [];
  h.fail('rate_limited', { reason: 'http_429' });
  for (let i = 0; i < times; i++) {
    const c = h.snapshot().context;
    lengths.push(c.deadline! - h.now());
    h.advance(c.deadline! - h.now());
    expect(h.status()).toBe('recovering');
    h.probe();
    h.fail('rate_limited', { reason: 'http_429' });
  }
  return lengths;
}

describe('rate limits: hintless 429s in a row escalate, a success clears them, a hint always wins', () => {
  it('60 s, 120 s, 240 s, then the cap max(defaultMs, cooldown.maxMs) = 300 s', () => {
    const h = healthHarness();
    expect(rateLimitedProbes(h, 6)).toEqual([60, 120, 240, 300, 300, 300].map((s) => s * S));
    expect(h.snapshot().context).toMatchObject({ rateLimitStreak: maxRateLimitStreak(DEFAULT_HEALTH_POLICY), cooldownCause: 'rate_limit', level: 0 });
    expect([1, 2, 3, 4, 9].map((n) => escalatedRateLimitMs(DEFAULT_HEALTH_POLICY, n))).toEqual([60, 120, 240, 300, 300].map((s) => s * S));
  });

  it('the success that closes a rate-limit cooldown clears the streak: the next hintless 429 gets the default again', () => {
    const h = healthHarness();
    rateLimitedProbes(h, 2); // a third cooldown, of 240 s
    h.advance(h.snapshot().context.deadline! - h.now());
    h.probe();
    h.succeed();
    expect(h.snapshot().context).toMatchObject({ status: 'healthy', rateLimitStreak: 0 });
    h.fail('rate_limited', { reason: 'http_429' });
    expect(h.snapshot().context.deadline! - h.now()).toBe(60 * S);
  });

  it('a provider hint wins over the escalated default, and still counts in the streak', () => {
    const h = healthHarness();
    rateLimitedProbes(h, 2);
    h.advance(h.snapshot().context.deadline! - h.now());
    h.probe();
    h.fail('rate_limited', { reason: 'http_429', cooldownHintMs: 20 * S });
    expect(h.snapshot().context).toMatchObject({ cooldownMs: 20 * S, rateLimitStreak: 4 });
  });

  it('rateLimit.multiplier: 1 never escalates (the old rule, 60 s each time)', () => {
    const h = healthHarness(resolveHealthPolicy({ rateLimit: { multiplier: 1 } }));
    expect(rateLimitedProbes(h, 4)).toEqual([60, 60, 60, 60].map((s) => s * S));
  });

  it('a configured 10 s default escalates 10, 20, 40 … up to cooldown.maxMs', () => {
    const h = healthHarness(resolveHealthPolicy({ rateLimit: { defaultMs: 10 * S } }));
    expect(rateLimitedProbes(h, 7)).toEqual([10, 20, 40, 80, 160, 300, 300].map((s) => s * S));
  });

  it('rate limits do not raise the ejection level', () => {
    const h = healthHarness();
    rateLimitedProbes(h, 3);
    h.advance(h.snapshot().context.deadline! - h.now());
    h.probe();
    h.fail('crash');
    expect(h.snapshot().context).toMatchObject({ level: 1, cooldownMs: 30 * S });
  });
});

describe("a failure's hint (a 503's retry-after) on an ejection: the cooldown lasts at least the hint", () => {
  it('a longer hint than the escalated length sets the length; the level still goes up', () => {
    const h = healthHarness();
    h.fail('backend_fault', { reason: 'http_503', cooldownHintMs: 120 * S });
    expect(h.status()).toBe('suspect');
    h.fail('backend_fault', { reason: 'http_503', cooldownHintMs: 120 * S });
    expect(h.snapshot().context).toMatchObject({ status: 'cooldown', cooldownMs: 120 * S, level: 1 });
    expect(h.snapshot().context.deadline! - h.now()).toBe(120 * S);
  });

  it('a shorter hint does not shorten an escalated cooldown', () => {
    const h = healthHarness();
    h.fail('crash');
    h.advance(30 * S);
    h.probe();
    h.fail('backend_fault', { reason: 'http_503', cooldownHintMs: 5 * S });
    expect(h.snapshot().context).toMatchObject({ level: 2, cooldownMs: 60 * S });
  });
});

describe('panic claims: a request every candidate refused takes a cooling backend as its one probe', () => {
  it('a crash cooldown with its slot free admits it; the slot is then taken (no second one); a failure keeps the level and re-rests', () => {
    const h = healthHarness();
    h.fail('crash');
    h.advance(5 * S);
    expect(admitsPanicProbe(h.snapshot(), h.now())).toBe(true);
    h.probe({ panic: true, by: 'w1' });
    expect(h.snapshot().matches({ cooldown: 'probing' })).toBe(true);
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, probeInFlight: true });
    expect(admitsPanicProbe(h.snapshot(), h.now())).toBe(false);
    h.fail('backend_fault');
    expect(h.snapshot().matches({ cooldown: 'resting' })).toBe(true);
    expect(h.snapshot().context).toMatchObject({ level: 1 });
    // The cooldown lasts at least one early-probe interval past the failed probe.
    expect(h.snapshot().context.deadline).toBe(h.now() + 30 * S);
    expect(admitsPanicProbe(h.snapshot(), h.now())).toBe(true);
  });

  it('its success closes the cooldown at once', () => {
    const h = healthHarness();
    h.fail('crash');
    h.advance(5 * S);
    h.probe({ panic: true });
    h.succeed();
    expect(h.status()).toBe('healthy');
  });

  it('a rate-limit cooldown and a down backend admit none: the claim changes nothing', () => {
    const limited = healthHarness();
    limited.fail('rate_limited', { cooldownHintMs: 20 * S });
    expect(admitsPanicProbe(limited.snapshot(), limited.now())).toBe(false);
    const before = limited.snapshot();
    limited.probe({ panic: true });
    expect(limited.snapshot()).toBe(before);
    const down = healthHarness();
    down.fail('auth_config');
    expect(admitsPanicProbe(down.snapshot(), down.now())).toBe(false);
  });
});

describe('probe.abandoned frees the slot only for the claim it names', () => {
  it('the half-open probe of a dead claimer: awaiting a probe again at once; another claimer\'s probe is left alone', () => {
    const h = healthHarness();
    h.fail('crash');
    h.advance(30 * S);
    h.probe({ by: 'alive' });
    h.abandon('gone');
    expect(h.snapshot().matches({ degraded: { recovering: 'probing' } })).toBe(true);
    h.abandon('alive');
    expect(h.snapshot().matches({ degraded: { recovering: 'awaitingProbe' } })).toBe(true);
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: true, as: 'probe' });
  });

  it('an early probe of a dead claimer in a cooldown: due again at once', () => {
    const h = healthHarness();
    h.fail('crash');
    h.advance(5 * S);
    h.probe({ panic: true, by: 'gone' });
    h.abandon('gone');
    expect(h.snapshot().matches({ cooldown: 'probeDue' })).toBe(true);
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, probeDue: true, probeInFlight: false });
  });
});
