import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConsecutiveBreaker, circuitBreaker, fallback, handleAll, wrap } from 'cockatiel';
import CircuitBreaker from 'opossum';
import { createActor, fromPromise, setup, toPromise } from 'xstate';
import type { TurnServices } from '../machines/turn.machine.js';
import { classifyError } from '../src/classify/classifyError.js';
import type { ClassifiedFailure } from '../src/classify/failure.js';
import { VirtualClock } from '../src/clock/virtualClock.js';
import type { BackendEntry } from '../src/config/routerConfig.js';
import { memoryJournal } from '../src/journal/memoryJournal.js';
import { DEFAULT_HEALTH_POLICY } from '../src/policy/defaults.js';
import type { HealthPolicy } from '../src/policy/healthPolicy.js';
import { openHealthRegistry } from '../src/registry/openHealthRegistry.js';
import { createHealthRouter, RoutingError } from '../src/router/index.js';
import type { NeutralRequest, NeutralResponse } from '../src/transports/neutral.js';
import type { CallLimits, CallOutcome, Transport } from '../src/transports/transport.js';
import { entry, routerConfig } from '../test/support/entries.js';
import { gc, nsPerOp, round } from './measure.js';
import { EnvoyOutlier } from './peers/envoy.js';
import { HermesDraft } from './peers/hermesDraft.js';
import { HermesToday } from './peers/hermesToday.js';
import { LiteLlmRouter } from './peers/litellm.js';
import type { SimBackend, SimFailure, SimPolicy, SimPurpose } from './peers/simulation.js';
import { seededRandom } from '../src/util/seededRandom.js';

/**
 * Routing benchmarks (issue 4):
 *
 * (a) the hot path of a routed healthy call — `router.startTurn()` then `turn.main(request)` on a
 *     no-op transport — next to calling the transport directly, cockatiel (consecutive breaker +
 *     fallback) and opossum (breaker + fallback) doing the same job in the same run;
 * (b) an outage on simulated time — the primary facade down for 10 minutes, then healthy for 10,
 *     a turn every 20 s with main + title + one auxiliary task — for this router and for the
 *     policies re-implemented in bench/peers (Hermes today and its draft fix, LiteLLM, Envoy);
 * (c) two backends flapping out of phase on simulated time — each up 40 % of the time in 3 s
 *     windows — and how many requests made while one of them was up succeed, with and without
 *     panic mode (`allUnhealthy: 'try_soonest'`, the default, against `'fail_fast'`, the old one).
 */

const T0 = 1_700_000_000_000;
const P = entry('model', 'anthropic', 'claude-sonnet-4-6', 'http://127.0.0.1:8082');
const F1 = entry('fallback_providers[0]', 'custom', 'qwen3:32b', 'http://127.0.0.1:11434/v1', { apiMode: 'chat_completions' });
const text = (t: string): NeutralRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: t }] }], maxTokens: 64 });
const reply = (e: BackendEntry): NeutralResponse => ({ text: 'ok', toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: e.model, servedBy: e.label });
const limits: CallLimits = { timeoutMs: 120_000, firstTokenTimeoutMs: 10_000, idleTimeoutMs: 20_000 };

/**
 * Best ns per awaited call of each op, measured in interleaved rounds (every op once per round)
 * so that drift on a shared machine hits all of them alike. No forced GC between rounds: right
 * after one, V8 shrinks the young generation and an allocation-heavy op pays to grow it back,
 * which no agent's steady state does.
 */
