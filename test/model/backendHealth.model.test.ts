import { getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { __unsafe_getAllOwnEventDescriptors, createActor, type SnapshotFrom } from 'xstate';
import { backendHealthMachine, type BackendHealthEvent } from '../../src/health/index.js';
import { maxEscalationLevel, resolveHealthPolicy } from '../../src/policy/index.js';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { transitionCoverage } from '../support/transitionCoverage.js';

/**
 * Model-based tests generated from the backend health statechart. @xstate/graph explores the
 * machine (abstract state = state value + escalation level + the streak while suspect); every explored edge
 * (state, event) becomes a path = the shortest path to the state + that event, replayed against a
 * real actor driven by a virtual clock. Timers are reached by advancing the clock, never by
 * sending `xstate.after.*` events. Coverage is measured against `toDirectedGraph(machine)`.
 */

// thresholds chosen so every guarded alternative is reachable: unreachable trips at once from
// healthy, backend_fault needs three (so suspect → suspect exists). Early probes every 40 s: none
// in the 30 s first cooldown, and a failed one pushes the 60 s second cooldown's end out.
const policy = resolveHealthPolicy({ thresholds: { backend_fault: 3, unreachable: 1 }, probe: { intervalMs: 40_000 } });
const T0 = 1_700_000_000_000;
const input = { key: 'model|anthropic_messages|http://127.0.0.1:8082', policy, at: T0 };
type Snap = SnapshotFrom<typeof backendHealthMachine>;

/** The abstract events the model explores; `variant` tells the replayer which concrete payload to build. */
type Variant =
  | 'fail:backend_fault' | 'fail:unreachable' | 'fail:crash' | 'fail:rate_limited' | 'fail:auth_config'
  | 'fail:request_fault' | 'fail:aborted' | 'fail:stale'
  | 'fail:late' | 'succeed' | 'succeed:stale' | 'succeed:late' | 'probe:early' | 'probe:due' | 'reset' | 'rearm' | 'rearm:late'
  | 'fail:lateEarlyProbe' | 'probe:dueEarlyProbe' | 'rearm:lateEarlyProbe'
  | 'probe:panic' | 'abandon' | 'abandon:other' | 'abandon:late' | 'abandon:lateEarlyProbe';
const VARIANTS: Variant[] = [
  'fail:backend_fault', 'fail:unreachable', 'fail:crash', 'fail:rate_limited', 'fail:auth_config',
  'fail:request_fault', 'fail:aborted', 'fail:stale', 'fail:late', 'succeed', 'succeed:stale', 'succeed:late', 'probe:early', 'probe:due',
  'reset', 'rearm', 'rearm:late', 'fail:lateEarlyProbe', 'probe:dueEarlyProbe', 'rearm:lateEarlyProbe',
  'probe:panic', 'abandon', 'abandon:other', 'abandon:late', 'abandon:lateEarlyProbe',
];
/** Every claim in the model is made by this writer; `abandon:other` gives up another one's probe. */
const CLAIMER = 'a1b2c3d4-4242@host';
/** Variants stamped at the early-probe time of a cooldown (where there is none, at the deadline). */
const atEarlyProbe = (v: Variant) => v.endsWith('EarlyProbe');
/** Variants that arrive at a timer's due time before that timer has run. */
const arrivesLate = (v: Variant) => v === 'probe:due' || v.endsWith(':late') || atEarlyProbe(v);
/** The due time a late variant is stamped at. */
const dueTime = (v: Variant, c: Snap['context']) => (atEarlyProbe(v) ? (c.probeAt ?? c.deadline) : c.deadline);
type ModelEvent = BackendHealthEvent & { variant: Variant };

/** A concrete event for `variant`, timed against the snapshot it will be sent to (`now` = the clock). */
function concrete(variant: Variant, snap: Snap, now: number): ModelEvent {
  const c = snap.context;
  const staleStart = (c.ejectedAt ?? now) - 1;
  const due = Math.max(now, dueTime(variant, c) ?? now);
  switch (variant) {
    case 'fail:stale':
      return { variant, type: 'call.failed', at: now, startedAt: staleStart, failure: { kind: 'backend_fault', reason: 'http_500' } };
    case 'fail:late':
    case 'fail:lateEarlyProbe':
      // Stamped at the current deadline (or early-probe time), delivered before that timer has run.
      return { variant, type: 'call.failed', at: due, failure: { kind: 'backend_fault', reason: 'http_500' } };
    case 'succeed':
      return { variant, type: 'call.succeeded', at: now };
    case 'succeed:late':
      return { variant, type: 'call.succeeded', at: due };
    case 'succeed:stale':
      return { variant, type: 'call.succeeded', at: now, startedAt: staleStart };
    case 'probe:early':
      return { variant, type: 'probe.started', at: now, by: CLAIMER };
    case 'probe:panic':
      // A request whose every candidate was closed claims this one's slot.
      return { variant, type: 'probe.started', at: now, by: CLAIMER, panic: true };
    case 'probe:due':
    case 'probe:dueEarlyProbe':
      // At the deadline, before the timer has fired: the probe is admitted by the guard.
      return { variant, type: 'probe.started', at: due, by: CLAIMER };
    case 'abandon':
      // A starting process found the claimer dead.
      return { variant, type: 'probe.abandoned', at: now, by: CLAIMER };
    case 'abandon:other':
      return { variant, type: 'probe.abandoned', at: now, by: 'ffff0000-1@host' };
    case 'abandon:late':
    case 'abandon:lateEarlyProbe':
      return { variant, type: 'probe.abandoned', at: due, by: CLAIMER };
    case 'reset':
      return { variant, type: 'backend.reset', at: now };
    case 'rearm':
      return { variant, type: 'health.rearm', at: now };
    case 'rearm:late':
    case 'rearm:lateEarlyProbe':
      // A restored actor re-armed after its deadline passed while it was not running.
      return { variant, type: 'health.rearm', at: due };
    default: {
      const kind = variant.slice('fail:'.length) as ModelEvent extends { failure: { kind: infer K } } ? K : never;
      const hint = kind === 'rate_limited' ? { cooldownHintMs: 20_000 } : {};
      return { variant, type: 'call.failed', at: now, failure: { kind, reason: kind, ...hint } };
    }
  }
}

// The streak only steers transitions while suspect (elsewhere it is a display count that grows
// without bound), so it is part of the abstract state only there.
const serializeState = (s: Snap) =>
  JSON.stringify([s.value, s.context.level, s.matches({ degraded: 'suspect' }) ? s.context.streak : null]);
/** When a timer fires; an early-probe timer that does not come before the cooldown's end never does (its guard says so). */
const timerDue = (type: string, c: Snap['context']) => {
  if (!type.includes('earlyProbe')) return c.deadline;
  return c.probeAt !== null && (c.deadline === null || c.probeAt < c.deadline) ? c.probeAt : null;
};
/** The timers of this state that fire next: a later one can only be reached through the earlier one's transition. */
const afterEvents = (s: Snap) => {
  const timers = __unsafe_getAllOwnEventDescriptors(s).filter((t) => t.startsWith('xstate.after.'));
  const first = Math.min(...timers.map((t) => timerDue(t, s.context) ?? Infinity));
  return timers.filter((t) => (timerDue(t, s.context) ?? Infinity) === first);
};
const modelEvents = (s: Snap) => [
  ...VARIANTS.map((v) => concrete(v, s, s.context.now)),
  ...afterEvents(s).map((type) => ({ type }) as unknown as ModelEvent),
];
const traversal = { input, serializeState, events: modelEvents } as const;

type Step = { event: ModelEvent; state: Snap };

/** Replays `steps` on a real actor with a virtual clock and checks every state it reaches. */
function replay(steps: Step[], coverage: ReturnType<typeof transitionCoverage>) {
  const clock = new VirtualClock(T0);
  const actor = createActor(backendHealthMachine, { clock, input, inspect: coverage.inspect }).start();
  for (const step of steps) {
    if (step.event.type.startsWith('xstate.after.')) {
      const snap = actor.getSnapshot();
      const timerAt = timerDue(step.event.type, snap.context);
      const wait = (timerAt ?? clock.now()) - clock.now();
      // Nothing may happen a millisecond early; then the timer must fire exactly at the deadline.
      if (wait > 0) {
        clock.advanceBy(wait - 1);
        expect(actor.getSnapshot(), `${step.event.type} fired before its deadline`).toBe(snap);
      }
      clock.advanceBy(wait > 0 ? 1 : 0);
    } else {
      const due = dueTime(step.event.variant, actor.getSnapshot().context);
      // A due probe arrives at the deadline before that deadline's timer has run (a busy event
      // loop, a restored actor): the guard, not the timer, must admit it.
      if (arrivesLate(step.event.variant) && due !== null) clock.arriveBeforeTimers(Math.max(due, clock.now()));
      actor.send(concrete(step.event.variant, actor.getSnapshot(), clock.now()));
    }
    const got = actor.getSnapshot();
    expect(serializeState(got), `after ${step.event.variant ?? step.event.type}`).toBe(serializeState(step.state));
    // The machine's time is the latest fact or timer it handled, so it never runs ahead of the clock.
    expect(got.context.now, 'machine time vs clock').toBeLessThanOrEqual(clock.now());
    // Every armed timer is due at a time the context names (or is overdue and fires now): a
    // transition that moves a deadline without re-arming its timer would leave a stray one.
    const named = [got.context.deadline, got.context.probeAt];
    for (const due of clock.dueTimes()) {
      expect(due <= clock.now() || named.includes(due), `after ${step.event.variant ?? step.event.type}: a timer due at ${due} matches no deadline (${named.join(', ')})`).toBe(true);
    }
  }
  actor.stop();
}

describe('backend health statechart, model-based (generated from the machine graph)', () => {
  // getAdjacencyMap's typing rejects machines with typed `emitted` (see xstate.md); the runtime contract is the same.
  const logic = backendHealthMachine as unknown as Parameters<typeof getAdjacencyMap>[0];
  const paths = getShortestPaths(backendHealthMachine, traversal);
  const adjacency = getAdjacencyMap(logic, traversal as unknown as Parameters<typeof getAdjacencyMap>[1]) as unknown as Record<
    string,
    { transitions: Record<string, { event: ModelEvent; state: Snap }> }
  >;
  const pathTo = new Map(paths.map((p) => [serializeState(p.state), p.steps.slice(1) as unknown as Step[]]));

  it('explores every escalation level up to the cap', () => {
    const levels = new Set(paths.map((p) => p.state.context.level));
    const cap = maxEscalationLevel(policy.cooldown);
    expect([...levels].sort()).toEqual(Array.from({ length: cap + 1 }, (_, i) => i));
  });

  it('replays every explored edge on a real actor and covers every transition and state', () => {
    const coverage = transitionCoverage(backendHealthMachine);
    let replayed = 0;
    for (const [from, { transitions }] of Object.entries(adjacency)) {
      const prefix = pathTo.get(from);
      expect(prefix, `a shortest path reaches ${from}`).toBeDefined();
      for (const { event, state } of Object.values(transitions)) {
        replay([...prefix!, { event: event as ModelEvent, state }], coverage);
        replayed += 1;
      }
    }
    const total = coverage.edges.length;
    console.log(`health model: ${paths.length} abstract states, ${replayed} generated paths replayed`);
    console.log(`transitions covered: ${coverage.coveredCount()}/${total}`);
    expect(coverage.uncovered()).toEqual([]);
    expect(coverage.unvisitedStates()).toEqual([]);
  });
});
