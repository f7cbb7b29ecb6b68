import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FailureKind } from '../../src/classify/failure.js';
import { routability, type HealthChangedEvent } from '../../src/health/index.js';
import { DEFAULT_HEALTH_POLICY, resolveHealthPolicy, type HealthPolicy } from '../../src/policy/index.js';
import { fcSeed } from '../support/fcSeed.js';
import { healthHarness } from '../support/healthHarness.js';

const seed = fcSeed('health properties', 'test/property/backendHealth.property.test.ts');
const params = { seed, numRuns: 400 };

/** One step of a random history: a classified fact, a probe claim, a reset, or time passing. */
type Command =
  | { op: 'fail'; kind: FailureKind; hintMs?: number; jitterSample: number; staleByMs: number }
  | { op: 'succeed'; staleByMs: number }
  | { op: 'probe'; panic: boolean }
  | { op: 'reset' }
  | { op: 'advance'; ms: number }
  | { op: 'toDeadline' };

const KINDS: FailureKind[] = ['backend_fault', 'unreachable', 'crash', 'rate_limited', 'auth_config', 'request_fault', 'aborted'];

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('fail' as const),
      kind: fc.constantFrom(...KINDS),
      hintMs: fc.option(fc.integer({ min: 0, max: 7_200_000 }), { nil: undefined }),
      jitterSample: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      staleByMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400_000 })),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('succeed' as const), staleByMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400_000 })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('probe' as const), panic: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400_000 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'toDeadline' as const }) },
);