async function interleavedNsPerOp<K extends string>(ops: Record<K, { iterations: number; warmup: number; op: () => Promise<unknown> }>, rounds = 7): Promise<Record<K, number>> {
  const keys = Object.keys(ops) as K[];
  const best = {} as Record<K, number>;
  for (const k of keys) {
    for (let i = 0; i < ops[k].warmup; i++) await ops[k].op();
    best[k] = Number.POSITIVE_INFINITY;
  }
  gc();
  for (let r = 0; r < rounds; r++) {
    for (const k of keys) {
      const { iterations, op } = ops[k];
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) await op();
      best[k] = Math.min(best[k], Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// (a) Hot path
// ---------------------------------------------------------------------------------------------

/**
 * The router as its users run it: compiled by tsc, like `dist/`. The benchmarks themselves run
 * under tsx, whose esbuild transform keeps function names by wrapping every closure it creates
 * in a `__name(fn, …)` call (an `Object.defineProperty`); the peers, loaded from node_modules as
 * plain JavaScript, never pay that, so timing our code through tsx would not be the same job.
 */
async function compiledRouter() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = join(root, 'node_modules', '.cache', 'llm-health-router-bench');
  rmSync(outDir, { recursive: true, force: true });
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root, encoding: 'utf8' });
  if (build.error) throw build.error;
  // Exit 2: type errors, but tsc still emitted (as for the CLI tests' build); `npm run typecheck` is where those fail.
  if (build.status !== 0 && build.status !== 2) throw new Error(`compiling the router for the benchmark failed (tsc exit ${build.status}):\n${build.stdout}${build.stderr}`);
  const load = (path: string) => import(pathToFileURL(join(outDir, path)).href);
  return {
    router: (await load('src/router/index.js')) as typeof import('../src/router/index.js'),
    journal: (await load('src/journal/memoryJournal.js')) as typeof import('../src/journal/memoryJournal.js'),
    machine: (await load('machines/turn.machine.js')) as typeof import('../machines/turn.machine.js'),
    health: (await load('src/health/candidateRoutability.js')) as typeof import('../src/health/candidateRoutability.js'),
  };
}

