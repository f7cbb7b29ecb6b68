import { getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import { beforeAll, describe, expect, it } from 'vitest';
import { __unsafe_getAllOwnEventDescriptors, createActor, fromPromise, type SnapshotFrom } from 'xstate';
import { turnCallMachine, type BackendCallInput, type TurnCallInput, type TurnServices } from '../../machines/turn.machine.js';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import type { CandidateRoutability } from '../../src/health/candidateRoutability.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import type { CallOutcome } from '../../src/transports/transport.js';
import { chartCoverage } from '../support/chartCoverage.js';
import { entry } from '../support/entries.js';

/**
 * Model-based tests generated from the routed-call statechart (`turnCallMachine`).
 *
 * The world around the chart is a fixed table per candidate (failed earlier this turn?, healthy /
 * half-open / closed until when, context window) behind fake `TurnServices`, so every service
 * answer is a function of the chart's own context and the traversal is deterministic. The
 * services' time stands still; only the actor's own clock (a VirtualClock) moves, for its delays.
 * Several worlds make every guarded alternative reachable (each `allUnhealthy` policy, a
 * context-length fault with and without a larger entry).
 *
 * @xstate/graph explores each world (abstract state = state value + the context that steers
 * guards and output); events are the abort, the `xstate.after.*` timers, and in `calling` the
 * completion of the invoked `backendCall` with every kind of outcome. Every explored edge becomes a
 * path (the shortest path to its source + the edge), replayed on a real actor of the machine with
 * a `backendCall` actor the test resolves, timers driven by a VirtualClock, and the state compared
 * after each step. Transition coverage is measured on the transition definitions of that very
 * machine, eventless ones included, and every request and every wait the replays make is checked
 * against what routing must never do.
 */

const T0 = 1_700_000_000_000;
/** The services' time: the fake health table does not change, so it never needs to move. */
const NOW = T0;
const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 64 };

/** `closedFor`: in cooldown that long; `panic: false`: its cooldown admits no panic probe (a rate limit, `down`, a slot taken). */
type Health = 'call' | 'probe' | { readonly closedFor: number; readonly panic?: false };
interface Row {
  readonly label: string;
  readonly health: Health;
  readonly excluded?: boolean;
  readonly contextWindow?: number;
  /** The model it runs (default: one of its own). */
  readonly model?: string;
}
interface World {
  readonly name: string;
  readonly allUnhealthy: TurnServices['allUnhealthy'];
  readonly rows: readonly Row[];
}

const WORLDS: readonly World[] = [
  {
    // Every skip reason, a half-open candidate, a context-length fault that has somewhere to go,
    // and a bounded wait for recovery.
    name: 'wait up to 60 s',
    allUnhealthy: { waitUpToMs: 60_000 },
    rows: [
      { label: 'model', health: 'call', contextWindow: 100_000 },
      { label: 'fallback_providers[0]', health: 'call', excluded: true, contextWindow: 400_000 },
      { label: 'fallback_providers[1]', health: { closedFor: 30_000 }, contextWindow: 200_000 },
      { label: 'fallback_providers[2]', health: 'call', contextWindow: 50_000 },
      { label: 'fallback_providers[3]', health: 'probe', contextWindow: 300_000 },
    ],
  },
  {
    name: 'fail fast',
    allUnhealthy: 'fail_fast',
    rows: [
      { label: 'model', health: 'call' },
      { label: 'fallback_providers[0]', health: { closedFor: 30_000 } },
    ],
  },
  {
    // Panic: the soonest to recover (that admits a probe) takes the request as its probe; one
    // that recovers sooner but admits none (a rate limit) is passed over.
    name: 'try the soonest',
    allUnhealthy: 'try_soonest',
    rows: [
      { label: 'model', health: { closedFor: 60_000 } },
      { label: 'fallback_providers[0]', health: { closedFor: 30_000 } },
      { label: 'fallback_providers[1]', health: 'call', excluded: true },
      { label: 'fallback_providers[2]', health: { closedFor: 10_000, panic: false } },
    ],
  },
  {
    name: 'wait up to 10 s, recovery in 30 s',
    allUnhealthy: { waitUpToMs: 10_000 },
    rows: [
      { label: 'model', health: { closedFor: 30_000 } },
      { label: 'fallback_providers[0]', health: 'call', excluded: true },
    ],
  },
  {
    // A context-length fault on the only entry large enough: nothing can take the request.
    name: 'try the soonest after a context-length fault',
    allUnhealthy: 'try_soonest',
    rows: [
      { label: 'model', health: 'call', contextWindow: 100_000 },
      { label: 'fallback_providers[0]', health: 'call', contextWindow: 50_000 },
    ],
  },
  {
    // Context-length faults along a chain whose windows are not configured: an entry of unknown
    // window is tried unless it runs a model that already answered "too long".
    name: 'context-length fault along an unconfigured chain',
    allUnhealthy: 'fail_fast',
    rows: [
      { label: 'model', health: 'call', model: 'big-model' },
      { label: 'fallback_providers[0]', health: 'call', model: 'BIG-model' },
      { label: 'fallback_providers[1]', health: 'call', contextWindow: 50_000 },
      { label: 'fallback_providers[2]', health: 'call' },
    ],
  },
];

