import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { backendHealthMachine, routability } from '../../src/health/index.js';
import { DEFAULT_HEALTH_POLICY, resolveHealthPolicy } from '../../src/policy/index.js';
import { healthHarness, T0 } from '../support/healthHarness.js';
import { VirtualClock } from '../../src/clock/virtualClock.js';

const S = 1_000;

/** Ejects, waits out the cooldown, claims the probe and fails it: one more escalation step. */
function cooldownLengths(h: ReturnType<typeof healthHarness>, ejections: number): number[] {
  const lengths: number[] = [];
  h.fail('crash');
  for (let i = 0; i < ejections; i++) {
    const c = h.snapshot().context;
    lengths.push(c.deadline! - h.now());
    h.advance(c.deadline! - h.now());
    expect(h.status()).toBe('recovering');
    h.probe();
    h.fail('backend_fault');
  }
  return lengths;
}

describe('escalation', () => {
  it('cooldowns escalate 30 s, 60 s, 120 s, 240 s, then stay at the 300 s cap', () => {
    const h = healthHarness();
    expect(cooldownLengths(h, 7)).toEqual([30, 60, 120, 240, 300, 300, 300].map((s) => s * S));
    expect(h.snapshot().context.level).toBe(5);
  });

  it('jitter only lengthens a cooldown, never beyond the cap', () => {
    const h = healthHarness();
    h.fail('crash', { jitterSample: 0.999 });
    expect(h.snapshot().context.cooldownMs).toBe(Math.round(30 * S * (1 + 0.1 * 0.999)));
    const capped = healthHarness(resolveHealthPolicy({ cooldown: { baseMs: 300 * S } }));
    capped.fail('crash', { jitterSample: 0.999 });
    expect(capped.snapshot().context.cooldownMs).toBe(300 * S);
  });

  it('each decay interval spent healthy lowers the level by one; time in suspect does not count', () => {
    const h = healthHarness();
    cooldownLengths(h, 2); // level 3 now, in cooldown for 120 s
    h.advance(120 * S);
    h.probe();
    h.succeed();
    expect(h.status()).toBe('healthy');
    expect(h.snapshot().context.level).toBe(3);
    h.advance(299 * S);
    expect(h.snapshot().context.level).toBe(3);
    h.advance(1 * S);
    expect(h.snapshot().context.level).toBe(2);
    h.fail('backend_fault'); // suspect: the decay clock stops
    h.advance(180 * S); // streak window elapses: healthy again, decay clock restarts
    expect(h.status()).toBe('healthy');
    expect(h.snapshot().context.level).toBe(2);
    h.advance(600 * S);
    expect(h.snapshot().context.level).toBe(0);
    // The next ejection starts from the bottom again.
    h.fail('crash');
    expect(h.snapshot().context.cooldownMs).toBe(30 * S);
  });

  it('decay steps missed while a restored actor was not running are caught up on re-arm', () => {
    const h = healthHarness();
    cooldownLengths(h, 2);
    h.advance(120 * S);
    h.probe();
    h.succeed();
    const persisted = h.actor.getPersistedSnapshot();
    h.actor.stop();
    const clock = new VirtualClock(h.now() + 1_000 * S); // a long restart: more than three decay intervals
    const restored = createActor(backendHealthMachine, { clock, snapshot: persisted, input: { key: 'k' } }).start();
    restored.send({ type: 'health.rearm', at: clock.now() });
    clock.advanceBy(0);
    expect(restored.getSnapshot().context.level).toBe(0);
  });
});

describe('streak and thresholds', () => {
  it('a lone 500 makes the backend suspect but routable; the second within the window ejects it', () => {
    const h = healthHarness();
    h.fail('backend_fault', { reason: 'http_500' });
    expect(h.status()).toBe('suspect');
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: true, as: 'call' });
    h.advance(60 * S);
    h.fail('backend_fault', { reason: 'http_500' });
    expect(h.status()).toBe('cooldown');
    expect(h.snapshot().context.cooldownCause).toBe('threshold');
  });

  it('the streak is forgotten once the window passes without a failure, or on a success', () => {
    const h = healthHarness();
    h.fail('backend_fault');
    h.advance(180 * S);
    expect(h.status()).toBe('healthy');
    h.fail('backend_fault');
    h.succeed();
    expect(h.status()).toBe('healthy');
    expect(h.snapshot().context.streak).toBe(0);
    h.fail('backend_fault');
    expect(h.status()).toBe('suspect');
  });

  it('a refused connection ejects at once (threshold 1); a crash signature always does', () => {
    const a = healthHarness();
    a.fail('unreachable', { reason: 'econnrefused' });
    expect(a.status()).toBe('cooldown');
    const b = healthHarness(resolveHealthPolicy({ thresholds: { backend_fault: 5 } }));
    b.fail('crash', { reason: 'crash_signature' });
    expect(b.snapshot().context).toMatchObject({ status: 'cooldown', cooldownCause: 'crash', cooldownMs: 30 * S });
  });

  it('request faults and aborts never change anything', () => {
    const h = healthHarness();
    h.fail('backend_fault');
    const before = h.snapshot();
    h.fail('request_fault', { reason: 'context_length' });
    h.fail('aborted');
    expect(h.snapshot()).toBe(before);
  });
});