export async function hotPathBench() {
  const compiled = await compiledRouter();
  const request = text('hi');
  const primaryReply = reply(P);
  const fallbackReply = reply(F1);
  const healthy: CallOutcome = { ok: true, response: primaryReply };
  const noop: Transport = { call: () => Promise.resolve(healthy) };
  // The peers get the same call, turned into what they expect: a value, or a throw to handle.
  const callPrimary = async (): Promise<NeutralResponse> => {
    const outcome = await noop.call(P, request, { limits });
    if (!outcome.ok) throw outcome.error;
    return outcome.response;
  };

  const router = await compiled.router.createHealthRouter({ config: routerConfig(P, [F1]), transport: noop, registry: { journal: compiled.journal.memoryJournal(), compactEvery: 0 } });
  let wrong = 0;
  const openTurn = router.startTurn();
  // The same router run from the TypeScript sources through tsx, for the record.
  const tsxRouter = await createHealthRouter({ config: routerConfig(P, [F1]), transport: noop, registry: { journal: memoryJournal(), compactEvery: 0 } });

  // Where the time goes: the turn-call statechart alone, with stub services, and XState's floor for its shape.
  const { registry } = router;
  const routability = compiled.health.candidateRoutability(registry.routability(P.endpointKey), registry.routability(P.modelKey));
  const services: TurnServices = {
    isExcluded: () => false,
    routability: () => routability,
    panicClaim: () => undefined,
    claimProbe: () => undefined,
    call: (e, r) => noop.call(e, r, { limits }),
    recordSuccess: () => undefined,
    recordFailure: () => undefined,
    now: () => 0,
    allUnhealthy: 'fail_fast',
    inlineRetryAfterMaxMs: 2_000,
    sameBackendRetries: 1,
  };
  const input = { purpose: 'main' as const, candidates: [P, F1], request, services };
  // A two-state machine that invokes the no-op as a promise actor: what any statechart-per-call design pays.
  const invokeOnce = setup({ actors: { call: fromPromise(() => noop.call(P, request, { limits })) } }).createMachine({
    initial: 'calling',
    states: { calling: { invoke: { src: 'call', onDone: 'done' } }, done: { type: 'final' } },
  });

  const cockatielPolicy = wrap(
    fallback(handleAll, () => fallbackReply),
    circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(2) }),
  );
  const opossum = new CircuitBreaker(callPrimary, { timeout: false, resetTimeout: 30_000 });
  opossum.fallback(() => fallbackReply);
  const opossumDefaults = new CircuitBreaker(callPrimary);
  opossumDefaults.fallback(() => fallbackReply);

  const t = await interleavedNsPerOp({
    direct: { iterations: 1_000_000, warmup: 100_000, op: () => noop.call(P, request, { limits }) },
    // XState's code paths take some 10,000 calls to warm up on this machine (the first thousands run 2× slower).
    routed: {
      iterations: 3_000,
      warmup: 20_000,
      op: async () => {
        const turn = router.startTurn();
        if ((await turn.main(request)).servedBy !== P.label) wrong += 1;
        turn.end();
      },
    },
    mainOnOpenTurn: { iterations: 3_000, warmup: 10_000, op: () => openTurn.main(request) },
    routedUnderTsx: {
      iterations: 3_000,
      warmup: 20_000,
      op: async () => {
        const turn = tsxRouter.startTurn();
        await turn.main(request);
        turn.end();
      },
    },
    turnCallActor: { iterations: 3_000, warmup: 10_000, op: () => toPromise(createActor(compiled.machine.turnCallMachine, { input }).start()) },
    xstateFloor: { iterations: 3_000, warmup: 20_000, op: () => toPromise(createActor(invokeOnce).start()) },
    cockatiel: { iterations: 100_000, warmup: 50_000, op: () => cockatielPolicy.execute(callPrimary) },
    opossum: { iterations: 100_000, warmup: 50_000, op: () => opossum.fire() },
    opossumDefaults: { iterations: 30_000, warmup: 20_000, op: () => opossumDefaults.fire() },
  });
  opossum.shutdown();
  opossumDefaults.shutdown();
  const startTurn = nsPerOp(200_000, (n) => {
    for (let i = 0; i < n; i++) router.startTurn();
  });
  const success = { type: 'call.succeeded', backend: P.endpointKey } as const;
  const recordSuccess = nsPerOp(200_000, (n) => {
    for (let i = 0; i < n; i++) registry.record(success);
  });
  router.close();
  tsxRouter.close();

  const overhead = (ns: number) => round(ns - t.direct, 1);
  return {
    directNs: round(t.direct, 1),
    routedNs: round(t.routed, 1),
    mainOnOpenTurnNs: round(t.mainOnOpenTurn, 1),
    routedUnderTsxNs: round(t.routedUnderTsx, 1),
    cockatielNs: round(t.cockatiel, 1),
    opossumNs: round(t.opossum, 1),
    opossumDefaultTimeoutNs: round(t.opossumDefaults, 1),
    overheadNs: {
      routed: overhead(t.routed),
      mainOnOpenTurn: overhead(t.mainOnOpenTurn),
      cockatiel: overhead(t.cockatiel),
      opossum: overhead(t.opossum),
      opossumDefaultTimeout: overhead(t.opossumDefaults),
    },
    ratioToCockatielOverhead: round((t.routed - t.direct) / (t.cockatiel - t.direct), 1),
    ratioToOpossumOverhead: round((t.routed - t.direct) / (t.opossum - t.direct), 1),
    belowCockatiel: t.routed < t.cockatiel,
    breakdownNs: {
      startTurn: round(startTurn, 1),
      turnCallActor: round(t.turnCallActor, 1),
      xstateInvokePromiseFloor: round(t.xstateFloor, 1),
      registrySuccessRecord: round(recordSuccess, 1),
    },
    wrongBackend: wrong,
  };
}

// ---------------------------------------------------------------------------------------------
// (b) Outage simulation
// ---------------------------------------------------------------------------------------------