const backendOf = (row: Row, i: number): BackendEntry =>
  entry(row.label, 'custom', row.model ?? `model-${i}`, `http://127.0.0.1:${9100 + i}/v1`, {
    apiMode: 'chat_completions',
    ...(row.contextWindow !== undefined ? { contextWindow: row.contextWindow } : {}),
  });

function panicClaimOf(row: Row): { endpoint: boolean; model: boolean } | undefined {
  return typeof row.health === 'object' && row.health.panic !== false ? { endpoint: true, model: false } : undefined;
}

function routabilityOf(row: Row): CandidateRoutability {
  if (row.health === 'call') return { routable: true, probe: { endpoint: false, model: false } };
  if (row.health === 'probe') return { routable: true, probe: { endpoint: true, model: false } };
  return { routable: false, until: NOW + row.health.closedFor, blockedBy: ['endpoint'] };
}

/** What one replay observes of the world: probe claims and the requests the chart starts. */
interface Sink {
  readonly claims: Map<string, number>;
  /** Panic claims (a request every candidate refused), per candidate, not yet used by a request. */
  readonly panicClaims: Map<string, number>;
  readonly requests: { readonly entry: BackendEntry; readonly problems: string[] }[];
  pending: { readonly entry: BackendEntry; readonly resolve: (outcome: CallOutcome) => void } | undefined;
}
/** Set only while a replay runs (the traversal never starts actors, but it does run actions). */
let sink: Sink | undefined;
let worldOfRun: { world: World; entries: readonly BackendEntry[] } | undefined;

function servicesFor(world: World, entries: readonly BackendEntry[]): TurnServices {
  const row = (e: BackendEntry): Row => world.rows[entries.indexOf(e)]!;
  return {
    isExcluded: (e) => row(e).excluded === true,
    routability: (e) => routabilityOf(row(e)),
    panicClaim: (e) => panicClaimOf(row(e)),
    claimProbe: (e, _probe, panic) => {
      const claims = panic ? sink?.panicClaims : sink?.claims;
      claims?.set(e.label, (claims.get(e.label) ?? 0) + 1);
    },
    call: () => Promise.reject(new Error('the model provides its own backendCall actor')),
    recordSuccess: () => undefined,
    recordFailure: () => undefined,
    now: () => NOW,
    allUnhealthy: world.allUnhealthy,
    inlineRetryAfterMaxMs: 2_000,
    sameBackendRetries: 1,
  };
}

/**
 * The machine the replays run: the real chart with a `backendCall` the test resolves. Coverage
 * and the traversal both use this machine (`.provide()` builds new transition objects).
 */