describe('cooldown, probe and recovery', () => {
  it('is never routable before the deadline, answers until when, and admits exactly one probe after it', () => {
    const h = healthHarness();
    h.fail('crash');
    const until = h.snapshot().context.deadline!;
    expect(routability(h.snapshot(), h.now())).toEqual({ routable: false, status: 'cooldown', until, probeInFlight: false, probeDue: false });
    h.advance(until - h.now() - 1);
    expect(routability(h.snapshot(), h.now()).routable).toBe(false);
    h.advance(1);
    expect(routability(h.snapshot(), h.now())).toEqual({ routable: true, as: 'probe', status: 'recovering' });
    h.probe();
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, probeInFlight: true });
    h.probe(); // a second claimant is not admitted
    expect(h.changes.filter((c) => c.cause === 'probe.started')).toHaveLength(1);
  });

  it('a probe success closes the cooldown, clears the streak and keeps the escalation level', () => {
    const h = healthHarness();
    h.fail('backend_fault');
    h.fail('backend_fault');
    h.advance(30 * S);
    h.probe();
    h.succeed();
    expect(h.snapshot().context).toMatchObject({ status: 'healthy', streak: 0, level: 1 });
  });

  it('a probe lost without an outcome frees the slot after the probe timeout', () => {
    const h = healthHarness();
    h.fail('crash');
    h.advance(30 * S);
    h.probe();
    h.advance(DEFAULT_HEALTH_POLICY.probe.timeoutMs);
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: true, as: 'probe' });
  });

  it('a success from a call that started before the cooldown does not close it', () => {
    const h = healthHarness();
    const startedBefore = h.now();
    h.advance(1 * S);
    h.fail('crash');
    h.advance(2 * S);
    h.succeed(startedBefore);
    expect(h.status()).toBe('cooldown');
    h.succeed(); // a call that started during the cooldown and succeeded does close it
    expect(h.status()).toBe('healthy');
  });

  it('a fresh failure during cooldown extends the deadline by the current cooldown length; a stale one does not', () => {
    const h = healthHarness();
    const startedBefore = h.now();
    h.advance(1 * S);
    h.fail('crash'); // 30 s, until T0 + 31 s
    h.advance(20 * S);
    h.fail('backend_fault', { startedAt: startedBefore });
    expect(h.snapshot().context.deadline).toBe(T0 + 31 * S);
    h.fail('backend_fault');
    expect(h.snapshot().context.deadline).toBe(T0 + 51 * S);
    expect(h.snapshot().context.level).toBe(1);
    h.advance(29 * S);
    expect(h.status()).toBe('cooldown');
    h.advance(1 * S);
    expect(h.status()).toBe('recovering');
  });

  it('a cooldown ending while the actor was stopped is recovering once restored and re-armed', () => {
    const h = healthHarness();
    h.fail('crash');
    const persisted = h.actor.getPersistedSnapshot();
    h.actor.stop();
    const clock = new VirtualClock(T0 + 45 * S);
    const restored = createActor(backendHealthMachine, { clock, snapshot: persisted, input: { key: 'k' } }).start();
    expect(restored.getSnapshot().context.status).toBe('cooldown');
    // Already due, so the query says probe even before the re-arm; the re-arm moves the state.
    expect(routability(restored.getSnapshot(), clock.now())).toMatchObject({ routable: true, as: 'probe' });
    restored.send({ type: 'health.rearm', at: clock.now() });
    clock.advanceBy(0);
    expect(restored.getSnapshot().context.status).toBe('recovering');
  });

  it('a restored cooldown whose deadline is still ahead fires at that deadline after the re-arm', () => {
    const h = healthHarness();
    h.fail('crash');
    const persisted = h.actor.getPersistedSnapshot();
    h.actor.stop();
    const clock = new VirtualClock(T0 + 10 * S);
    const restored = createActor(backendHealthMachine, { clock, snapshot: persisted, input: { key: 'k' } }).start();
    restored.send({ type: 'health.rearm', at: clock.now() });
    clock.advanceBy(19_999);
    expect(restored.getSnapshot().context.status).toBe('cooldown');
    clock.advanceBy(1);
    expect(restored.getSnapshot().context.status).toBe('recovering');
  });
});