const OUTAGE_MS = 600_000;
const HEALTHY_MS = 600_000;
const TURN_EVERY_MS = 20_000;
/** The recovery-instant sweep: the outage lengthened by 0, 7, 14 … 294 s (7 s steps meet every phase of the 20 s turn grid). */
const SWEEP_STEP_MS = 7_000;
const SWEEP_SPAN_MS = 300_000;

/** How the dead primary fails: the SDK error it raises (classified by this library) and what a peer's classifier sees. */
interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly sdkError: () => unknown;
  readonly sim: SimFailure;
}

const SCENARIOS: readonly Scenario[] = [
  {
    id: 'crash',
    label: 'HTTP 500 "Claude Code process exited with code 1" (the facade\'s crash)',
    sdkError: () => APIError.generate(500, { type: 'error', error: { type: 'api_error', message: 'Claude Code process exited with code 1' } }, undefined, new Headers()),
    sim: { status: 500, message: 'Claude Code process exited with code 1', transport: false },
  },
  {
    id: 'http500',
    label: 'HTTP 500 "Internal server error" (no crash signature)',
    sdkError: () => APIError.generate(500, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }, undefined, new Headers()),
    sim: { status: 500, message: 'Internal server error', transport: false },
  },
  {
    id: 'refused',
    label: 'connection refused (the facade process is gone)',
    sdkError: () => new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8082'), { code: 'ECONNREFUSED' }) }),
    sim: { message: 'connect ECONNREFUSED 127.0.0.1:8082', transport: true },
  },
];

type Purpose = SimPurpose | 'probe';
interface Sent {
  readonly at: number;
  readonly backend: SimBackend;
  readonly purpose: Purpose;
  readonly ok: boolean;
  /** Cooldowns (or down windows, ejections) the policy had entered when this request was sent. */
  readonly window: number;
}

interface RunResult {
  readonly outageMs: number;
  readonly sent: readonly Sent[];
  readonly mains: readonly { at: number; servedBy: SimBackend | null }[];
  readonly warnings: number;
  readonly quietSkips: number;
  /** Cooldowns (down windows, ejections) entered while the primary was down. */
  readonly windowsDuringOutage: number;
  /** This router only: requests sent to the primary while its health said cooldown or down. */
  readonly sentWhileCooling?: number;
  /** This router only: the session-moving notices it emitted. */
  readonly notices?: { fallbackActivated: number; primaryRestored: number };
  /** This router only: from the recovery to the primary's health closing again (a probe or a turn succeeded on it), in ms. */
  readonly healthyAgainMs?: number;
  /** This router only: the cooldown in force when the primary recovered, in ms. */
  readonly probeIntervalAtRecoveryMs?: number;
}

const turnTimes = (outageMs: number) => {
  const times: number[] = [];
  for (let t = 0; t < outageMs + HEALTHY_MS; t += TURN_EVERY_MS) times.push(t);
  return times;
};

/** Plays the timeline for a re-implemented peer: synchronous, one turn at a time. */
function runPeer(policy: SimPolicy, scenario: Scenario, outageMs: number): RunResult {
  const primaryDown = (at: number) => at < outageMs;
  const sent: Sent[] = [];
  const mains: { at: number; servedBy: SimBackend | null }[] = [];
  let warnings = 0;
  let windowsDuringOutage = 0;
  for (const at of turnTimes(outageMs)) {
    const report = policy.turn(at, (backend, purpose) => {
      const ok = backend === 'fallback' || !primaryDown(at);
      sent.push({ at, backend, purpose, ok, window: policy.cooldownsEntered });
      return ok ? { ok: true } : { ok: false, failure: scenario.sim };
    });
    mains.push({ at, servedBy: report.mainServedBy });
    warnings += report.warnings;
    if (primaryDown(at)) windowsDuringOutage = policy.cooldownsEntered;
  }
  return { outageMs, sent, mains, warnings, quietSkips: 0, windowsDuringOutage };
}