const modelMachine = turnCallMachine.provide({
  actors: {
    backendCall: fromPromise<CallOutcome, BackendCallInput>(
      ({ input }) =>
        new Promise<CallOutcome>((resolve) => {
          const s = sink;
          if (!s) return;
          // As the real call does: the claim the chart computed is made first.
          if (input.claim) input.services.claimProbe(input.entry, input.claim, input.claim.panic);
          const problems: string[] = [];
          const entries = worldOfRun!.entries;
          const row = worldOfRun!.world.rows[entries.indexOf(input.entry)]!;
          if (row.excluded) problems.push(`request to ${row.label}, which failed earlier in this turn`);
          if (row.health === 'probe') {
            const claimed = s.claims.get(row.label) ?? 0;
            if (claimed < 1) problems.push(`request to half-open ${row.label} without a probe claimed for it (one probe per cooldown window)`);
            else s.claims.set(row.label, claimed - 1);
          }
          if (typeof row.health === 'object') {
            // In cooldown: only in panic (try_soonest), as the one probe its cooldown admits, claimed first.
            if (worldOfRun!.world.allUnhealthy !== 'try_soonest') problems.push(`request to ${row.label} in cooldown under the ${JSON.stringify(worldOfRun!.world.allUnhealthy)} policy`);
            else if (row.health.panic === false) problems.push(`request to ${row.label} in a cooldown that admits no probe`);
            const claimed = s.panicClaims.get(row.label) ?? 0;
            if (claimed < 1) problems.push(`request to ${row.label} in cooldown without a panic claim made for it`);
            else s.panicClaims.set(row.label, claimed - 1);
          }
          s.requests.push({ entry: input.entry, problems });
          s.pending = { entry: input.entry, resolve };
        }),
    ),
  },
});
type Snap = SnapshotFrom<typeof modelMachine>;
const DONE = 'xstate.done.actor.backendCall';
type ModelEvent = { type: string; output?: CallOutcome; variant?: string };
type Step = { event: ModelEvent; state: Snap };

const failure = (f: Pick<ClassifiedFailure, 'kind' | 'reason'> & Partial<ClassifiedFailure>): CallOutcome => ({
  ok: false,
  failure: { message: f.reason, answered: true, modelSpecific: false, retrySameBackend: false, ...f },
  error: f.reason,
});
/** Every outcome a call can end with that the chart tells apart (and a few it must not). */
const OUTCOMES: Record<string, (label: string) => CallOutcome> = {
  ok: (label) => ({ ok: true, response: { text: `from ${label}`, toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: 'm', servedBy: label } }),
  aborted: () => failure({ kind: 'aborted', reason: 'aborted', answered: false }),
  declined: () => failure({ kind: 'aborted', reason: 'declined', answered: false }),
  local: () => failure({ kind: 'local', reason: 'not_sent', answered: false }),
  context_length: () => failure({ kind: 'request_fault', reason: 'context_length', requestFault: 'context_length', status: 400 }),
  content_policy: () => failure({ kind: 'request_fault', reason: 'content_policy', requestFault: 'content_policy', status: 400 }),
  rate_limited_short: () => failure({ kind: 'rate_limited', reason: 'http_429', status: 429, cooldownHintMs: 1_500 }),
  rate_limited_long: () => failure({ kind: 'rate_limited', reason: 'http_429_long', status: 429, cooldownHintMs: 60_000 }),
  http_500: () => failure({ kind: 'backend_fault', reason: 'http_500', status: 500, retrySameBackend: true }),
  http_503_short: () => failure({ kind: 'backend_fault', reason: 'http_503_short', status: 503, retrySameBackend: true, cooldownHintMs: 1_000 }),
  http_503_long: () => failure({ kind: 'backend_fault', reason: 'http_503_long', status: 503, retrySameBackend: true, cooldownHintMs: 120_000 }),
  timeout: () => failure({ kind: 'backend_fault', reason: 'timeout', answered: false }),
  crash: () => failure({ kind: 'crash', reason: 'crash_signature', status: 500 }),
  unreachable: () => failure({ kind: 'unreachable', reason: 'econnrefused', answered: false }),
  auth_config: () => failure({ kind: 'auth_config', reason: 'http_401', status: 401 }),
};

const serializeState = (s: Snap): string => {
  const c = s.context;
  return JSON.stringify([
    s.value,
    c.index,
    c.retriesUsed,
    c.minContextWindow,
    c.contextTooLongModels,
    c.noHealthyUntil === null ? null : c.noHealthyUntil - NOW,
    c.waitMs,
    c.response?.servedBy ?? null,
    c.failure?.reason ?? null,
    c.panicked,
  ]);
};

function modelEvents(s: Snap): ModelEvent[] {
  if (s.status !== 'active') return [];
  const events: ModelEvent[] = [{ type: 'abort' }];
  if (s.matches('calling')) {
    const label = s.context.candidates[s.context.index]!.label;
    for (const [variant, make] of Object.entries(OUTCOMES)) events.push({ type: DONE, output: make(label), variant });
  }
  for (const type of __unsafe_getAllOwnEventDescriptors(s)) {
    if (type.startsWith('xstate.after.')) events.push({ type });
    // Any other plain event the chart accepts (none today besides `abort`) is explored as is.
    else if (!type.startsWith('xstate.') && type !== 'abort' && type !== '*') events.push({ type });
  }
  return events;
}