const policyArb: fc.Arbitrary<HealthPolicy> = fc
  .record({
    backend_fault: fc.integer({ min: 1, max: 4 }),
    unreachable: fc.integer({ min: 1, max: 3 }),
    baseMs: fc.integer({ min: 1_000, max: 60_000 }),
    multiplier: fc.double({ min: 1, max: 4, noNaN: true }),
    capFactor: fc.integer({ min: 1, max: 20 }),
    jitterShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((p) =>
    resolveHealthPolicy({
      thresholds: { backend_fault: p.backend_fault, unreachable: p.unreachable },
      cooldown: { baseMs: p.baseMs, multiplier: p.multiplier, maxMs: p.baseMs * p.capFactor, jitter: Math.min(1, (p.multiplier - 1) * p.jitterShare) },
    }),
  );

/** Runs a history on a fresh actor and returns what a test can observe of it. */
function run(policy: HealthPolicy, commands: Command[], onStep?: (h: ReturnType<typeof healthHarness>, c: Command, before: ReturnType<ReturnType<typeof healthHarness>["snapshot"]>) => void) {
  const h = healthHarness(policy);
  for (const c of commands) {
    const before = h.snapshot();
    switch (c.op) {
      case 'fail':
        h.fail(c.kind, { jitterSample: c.jitterSample, startedAt: h.now() - c.staleByMs, ...(c.hintMs !== undefined ? { cooldownHintMs: c.hintMs } : {}) });
        break;
      case 'succeed':
        h.succeed(h.now() - c.staleByMs);
        break;
      case 'probe':
        h.probe({ panic: c.panic });
        break;
      case 'reset':
        h.reset();
        break;
      case 'advance':
        h.advance(c.ms);
        break;
      case 'toDeadline':
        h.advance(Math.max(0, (h.snapshot().context.deadline ?? h.now()) - h.now()));
        break;
    }
    onStep?.(h, c, before);
  }
  return h;
}

type Harness = ReturnType<typeof healthHarness>;
type Snap = ReturnType<Harness['snapshot']>;
type StepCheck = (h: Harness, c: Command, before: Snap) => void;

const isEjection = (e: HealthChangedEvent, cause: string | null) => e.to === 'cooldown' && e.from !== 'cooldown' && cause !== 'rate_limit';

/** Never routable before the deadline of the cooldown or down it is in, judged by the clock. */
function neverEarly(): StepCheck {
  let closedUntil: number | null = null;
  let seen = 0;
  return (h) => {
    for (let i = seen; i < h.changes.length; i++) {
      const e = h.changes[i]!;
      const clockAt = h.changedAtClock[i]!;
      if (e.to === 'cooldown' || e.to === 'down') closedUntil = e.until;
      // Only a fresh success or a reset may open a closed backend before its deadline.
      else if (e.cause === 'call.succeeded' || e.cause === 'backend.reset') closedUntil = null;
      else if (closedUntil !== null && (e.from === 'cooldown' || e.from === 'down')) {
        expect(clockAt, `left ${e.from} early via ${e.cause}`).toBeGreaterThanOrEqual(closedUntil);
        closedUntil = null;
      }
    }
    seen = h.changes.length;
    const r = routability(h.snapshot(), h.now());
    if (closedUntil !== null && r.routable) expect(h.now()).toBeGreaterThanOrEqual(closedUntil);
    if (closedUntil !== null && h.now() < closedUntil) expect(routability(h.snapshot(), closedUntil - 1).routable).toBe(false);
  };
}

/**
 * Ejection cooldowns never shorten across consecutive ejections without decay or reset, and never
 * exceed the max — unless the failure carried a longer hint (a 503's retry-after), which stretches
 * that one cooldown to the hint (clamped like a rate-limit hint) and no further.
 */
function monotonicEjections(policy: HealthPolicy): StepCheck {
  let previous: number | null = null;
  let seen = 0;
  return (h) => {
    const c = h.snapshot().context;
    for (let i = seen; i < h.changes.length; i++) {
      const e = h.changes[i]!;
      const decayed = e.from === 'healthy' && e.to === 'healthy' && e.cause === 'timer';
      if (decayed || e.cause === 'backend.reset') previous = null;
      if (isEjection(e, c.cooldownCause) && i === h.changes.length - 1) {
        const length = c.cooldownMs!;
        const hint = c.lastFailure?.cooldownHintMs;
        const hinted = hint === undefined ? 0 : Math.min(Math.max(hint, policy.rateLimit.minMs), policy.rateLimit.maxMs);
        expect(length).toBeLessThanOrEqual(Math.max(policy.cooldown.maxMs, hinted));
        if (hint !== undefined) expect(length).toBeGreaterThanOrEqual(hinted);
        if (previous !== null) expect(length).toBeGreaterThanOrEqual(previous);
        // A hinted length says nothing about escalation: the next unhinted ejection compares with the last unhinted one.
        if (hint === undefined) previous = length;
      }
    }
    seen = h.changes.length;
  };
}

/** Request faults and aborts leave the snapshot untouched (the very same object). */
function inertRequestFaults(): StepCheck {
  return (h, c, before) => {
    if (c.op === 'fail' && (c.kind === 'request_fault' || c.kind === 'aborted')) expect(h.snapshot()).toBe(before);
  };
}

/** A fresh success on the admitted probe closes the ejection and clears the streak. */
function probeSuccessCloses(counter: { checked: number }): StepCheck {
  return (h, c, before) => {
    if (c.op === 'succeed' && c.staleByMs === 0 && before.matches({ degraded: { recovering: 'probing' } })) {
      expect(h.snapshot().context).toMatchObject({ status: 'healthy', streak: 0 });
      counter.checked += 1;
    }
  };
}

/**
 * A panic claim (a request every candidate refused) takes only a free slot of a cooldown that is
 * not a rate-limit one: in a rate-limit cooldown, in `down`, or with a probe in flight, before the
 * deadline, it changes nothing at all; where it is taken, the backend stays closed to everyone else.
 */
function panicOnlyWhereAdmitted(counter: { taken: number; refused: number }): StepCheck {
  return (h, c, before) => {
    if (c.op !== 'probe' || !c.panic) return;
    const ctx = before.context;
    const beforeDeadline = ctx.deadline !== null && h.now() < ctx.deadline;
    const probeBusy = before.matches({ cooldown: 'probing' }) || before.matches({ degraded: { recovering: 'probing' } });
    const refuses = beforeDeadline && ((before.matches('cooldown') && ctx.cooldownCause === 'rate_limit') || before.matches('down') || probeBusy);
    if (refuses) {
      expect(h.snapshot()).toBe(before);
      counter.refused += 1;
    } else if (before.matches({ cooldown: 'resting' }) && beforeDeadline && (ctx.probeAt === null || h.now() < ctx.probeAt)) {
      expect(h.snapshot().matches({ cooldown: 'probing' })).toBe(true);
      expect(routability(h.snapshot(), h.now())).toMatchObject({ routable: false, probeInFlight: true });
      counter.taken += 1;
    }
  };
}

const all = (...checks: StepCheck[]): StepCheck => (h, c, before) => checks.forEach((check) => check(h, c, before));
const histories = fc.array(commandArb, { maxLength: 60 });

describe('backend health properties (fast-check)', () => {
  it('is never routable before the deadline of the cooldown or down it is in', () => {
    fc.assert(fc.property(policyArb, histories, (policy, commands) => void run(policy, commands, neverEarly())), params);
  });

  it('ejection cooldowns never shorten across consecutive ejections without decay, and never exceed the max (or the longer hint a failure carried)', () => {
    fc.assert(fc.property(policyArb, histories, (policy, commands) => void run(policy, commands, monotonicEjections(policy))), params);
  });

  it('request faults and aborts never change health', () => {
    fc.assert(fc.property(policyArb, histories, (policy, commands) => void run(policy, commands, inertRequestFaults())), params);
  });

  it('a fresh success on the admitted probe closes the cooldown and clears the streak', () => {
    const counter = { checked: 0 };
    fc.assert(
      fc.property(policyArb, histories, (policy, commands) => {
        // Follow every probe claim with a success, so the property is exercised often.
        const withProbes = commands.flatMap((c): Command[] => (c.op === 'probe' ? [c, { op: 'succeed', staleByMs: 0 }] : [c]));
        run(policy, withProbes, probeSuccessCloses(counter));
      }),
      params,
    );
    // The histories must actually reach a probe; otherwise this property proved nothing.
    expect(counter.checked).toBeGreaterThan(0);
  });

  it('a panic claim takes only the free slot of a cooldown that is not a rate limit, and changes nothing elsewhere', () => {
    const counter = { taken: 0, refused: 0 };
    fc.assert(fc.property(policyArb, histories, (policy, commands) => void run(policy, commands, panicOnlyWhereAdmitted(counter))), params);
    // Both sides must actually be reached, or this property proved nothing.
    expect(counter.taken).toBeGreaterThan(0);
    expect(counter.refused).toBeGreaterThan(0);
  });

  it('the default policy keeps every invariant on long histories', () => {
    const counter = { checked: 0 };
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 100, maxLength: 300 }), (commands) => {
        const checks = all(neverEarly(), monotonicEjections(DEFAULT_HEALTH_POLICY), inertRequestFaults(), probeSuccessCloses(counter), panicOnlyWhereAdmitted({ taken: 0, refused: 0 }));
        const h = run(DEFAULT_HEALTH_POLICY, commands, checks);
        expect(h.snapshot().context.level).toBeLessThanOrEqual(5);
      }),
      { seed, numRuns: 100 },
    );
  });
});