/** A VirtualClock that remembers when its timers are due, so the simulation can stop at each one and let promises settle. */
class SteppingClock extends VirtualClock {
  private readonly dues: number[] = [];

  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    this.dues.push(this.now() + Math.max(0, timeout));
    return super.setTimeout(fn, timeout);
  }

  /** Moves to `time`, stopping at every due timer and settling what it started (an active probe) before going on. */
  async settleTo(time: number): Promise<void> {
    for (;;) {
      this.dues.sort((a, b) => a - b);
      const next = this.dues[0];
      if (next === undefined || next > time) break;
      this.dues.shift();
      this.advanceTo(Math.max(next, this.now()));
      await settle();
    }
    this.advanceTo(time);
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Plays the timeline through the real router on simulated time. */
async function runRouter(scenario: Scenario, outageMs: number, activeProbes: boolean, seed: number): Promise<RunResult> {
  const primaryDown = (at: number) => at < outageMs;
  const clock = new SteppingClock(T0);
  const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: seededRandom(seed), compactEvery: 0 });
  const requests = { main: text('the user message'), title: text('a title for this conversation'), auxiliary: text('compress the history') };
  const purposeOf = (r: NeutralRequest): Purpose => (r === requests.main ? 'main' : r === requests.title ? 'title' : r === requests.auxiliary ? 'auxiliary' : 'probe');
  let windows = 0;
  const cooldowns: { at: number; until: number }[] = [];
  let healthyAgainAt: number | null = null;
  registry.health$.subscribe((change) => {
    if (change.key === P.endpointKey && change.to === 'healthy' && healthyAgainAt === null && change.at - T0 >= outageMs) healthyAgainAt = change.at - T0;
    if (change.key !== P.endpointKey) return;
    // An early probe admitted inside a cooldown, and the half-open slot at its end, open windows of their own (one probe each).
    if ((change.to === 'cooldown' && change.probeDue) || (change.to === 'recovering' && change.from === 'cooldown')) windows += 1;
    // A cooldown (or down window) entered; a re-failure inside one (cooldown → cooldown) is not a new window.
    if ((change.to !== 'cooldown' && change.to !== 'down') || change.from === 'cooldown' || change.from === 'down') return;
    windows += 1;
    cooldowns.push({ at: change.at - T0, until: (change.until ?? change.at) - T0 });
  });
  const sent: Sent[] = [];
  let whileCooling = 0;
  const transport: Transport = {
    async call(e, request): Promise<CallOutcome> {
      const at = clock.now() - T0;
      const backend: SimBackend = e === P ? 'primary' : 'fallback';
      const ok = backend === 'fallback' || !primaryDown(at);
      const status = registry.health(P.endpointKey).status;
      const purpose = purposeOf(request);
      // Early probes go to a cooling backend by design; a user's request must not.
      if (backend === 'primary' && purpose !== 'probe' && (status === 'cooldown' || status === 'down')) whileCooling += 1;
      sent.push({ at, backend, purpose, ok, window: windows });
      if (ok) return { ok: true, response: reply(e) };
      const error = scenario.sdkError();
      const failure: ClassifiedFailure = classifyError(error);
      return { ok: false, failure, error };
    },
  };
  const router = await createHealthRouter({ config: routerConfig(P, [F1]), transport, registry, activeProbes });
  let warnings = 0;
  let quietSkips = 0;
  const notices = { fallbackActivated: 0, primaryRestored: 0 };
  router.notices$.subscribe((n) => {
    if (n.type === 'fallback.activated') notices.fallbackActivated += 1;
    if (n.type === 'primary.restored') notices.primaryRestored += 1;
    if (n.type === 'auxiliary.failed') warnings += 1;
    if (n.type === 'auxiliary.skipped') quietSkips += 1;
  });
  const mains: { at: number; servedBy: SimBackend | null }[] = [];
  for (const at of turnTimes(outageMs)) {
    await clock.settleTo(T0 + at);
    const turn = router.startTurn();
    let servedBy: SimBackend | null = null;
    try {
      servedBy = (await turn.main(requests.main)).servedBy === P.label ? 'primary' : 'fallback';
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
    }
    mains.push({ at, servedBy });
    await turn.title(requests.title);
    await turn.auxiliary('compression', requests.auxiliary);
    turn.end();
  }
  router.close();
  await registry.close();
  const atRecovery = cooldowns.filter((c) => c.at <= outageMs).at(-1);
  return {
    outageMs,
    sent,
    mains,
    warnings,
    quietSkips,
    windowsDuringOutage: cooldowns.filter((c) => primaryDown(c.at)).length,
    sentWhileCooling: whileCooling,
    notices,
    ...(healthyAgainAt !== null ? { healthyAgainMs: healthyAgainAt - outageMs } : {}),
    ...(atRecovery && atRecovery.until > outageMs ? { probeIntervalAtRecoveryMs: probeInterval(atRecovery.until - atRecovery.at, activeProbes, DEFAULT_HEALTH_POLICY) } : {}),
  };
}