/** A VirtualClock that refuses to keep re-arming a 0 ms timer at one instant (a chart that spins). */
class SpinGuardClock extends VirtualClock {
  spun = false;
  private zeroAt = -1;
  private zeros = 0;
  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    if (timeout <= 0) {
      this.zeros = this.now() === this.zeroAt ? this.zeros + 1 : 1;
      this.zeroAt = this.now();
      if (this.zeros > 50) {
        this.spun = true;
        return -1;
      }
    }
    return super.setTimeout(fn, timeout);
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
/** After context-length faults: a declared window must be larger than any that failed; an unknown one must not run a model that failed. */
const fits = (row: Row, i: number, c: Snap['context']) => {
  if (c.minContextWindow === null) return true;
  if (row.contextWindow !== undefined) return row.contextWindow > c.minContextWindow;
  return !c.contextTooLongModels.includes((row.model ?? `model-${i}`).toLowerCase());
};

interface Findings {
  mismatches: string[];
  badRequests: string[];
  badWaits: string[];
  paths: number;
  states: number;
}

/**
 * Replays one generated path on a real actor; records a mismatch with the model, every request
 * routing must not make, and every wait that cannot end in a usable candidate.
 */
async function replay(world: World, input: TurnCallInput, steps: Step[], coverage: ReturnType<typeof chartCoverage>, findings: Findings): Promise<void> {
  const clock = new SpinGuardClock(T0);
  const entries = input.candidates;
  const s: Sink = { claims: new Map(), panicClaims: new Map(), requests: [], pending: undefined };
  sink = s;
  worldOfRun = { world, entries };
  const actor = createActor(modelMachine, { clock, input, inspect: coverage.inspect });
  const where = (i: number) =>
    `[${world.name}] ${['start', ...steps.slice(1, i + 1).map((st) => st.event.variant ?? st.event.type.replace(/^xstate\.after\.(\w+).*/, 'after $1'))].join(' → ')}`;
  try {
    actor.start();
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const before = actor.getSnapshot();
      const seen = s.requests.length;
      if (i === 0) {
        // steps[0] is xstate.init: the actor started above.
      } else if (!step.event.type.startsWith('xstate.')) {
        actor.send({ type: step.event.type } as { type: 'abort' });
      } else if (step.event.type === DONE) {
        const pending = s.pending;
        if (!pending || pending.entry !== before.context.candidates[before.context.index]) {
          findings.mismatches.push(`${where(i)}: no call in flight to the current candidate`);
          return;
        }
        s.pending = undefined;
        pending.resolve(step.event.output!);
        await settle();
      } else {
        const wait = before.context.waitMs;
        if (wait > 0) {
          clock.advanceBy(wait - 1);
          if (actor.getSnapshot() !== before) findings.mismatches.push(`${where(i)}: ${step.event.type} fired before ${wait} ms`);
        }
        clock.advanceBy(wait > 0 ? 1 : 0);
        await settle();
        if (clock.spun) {
          findings.badWaits.push(`${where(i)}: the chart re-arms a 0 ms wait forever (waitingForRecovery → selecting → exhausted → waitingForRecovery, nothing changes)`);
          return;
        }
      }
      const got = actor.getSnapshot();
      if (serializeState(got) !== serializeState(step.state)) {
        findings.mismatches.push(`${where(i)}: actor ${serializeState(got)} ≠ model ${serializeState(step.state)}`);
        return;
      }
      for (const r of s.requests.slice(seen)) {
        const at = entries.indexOf(r.entry);
        const row = world.rows[at]!;
        const problems = [...r.problems];
        if (!fits(row, at, got.context)) {
          problems.push(`request to ${row.label} (context ${row.contextWindow ?? 0}) after a context-length fault needing more than ${got.context.minContextWindow}`);
        }
        for (const p of problems) findings.badRequests.push(`${where(i)}: ${p}`);
      }
      if (got.matches('waitingForRecovery')) {
        // The wait must be for the soonest candidate that can take this request once it is usable.
        const usable = world.rows.filter((row, at) => !row.excluded && fits(row, at, got.context));
        const soonest = usable.length === 0 ? null : Math.min(...usable.map((row) => (typeof row.health === 'object' ? NOW + row.health.closedFor : NOW)));
        if (got.context.noHealthyUntil !== soonest) {
          findings.badWaits.push(
            `${where(i)}: waits for recovery at +${(got.context.noHealthyUntil ?? NOW) - NOW} ms, but the soonest candidate that can take the request is ${soonest === null ? 'none' : `at +${soonest - NOW} ms`}`,
          );
        }
      }
    }
    const last = steps[steps.length - 1]!.state;
    if (last.status === 'done') {
      const got = actor.getSnapshot().output;
      const want = last.output;
      if (JSON.stringify([got?.response?.servedBy, got?.failure?.reason, got?.noHealthyUntil]) !== JSON.stringify([want?.response?.servedBy, want?.failure?.reason, want?.noHealthyUntil])) {
        findings.mismatches.push(`${where(steps.length - 1)}: output differs from the model's`);
      }
    }
  } finally {
    actor.stop();
    sink = undefined;
    worldOfRun = undefined;
  }
}