describe('time comes from the facts', () => {
  it('a fact stamped ahead of the actor clock does not make the timer fire early by that clock', () => {
    const clock = new VirtualClock(T0);
    const actor = createActor(backendHealthMachine, { clock, input: { key: 'k', at: T0 } }).start();
    actor.send({ type: 'call.failed', at: T0 + 10 * S, failure: { kind: 'crash', reason: 'crash_signature' } });
    expect(actor.getSnapshot().context.deadline).toBe(T0 + 40 * S);
    clock.advanceTo(T0 + 40 * S - 1);
    expect(actor.getSnapshot().context.status).toBe('cooldown');
    clock.advanceTo(T0 + 40 * S);
    expect(actor.getSnapshot().context.status).toBe('recovering');
  });

  it('a failure stamped after the cooldown ended is a failed probe (escalates) even if the expiry timer has not run', () => {
    const clock = new VirtualClock(T0);
    const actor = createActor(backendHealthMachine, { clock, input: { key: 'k', at: T0 } }).start();
    actor.send({ type: 'call.failed', at: T0, failure: { kind: 'crash', reason: 'crash_signature' } });
    clock.arriveBeforeTimers(T0 + 40 * S); // the event loop was busy: the 30 s timer has not run
    actor.send({ type: 'call.failed', at: T0 + 40 * S, failure: { kind: 'backend_fault', reason: 'http_500' } });
    expect(actor.getSnapshot().context).toMatchObject({ status: 'cooldown', level: 2, cooldownCause: 'probe_failed', deadline: T0 + 100 * S });
  });

  it('a failure of a call that started before the last ejection is ignored after recovery too', () => {
    const h = healthHarness();
    const hungSince = h.now();
    h.advance(1 * S);
    h.fail('crash');
    h.advance(30 * S);
    h.probe();
    h.succeed();
    expect(h.status()).toBe('healthy');
    h.fail('backend_fault', { startedAt: hungSince, reason: 'timeout' });
    h.fail('backend_fault', { startedAt: hungSince, reason: 'timeout' });
    expect(h.snapshot().context).toMatchObject({ status: 'healthy', level: 1, streak: 0 });
  });
});

describe('rate limits', () => {
  it('a 429 cools down for the hinted time without raising the escalation level', () => {
    const h = healthHarness();
    h.fail('rate_limited', { cooldownHintMs: 20 * S });
    expect(h.snapshot().context).toMatchObject({ status: 'cooldown', cooldownCause: 'rate_limit', cooldownMs: 20 * S, level: 0 });
    h.advance(20 * S);
    expect(h.status()).toBe('recovering');
  });

  it('without a hint the policy default applies; an out-of-range hint is clamped', () => {
    const a = healthHarness();
    a.fail('rate_limited');
    expect(a.snapshot().context.cooldownMs).toBe(60 * S);
    const b = healthHarness();
    b.fail('rate_limited', { cooldownHintMs: 10 });
    expect(b.snapshot().context.cooldownMs).toBe(DEFAULT_HEALTH_POLICY.rateLimit.minMs);
  });

  it('a real fault during a rate-limit cooldown is an ejection: it escalates and gets at least its own cooldown', () => {
    const h = healthHarness();
    h.fail('rate_limited', { cooldownHintMs: 2 * S });
    h.advance(500);
    h.fail('crash');
    expect(h.snapshot().context).toMatchObject({ status: 'cooldown', level: 1, cooldownCause: 'crash', deadline: T0 + 30_500 });
    h.advance(3 * S);
    expect(h.status()).toBe('cooldown');
  });

  it('a later rate limit during cooldown pushes the deadline to its hint, never pulls it in', () => {
    const h = healthHarness();
    h.fail('crash'); // until +30 s
    h.fail('rate_limited', { cooldownHintMs: 5 * S });
    expect(h.snapshot().context.deadline).toBe(T0 + 30 * S);
    h.fail('rate_limited', { cooldownHintMs: 90 * S });
    expect(h.snapshot().context.deadline).toBe(T0 + 90 * S);
  });
});

describe('down and reset', () => {
  it('an auth failure takes the backend down until a reset; the reset admits one probe with history forgotten', () => {
    const h = healthHarness();
    cooldownLengths(h, 1);
    h.advance(60 * S);
    h.probe();
    h.fail('auth_config', { reason: 'http_401' });
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, status: 'down', until: h.now() + 900 * S });
    h.reset();
    expect(h.snapshot().context).toMatchObject({ status: 'recovering', level: 0, streak: 0 });
    expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: true, as: 'probe' });
  });

  it('a down backend is offered one probe after the long probe interval', () => {
    const h = healthHarness();
    h.fail('auth_config');
    h.advance(900 * S - 1);
    expect(h.status()).toBe('down');
    h.advance(1);
    expect(h.status()).toBe('recovering');
  });

  it('emits one health.changed per state change, with from, to, cause and deadline', () => {
    const h = healthHarness();
    h.fail('auth_config', { reason: 'http_401' });
    h.reset();
    h.probe();
    h.succeed();
    expect(h.changes.map((c) => [c.from, c.to, c.cause, c.probeInFlight])).toEqual([
      ['healthy', 'down', 'http_401', false],
      ['down', 'recovering', 'backend.reset', false],
      ['recovering', 'recovering', 'probe.started', true],
      ['recovering', 'healthy', 'call.succeeded', false],
    ]);
    expect(h.changes[0]!.until).toBe(T0 + 900 * S);
  });
});
