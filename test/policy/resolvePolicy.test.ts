import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEALTH_POLICY,
  ejectionCooldownMs,
  maxEscalationLevel,
  PolicyError,
  rateLimitCooldownMs,
  resolveHealthPolicy,
} from '../../src/policy/index.js';

function issuesOf(input: unknown): { path: string; value: unknown; expected: string }[] {
  try {
    resolveHealthPolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return [...(error as PolicyError).issues];
  }
  throw new Error('expected a PolicyError');
}

describe('resolveHealthPolicy', () => {
  it('gives the documented defaults for nothing, and merges a partial policy over them', () => {
    expect(resolveHealthPolicy()).toEqual(DEFAULT_HEALTH_POLICY);
    const p = resolveHealthPolicy({ cooldown: { baseMs: 10_000 }, thresholds: { unreachable: 2 } });
    expect(p.cooldown).toEqual({ baseMs: 10_000, multiplier: 2, maxMs: 300_000, jitter: 0.1 });
    expect(p.thresholds).toEqual({ backend_fault: 2, unreachable: 2 });
  });

  it.each([
    [{ cooldown: { baseMs: -5 } }, 'health.cooldown.baseMs', -5, 'a whole number of milliseconds from 1000 to 86400000'],
    [{ cooldown: { jitter: 'x' } }, 'health.cooldown.jitter', 'x', 'a number from 0 to 1'],
    [{ thresholds: { backend_fault: 0 } }, 'health.thresholds.backend_fault', 0, 'a whole number from 1 to 100'],
    [{ thresholds: { backend_fault: 1.5 } }, 'health.thresholds.backend_fault', 1.5, 'a whole number from 1 to 100'],
    [{ streakWindowMs: '3m' }, 'health.streakWindowMs', '3m', 'a whole number of milliseconds from 1000 to 86400000'],
    [{ scope: 'provider' }, 'health.scope', 'provider', '"endpoint" or "model"'],
    [{ crashSignatures: ['ok', ''] }, 'health.crashSignatures.1', '', 'a non-empty string'],
    [{ crashSignatures: 'process exited' }, 'health.crashSignatures', 'process exited', 'a list of non-empty strings'],
    [{ probe: { timeoutMs: 5 } }, 'health.probe.timeoutMs', 5, 'a whole number of milliseconds from 100 to 86400000'],
    [{ probe: { active: 'no' } }, 'health.probe.active', 'no', 'true or false'],
    [{ probe: { trafficWindowMs: 5 } }, 'health.probe.trafficWindowMs', 5, 'a whole number of milliseconds from 1000 to 604800000'],
    [{ probe: { trafficWindowMs: '10m' } }, 'health.probe.trafficWindowMs', '10m', 'a whole number of milliseconds from 1000 to 604800000, or null for no limit'],
    [{ rateLimit: { multiplier: 0.5 } }, 'health.rateLimit.multiplier', 0.5, 'a number from 1 to 10'],
    [7, 'health', 7, 'an object of health policy settings'],
  ])('rejects %j naming the field, the value and what is allowed', (input, path, value, expected) => {
    expect(issuesOf(input)).toContainEqual({ path, value, expected });
  });

  it('has the new health refinements on by default: hintless 429s escalate by 2, active probes on, only for routers with a turn in the last 10 minutes', () => {
    expect(DEFAULT_HEALTH_POLICY.rateLimit.multiplier).toBe(2);
    expect(DEFAULT_HEALTH_POLICY.probe).toMatchObject({ active: true, trafficWindowMs: 600_000 });
    expect(resolveHealthPolicy({ probe: { active: false, trafficWindowMs: null } }).probe).toEqual({ timeoutMs: 60_000, intervalMs: 30_000, active: false, trafficWindowMs: null });
  });

  it('rejects unknown fields (a typo must not silently keep a default) and lists the allowed ones', () => {
    const issues = issuesOf({ cooldown: { basems: 1000 } });
    expect(issues).toEqual([{ path: 'health.cooldown.basems', value: 1000, expected: 'one of the known fields here (baseMs, multiplier, maxMs, jitter)' }]);
  });

  it('checks rules between fields against the merged policy', () => {
    expect(issuesOf({ cooldown: { maxMs: 10_000 } })).toEqual([
      { path: 'health.cooldown.maxMs', value: 10_000, expected: 'at least cooldown.baseMs (30000)' },
    ]);
    expect(issuesOf({ cooldown: { multiplier: 1.5, jitter: 0.6 } })[0]).toMatchObject({ path: 'health.cooldown.jitter', value: 0.6 });
    expect(issuesOf({ rateLimit: { defaultMs: 500 } })[0]).toMatchObject({ path: 'health.rateLimit.defaultMs', value: 500 });
    expect(issuesOf({ rateLimit: { minMs: 5_000, maxMs: 4_000, defaultMs: 4_500 } })[0]).toMatchObject({ path: 'health.rateLimit.maxMs' });
  });

  it('lets the default jitter yield to a small multiplier instead of rejecting it', () => {
    expect(resolveHealthPolicy({ cooldown: { multiplier: 1.05 } }).cooldown.jitter).toBeCloseTo(0.05);
    expect(resolveHealthPolicy({ cooldown: { multiplier: 1 } }).cooldown.jitter).toBe(0);
  });

  it('reports every issue at once, under the prefix the caller names', () => {
    let message = '';
    try {
      resolveHealthPolicy({ cooldown: { baseMs: 0, multiplier: 99 } }, { path: 'routes.main.health' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('routes.main.health.cooldown.baseMs: got 0; expected a whole number of milliseconds');
    expect(message).toContain('routes.main.health.cooldown.multiplier: got 99; expected a number from 1 to 10');
  });
});

describe('cooldown arithmetic', () => {
  const c = DEFAULT_HEALTH_POLICY.cooldown;
  it('escalates by the multiplier and caps at the max, at the level it reaches it', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => ejectionCooldownMs(c, n))).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(maxEscalationLevel(c)).toBe(5);
    expect(maxEscalationLevel({ ...c, multiplier: 1 })).toBe(1);
    expect(maxEscalationLevel({ ...c, maxMs: c.baseMs })).toBe(1);
  });

  it('jitter lengthens by at most jitter × sample and never passes the cap', () => {
    expect(ejectionCooldownMs(c, 1, 0.5)).toBe(31_500);
    expect(ejectionCooldownMs(c, 4, 0.99)).toBe(263_760);
    expect(ejectionCooldownMs({ ...c, maxMs: 250_000 }, 4, 0.99)).toBe(250_000);
  });

  it('rate-limit cooldowns use the hint clamped to the bounds, or the default', () => {
    const r = DEFAULT_HEALTH_POLICY.rateLimit;
    expect(rateLimitCooldownMs(r, undefined)).toBe(60_000);
    expect(rateLimitCooldownMs(r, 0)).toBe(1_000);
    expect(rateLimitCooldownMs(r, 12.4)).toBe(1_000);
    expect(rateLimitCooldownMs(r, 20_000)).toBe(20_000);
    expect(rateLimitCooldownMs(r, 99_999_999)).toBe(3_600_000);
    expect(rateLimitCooldownMs(r, Number.NaN)).toBe(60_000);
  });
});