/** How far apart probes are during a cooldown of `cooldownMs`: its length, or the early-probe interval when an active prober uses it. */
function probeInterval(cooldownMs: number, activeProbes: boolean, policy: HealthPolicy): number {
  const early = policy.probe.intervalMs;
  return activeProbes && early !== null ? Math.min(early, cooldownMs) : cooldownMs;
}

interface PolicyUnderTest {
  readonly id: string;
  readonly label: string;
  readonly run: (scenario: Scenario, outageMs: number) => Promise<RunResult> | RunResult;
}

const POLICIES: readonly PolicyUnderTest[] = [
  { id: 'router', label: 'this router (default policy, active probes)', run: (s, o) => runRouter(s, o, true, 42 + o / 1000) },
  { id: 'router-no-probes', label: 'this router, active probes off', run: (s, o) => runRouter(s, o, false, 42 + o / 1000) },
  { id: 'hermes-today', label: 'Hermes today', run: (s, o) => runPeer(new HermesToday(), s, o) },
  { id: 'hermes-draft', label: 'Hermes draft fix', run: (s, o) => runPeer(new HermesDraft(), s, o) },
  { id: 'litellm-lone', label: 'LiteLLM defaults (primary = lone deployment)', run: (s, o) => runPeer(new LiteLlmRouter('lone'), s, o) },
  { id: 'litellm-cooled', label: 'LiteLLM, allowed_fails 3/min → 5 s cooldown applied', run: (s, o) => runPeer(new LiteLlmRouter('cooled'), s, o) },
  { id: 'envoy', label: 'Envoy outlier ejection', run: (s, o) => runPeer(new EnvoyOutlier(), s, o) },
];

/** Seconds from the recovery to the first main reply the primary served, or null if it never did. */
function backOnPrimaryS(result: RunResult): number | null {
  const first = result.mains.find((m) => m.at >= result.outageMs && m.servedBy === 'primary');
  return first ? (first.at - result.outageMs) / 1000 : null;
}

