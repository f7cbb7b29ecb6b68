import { describe, expect, it } from 'vitest';
import { routability } from '../../src/health/index.js';
import { resolveHealthPolicy } from '../../src/policy/index.js';
import { healthHarness } from '../support/healthHarness.js';

const S = 1_000;

/** Two crashes a cooldown apart: the second cooldown (level 2) lasts 60 s, twice the 30 s early-probe interval. */
function inSecondCooldown(policy = resolveHealthPolicy()) {
  const h = healthHarness(policy);
  h.fail('crash');
  h.advance(30 * S);
  h.probe();
  h.fail('crash');
  expect(h.snapshot().context).toMatchObject({ status: 'cooldown', level: 2, cooldownMs: 60 * S });
  return h;
}

describe('early probes during a cooldown (probe.intervalMs)', () => {
  it('admit one probe after each interval while users stay out, and its success closes the cooldown', () => {
    const h = inSecondCooldown();
    const until = h.snapshot().context.deadline!;
    h.advance(30 * S - 1);
    expect(routability(h.snapshot(), h.now())).toEqual({ routable: false, status: 'cooldown', until, probeInFlight: false, probeDue: false });
    h.advance(1);
    // Still closed to a user's request; open to one early probe, announced so an active prober can act.
    expect(routability(h.snapshot(), h.now())).toEqual({ routable: false, status: 'cooldown', until, probeInFlight: false, probeDue: true });
    expect(h.changes.at(-1)).toMatchObject({ from: 'cooldown', to: 'cooldown', probeDue: true, cause: 'timer', until });
    const mark = h.changes.length;
    h.probe();
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, probeInFlight: true, probeDue: false });
    h.probe(); // a second claimant is not admitted
    expect(h.changes.slice(mark).filter((c) => c.cause === 'probe.started')).toHaveLength(1);
    h.advance(2 * S);
    h.succeed(h.now() - 2 * S);
    expect(h.snapshot().context).toMatchObject({ status: 'healthy', level: 2, streak: 0 });
  });

  it('a failed early probe does not escalate; the cooldown then lasts at least one more interval', () => {
    const h = inSecondCooldown();
    const before = h.snapshot().context;
    h.advance(30 * S);
    h.probe();
    h.advance(1 * S);
    h.fail('backend_fault', { reason: 'http_500' });
    const failedAt = h.now();
    const after = h.snapshot().context;
    // The 60 s cooldown would end 29 s after the failure: it is pushed to one interval (30 s) after it.
    expect(after).toMatchObject({ status: 'cooldown', deadline: failedAt + 30 * S, level: before.level, cooldownMs: before.cooldownMs });
    expect(before.deadline).toBe(failedAt + 29 * S);
    expect(after.lastFailure).toMatchObject({ reason: 'http_500' });
    // No early probe in between: the next request it admits is the half-open probe, 30 s after the failure.
    h.advance(30 * S - 1);
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, probeDue: false });
    h.advance(1);
    expect(routability(h.snapshot(), h.now())).toEqual({ routable: true, as: 'probe', status: 'recovering' });
  });

  it('are spaced by the interval through a long cooldown', () => {
    const h = healthHarness(resolveHealthPolicy({ probe: { intervalMs: 10 * S } }));
    h.fail('crash'); // 30 s
    const due: number[] = [];
    for (let i = 0; i < 2; i++) {
      h.advance(10 * S);
      expect(routability(h.snapshot(), h.now())).toMatchObject({ probeDue: true });
      due.push(h.now());
      h.probe();
      h.fail('crash');
    }
    expect(due[1]! - due[0]!).toBe(10 * S);
    expect(h.snapshot().context).toMatchObject({ status: 'cooldown', level: 1 });
  });

  it('a lost early probe frees the slot after the probe timeout', () => {
    const h = healthHarness(resolveHealthPolicy({ probe: { intervalMs: 10 * S, timeoutMs: 5 * S } }));
    h.fail('crash');
    h.advance(10 * S);
    h.probe();
    h.advance(5 * S);
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, probeDue: true, probeInFlight: false });
  });

  it('none when the cooldown ends first, during a rate-limit cooldown, or with intervalMs null', () => {
    const level1 = healthHarness();
    level1.fail('crash'); // 30 s cooldown, interval 30 s: the half-open state comes first
    expect(level1.snapshot().context.probeAt).toBeNull();

    const limited = healthHarness(resolveHealthPolicy({ probe: { intervalMs: 5 * S } }));
    limited.fail('rate_limited', { cooldownHintMs: 60 * S });
    limited.advance(30 * S);
    expect(routability(limited.snapshot(), limited.now())).toMatchObject({ routable: false, probeDue: false });

    const off = inSecondCooldown(resolveHealthPolicy({ probe: { intervalMs: null } }));
    off.advance(59 * S);
    expect(routability(off.snapshot(), off.now())).toMatchObject({ routable: false, probeDue: false });
    expect(off.changes.some((c) => c.probeDue)).toBe(false);
  });
});