describe('routed-call statechart, model-based (generated from the machine graph)', () => {
  const coverage = chartCoverage(modelMachine);
  const findings: Findings = { mismatches: [], badRequests: [], badWaits: [], paths: 0, states: 0 };
  const explored = WORLDS.map((world) => {
    const entries = world.rows.map(backendOf);
    const input: TurnCallInput = { purpose: 'main', candidates: entries, request, services: servicesFor(world, entries) };
    const traversal = { input, serializeState, events: modelEvents } as unknown as Parameters<typeof getShortestPaths<typeof modelMachine>>[1];
    const paths = getShortestPaths(modelMachine, traversal);
    const adjacency = getAdjacencyMap(modelMachine as never, traversal as never) as unknown as Record<string, { transitions: Record<string, { event: ModelEvent; state: Snap }> }>;
    const pathTo = new Map(paths.map((p) => [serializeState(p.state as Snap), p.steps as unknown as Step[]]));
    return { world, input, paths, adjacency, pathTo };
  });

  beforeAll(async () => {
    for (const { world, input, adjacency, pathTo } of explored) {
      findings.states += Object.keys(adjacency).length;
      for (const [from, { transitions }] of Object.entries(adjacency)) {
        const prefix = pathTo.get(from);
        if (!prefix) {
          findings.mismatches.push(`[${world.name}] no shortest path reaches ${from}`);
          continue;
        }
        for (const { event, state } of Object.values(transitions)) {
          await replay(world, input, [...prefix, { event, state }], coverage, findings);
          findings.paths += 1;
        }
      }
    }
    console.log(`turn model: ${WORLDS.length} worlds, ${findings.states} abstract states, ${findings.paths} generated paths replayed`);
    console.log(`turn transitions covered: ${coverage.coveredCount()}/${coverage.edges.length}`);
  }, 120_000);

  /** One example (the shortest path) per kind of finding, so a failure reads as a list of distinct bugs. */
  const byKind = (list: string[]) => {
    const kinds = new Map<string, { what: string; path: string }>();
    for (const f of list) {
      const [path, what] = f.split(/: (.*)/s) as [string, string];
      const kind = what.replace(/fallback_providers\[\d\]|\bmodel\b/g, '<entry>').replace(/\d+/g, 'N');
      const known = kinds.get(kind);
      if (!known || path.split('→').length < known.path.split('→').length) kinds.set(kind, { what, path });
    }
    return [...kinds.values()].map(({ what, path }) => `${what}  (e.g. ${path})`);
  };

  it('replays every explored edge on a real actor, state for state', () => {
    expect(findings.paths).toBeGreaterThan(0);
    expect(byKind(findings.mismatches)).toEqual([]);
  });

  it('covers every transition of the chart (eventless alternatives included) and visits every state', () => {
    expect(coverage.uncovered()).toEqual([]);
    expect(coverage.unvisitedStates()).toEqual([]);
  });

  it('reaches every stable state of the chart in the explored worlds', () => {
    const values = new Set(explored.flatMap((e) => e.paths.map((p) => (p.state as Snap).value as string)));
    // Every state that is not passed through by an eventless transition is somewhere a path rests.
    const stable = Object.values(modelMachine.root.states).filter((n) => !(n.always?.length ?? 0)).map((n) => n.key);
    expect([...values].sort()).toEqual([...stable].sort());
  });

  it('sends no request to a candidate failed this turn, too small for the request, in cooldown (unless the policy is try_soonest), or half-open without its own probe', () => {
    expect(byKind(findings.badRequests)).toEqual([]);
  });

  it('waits for recovery only for a candidate that can then take the request, and never spins', () => {
    expect(byKind(findings.badWaits)).toEqual([]);
  });
});