function summarize(result: RunResult) {
  const dead = result.sent.filter((s) => s.backend === 'primary' && !s.ok);
  const perWindow = new Map<number, number>();
  for (const s of dead) perWindow.set(s.window, (perWindow.get(s.window) ?? 0) + 1);
  const windows = result.windowsDuringOutage;
  const later = [...perWindow].filter(([w]) => w > 0).map(([, n]) => n);
  const cooled = dead.filter((s) => s.window > 0);
  const gaps = cooled.slice(1).map((s, i) => s.at - cooled[i]!.at);
  const byPurpose = { main: 0, title: 0, auxiliary: 0, probe: 0 };
  for (const s of dead) byPurpose[s.purpose] += 1;
  return {
    deadRequests: dead.length,
    deadByPurpose: byPurpose,
    /** Requests to the dead primary before it was first cooled (the whole outage when it never is). */
    beforeFirstCooldown: perWindow.get(0) ?? 0,
    /** Cooldowns / down windows / ejections entered during the outage. */
    cooldownWindows: windows,
    /**
     * The most requests the dead primary got in one window — from a cooldown's start (or an early
     * probe admitted inside one, or the half-open slot at its end) to the next one's — after it
     * was first cooled (null when it never was).
     */
    maxPerWindow: later.length > 0 ? Math.max(...later) : windows > 0 ? 0 : null,
    /** The closest two requests to the dead primary after it was first cooled, in seconds (null: fewer than two). */
    closestGapS: gaps.length > 0 ? round(Math.min(...gaps) / 1000, 1) : null,
    userVisibleFailures: result.mains.filter((m) => m.servedBy === null).length,
    warnings: result.warnings,
    quietSkips: result.quietSkips,
    backOnPrimaryS: backOnPrimaryS(result),
    ...(result.sentWhileCooling !== undefined ? { sentWhileCooling: result.sentWhileCooling } : {}),
    ...(result.notices ? { notices: result.notices } : {}),
    ...(result.healthyAgainMs !== undefined ? { healthyAgainS: round(result.healthyAgainMs / 1000, 1) } : {}),
    ...(result.probeIntervalAtRecoveryMs !== undefined ? { probeIntervalAtRecoveryS: round(result.probeIntervalAtRecoveryMs / 1000, 1) } : {}),
  };
}

export async function outageBench() {
  const sweep = Array.from({ length: Math.ceil(SWEEP_SPAN_MS / SWEEP_STEP_MS) }, (_, i) => OUTAGE_MS + i * SWEEP_STEP_MS);
  const scenarios = [];
  for (const scenario of SCENARIOS) {
    const rows = [];
    for (const policy of POLICIES) {
      const canonical = summarize(await policy.run(scenario, OUTAGE_MS));
      // The recovery moved against the turn grid and against the policy's own windows: how long until the primary serves again.
      const back: (number | null)[] = [];
      const healthyAgain: number[] = [];
      const beyondInterval: number[] = [];
      for (const outageMs of sweep) {
        const run = summarize(await policy.run(scenario, outageMs));
        back.push(run.backOnPrimaryS);
        if (run.healthyAgainS !== undefined) healthyAgain.push(run.healthyAgainS);
        if (run.healthyAgainS !== undefined && run.probeIntervalAtRecoveryS !== undefined && run.healthyAgainS > run.probeIntervalAtRecoveryS) beyondInterval.push(outageMs);
      }
      const known = back.filter((b): b is number => b !== null);
      rows.push({
        policy: policy.id,
        label: policy.label,
        ...canonical,
        sweep: {
          worstBackOnPrimaryS: known.length === back.length ? Math.max(...known) : null,
          meanBackOnPrimaryS: known.length === back.length ? round(known.reduce((a, b) => a + b, 0) / known.length, 1) : null,
          ...(healthyAgain.length > 0 ? { worstHealthyAgainS: Math.max(...healthyAgain), healthyLaterThanOneProbeInterval: beyondInterval.length } : {}),
        },
      });
    }
    scenarios.push({ id: scenario.id, label: scenario.label, rows });
  }
  return {
    outageS: OUTAGE_MS / 1000,
    healthyS: HEALTHY_MS / 1000,
    turnEveryS: TURN_EVERY_MS / 1000,
    turns: turnTimes(OUTAGE_MS).length,
    outageTurns: turnTimes(OUTAGE_MS).filter((t) => t < OUTAGE_MS).length,
    sweep: { outages: sweep.length, fromS: OUTAGE_MS / 1000, toS: sweep.at(-1)! / 1000, stepS: SWEEP_STEP_MS / 1000 },
    scenarios,
  };
}

