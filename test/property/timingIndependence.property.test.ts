import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { FailureKind } from '../../src/classify/failure.js';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { backendHealthMachine, type BackendHealthEvent } from '../../src/health/index.js';
import { resolveHealthPolicy, type HealthPolicy } from '../../src/policy/index.js';
import { fcSeed } from '../support/fcSeed.js';

/**
 * The state is a function of the facts, not of when timers happened to run. The same timed facts
 * are delivered twice: once with every timer fired on time before each fact (what a replay of the
 * journal does), once with timers running late at random (a busy event loop, facts stamped ahead
 * of the actor's clock). After both clocks reach the same end time, the states must be equal.
 */
const seed = fcSeed('health timing independence', 'test/property/timingIndependence.property.test.ts');
const T0 = 1_700_000_000_000;
const KINDS: FailureKind[] = ['backend_fault', 'unreachable', 'crash', 'rate_limited', 'auth_config', 'request_fault', 'aborted'];

type Fact =
  | { type: 'call.failed'; kind: FailureKind; hintMs?: number; jitterSample: number; staleByMs: number }
  | { type: 'call.succeeded'; staleByMs: number }
  | { type: 'probe.started'; by: 'a' | 'b'; panic: boolean }
  | { type: 'probe.abandoned'; by: 'a' | 'b' }
  | { type: 'backend.reset' }
  | { type: 'time.passes' };

interface Step {
  readonly dtMs: number;
  /** In the second delivery, does this fact arrive before the timers due at its time have run? */
  readonly late: boolean;
  readonly fact: Fact;
}

const stale = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400_000 }));
const factArb: fc.Arbitrary<Fact> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('call.failed' as const),
      kind: fc.constantFrom(...KINDS),
      hintMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
      jitterSample: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      staleByMs: stale,
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('call.succeeded' as const), staleByMs: stale }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('probe.started' as const), by: fc.constantFrom('a' as const, 'b' as const), panic: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('probe.abandoned' as const), by: fc.constantFrom('a' as const, 'b' as const) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'backend.reset' as const }) },
  { weight: 2, arbitrary: fc.constant({ type: 'time.passes' as const }) },
);
const stepArb: fc.Arbitrary<Step> = fc.record({
  dtMs: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 400_000 })),
  late: fc.boolean(),
  fact: factArb,
});
const policyArb: fc.Arbitrary<HealthPolicy> = fc
  .record({
    backend_fault: fc.integer({ min: 1, max: 4 }),
    unreachable: fc.integer({ min: 1, max: 3 }),
    decayS: fc.integer({ min: 1, max: 600 }),
    // Early probes off, or every 5–90 s (inside, and longer than, the first cooldowns).
    probeS: fc.option(fc.integer({ min: 5, max: 90 }), { nil: null }),
  })
  .map((p) =>
    resolveHealthPolicy({
      thresholds: { backend_fault: p.backend_fault, unreachable: p.unreachable },
      decayIntervalMs: p.decayS * 1000,
      probe: { intervalMs: p.probeS === null ? null : p.probeS * 1000 },
    }),
  );

function toEvent(fact: Exclude<Fact, { type: 'time.passes' }>, at: number): BackendHealthEvent {
  switch (fact.type) {
    case 'call.failed':
      return {
        type: 'call.failed',
        at,
        startedAt: at - fact.staleByMs,
        jitterSample: fact.jitterSample,
        failure: { kind: fact.kind, reason: fact.kind, ...(fact.hintMs !== undefined ? { cooldownHintMs: fact.hintMs } : {}) },
      };
    case 'call.succeeded':
      return { type: 'call.succeeded', at, startedAt: at - fact.staleByMs };
    case 'probe.started':
      return { type: 'probe.started', at, by: fact.by, ...(fact.panic ? { panic: true } : {}) };
    case 'probe.abandoned':
      return { type: 'probe.abandoned', at, by: fact.by };
    default:
      return { type: fact.type, at };
  }
}

/** Delivers the steps; `lateTimers` lets the marked facts arrive before the timers due at their time. */
function deliver(policy: HealthPolicy, steps: readonly Step[], lateTimers: boolean) {
  const clock = new VirtualClock(T0);
  const actor = createActor(backendHealthMachine, { clock, input: { key: 'k', policy, at: T0 } }).start();
  let t = T0;
  for (const step of steps) {
    t += step.dtMs;
    if (lateTimers && step.late) clock.arriveBeforeTimers(t);
    else clock.advanceTo(t);
    if (step.fact.type !== 'time.passes') actor.send(toEvent(step.fact, t));
  }
  clock.advanceTo(t + 1);
  const snapshot = actor.getPersistedSnapshot();
  actor.stop();
  return snapshot;
}

describe('backend health: timing independence (fast-check)', () => {
  it('late timers give the same state as timers that fired on time', () => {
    let lateFacts = 0;
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { maxLength: 80 }), (policy, steps) => {
        lateFacts += steps.filter((s) => s.late && s.fact.type !== 'time.passes').length;
        expect(deliver(policy, steps, true)).toEqual(deliver(policy, steps, false));
      }),
      { seed, numRuns: 400 },
    );
    expect(lateFacts).toBeGreaterThan(0);
  });
});
