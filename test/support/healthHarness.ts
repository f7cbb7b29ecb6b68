import { createActor } from 'xstate';
import { backendHealthMachine, type FailureFact, type HealthChangedEvent } from '../../src/health/index.js';
import type { FailureKind } from '../../src/classify/failure.js';
import type { HealthPolicy } from '../../src/policy/index.js';
import { VirtualClock } from '../../src/clock/virtualClock.js';

/** The epoch the simulated clock starts at: far from 0, so "started before everything" is expressible. */
export const T0 = 1_700_000_000_000;

/**
 * A health actor on a simulated clock, with the facts a test sends stamped at the clock's time and
 * every emitted `health.changed` collected.
 */
export function healthHarness(policy?: HealthPolicy, key = 'test|anthropic_messages|http://127.0.0.1:8082') {
  const clock = new VirtualClock(T0);
  const actor = createActor(backendHealthMachine, { clock, input: { key, at: T0, ...(policy ? { policy } : {}) } });
  const changes: HealthChangedEvent[] = [];
  /** The clock's time when each change was emitted: the truth to compare the machine's own `at` with. */
  const changedAtClock: number[] = [];
  actor.on('health.changed', (e) => {
    changes.push(e);
    changedAtClock.push(clock.now());
  });
  actor.start();
  const now = () => clock.now();
  return {
    actor,
    clock,
    changes,
    changedAtClock,
    now,
    snapshot: () => actor.getSnapshot(),
    status: () => actor.getSnapshot().context.status,
    advance: (ms: number) => clock.advanceBy(ms),
    fail: (kind: FailureKind, extra: Partial<FailureFact> & { startedAt?: number; jitterSample?: number } = {}) => {
      const { startedAt, jitterSample, ...fact } = extra;
      actor.send({
        type: 'call.failed',
        at: now(),
        failure: { kind, reason: fact.reason ?? kind, ...fact },
        ...(startedAt !== undefined ? { startedAt } : {}),
        ...(jitterSample !== undefined ? { jitterSample } : {}),
      });
    },
    succeed: (startedAt?: number) => actor.send({ type: 'call.succeeded', at: now(), ...(startedAt !== undefined ? { startedAt } : {}) }),
    probe: (claim: { panic?: boolean; by?: string } = {}) =>
      actor.send({ type: 'probe.started', at: now(), ...(claim.by !== undefined ? { by: claim.by } : {}), ...(claim.panic ? { panic: true } : {}) }),
    abandon: (by: string) => actor.send({ type: 'probe.abandoned', at: now(), by }),
    reset: () => actor.send({ type: 'backend.reset', at: now() }),
  };
}