// ---------------------------------------------------------------------------------------------
// (c) Two backends flapping out of phase
// ---------------------------------------------------------------------------------------------

const FLAP_WINDOW_MS = 3_000;
/** Each backend's pattern over a cycle of five 3 s windows: A up in the first two, B in the next two, neither in the last. */
const FLAP_UP: Readonly<Record<'A' | 'B', readonly boolean[]>> = { A: [true, true, false, false, false], B: [false, false, true, true, false] };
const FLAP_DURATION_MS = 600_000;
const FLAP_REQUEST_EVERY_MS = 100;

/** How a flapping backend fails while it is down. */
const FLAP_FAILURES: readonly Scenario[] = [SCENARIOS.find((s) => s.id === 'refused')!, SCENARIOS.find((s) => s.id === 'http500')!];

const flapUp = (backend: 'A' | 'B', at: number): boolean => FLAP_UP[backend][Math.floor(at / FLAP_WINDOW_MS) % FLAP_UP[backend].length]!;

/** One run: a request every 100 ms for 10 minutes through the real router on simulated time; each request is a turn (as in the gateway). */
async function runFlapping(failure: Scenario, allUnhealthy: 'fail_fast' | 'try_soonest') {
  const clock = new SteppingClock(T0);
  const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: seededRandom(7), compactEvery: 0 });
  const A = P;
  const B = F1;
  let toDown = 0;
  let probes = 0;
  const transport: Transport = {
    async call(e, req): Promise<CallOutcome> {
      const at = clock.now() - T0;
      if (req.maxTokens === 1) probes += 1;
      if (flapUp(e === A ? 'A' : 'B', at)) return { ok: true, response: reply(e) };
      toDown += 1;
      const error = failure.sdkError();
      return { ok: false, failure: classifyError(error), error };
    },
  };
  const router = await createHealthRouter({ config: routerConfig(A, [B]), transport, registry, allUnhealthy });
  const request = text('a client request');
  let requests = 0;
  let whileUp = 0;
  let successes = 0;
  let successesWhileUp = 0;
  let successesAfterFirstWindow = 0;
  for (let at = 0; at < FLAP_DURATION_MS; at += FLAP_REQUEST_EVERY_MS) {
    await clock.settleTo(T0 + at);
    const up = flapUp('A', at) || flapUp('B', at);
    requests += 1;
    if (up) whileUp += 1;
    const turn = router.startTurn();
    try {
      await turn.main(request);
      successes += 1;
      if (up) successesWhileUp += 1;
      if (at >= FLAP_WINDOW_MS) successesAfterFirstWindow += 1;
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
    }
    turn.end();
  }
  await router.close();
  await registry.close();
  return {
    allUnhealthy,
    requests,
    requestsWhileUp: whileUp,
    successes,
    successesWhileUp,
    successesAfterFirstWindow,
    /** Requests (users' and probes) that reached a backend while it was down: what panic costs. */
    requestsToDownBackends: toDown,
    activeProbes: probes,
    successRatePct: round((100 * successes) / requests, 1),
    successRateWhileUpPct: round((100 * successesWhileUp) / whileUp, 1),
  };
}

export async function flappingBench() {
  const failures = [];
  for (const failure of FLAP_FAILURES) {
    failures.push({ id: failure.id, label: failure.label, runs: [await runFlapping(failure, 'fail_fast'), await runFlapping(failure, 'try_soonest')] });
  }
  return {
    windowS: FLAP_WINDOW_MS / 1000,
    upSharePct: 40,
    durationS: FLAP_DURATION_MS / 1000,
    requestEveryMs: FLAP_REQUEST_EVERY_MS,
    failures,
  };
}

export async function routingBench() {
  const hotPath = await hotPathBench();
  const outage = await outageBench();
  const flapping = await flappingBench();
  return { hotPath, outage, flapping };
}
