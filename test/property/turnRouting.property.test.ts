import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import type { Clock } from '../../src/clock/clock.js';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import { failureScope } from '../../src/identity/failureScope.js';
import { memoryJournal, openHealthRegistry } from '../../src/index.js';
import { createHealthRouter, RoutingError, type HealthRouterOptions } from '../../src/router/index.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import type { CallOutcome, Transport } from '../../src/transports/transport.js';
import { entry, routerConfig } from '../support/entries.js';
import { fcSeed } from '../support/fcSeed.js';

/**
 * Property tests of turn routing through the real router and a real health registry, with a
 * scripted in-process transport: random candidate chains (aliases included), random pre-existing
 * health, random outcomes for every request, random policies, and turns made of a main reply,
 * a title, an auxiliary task and a delegated call. The transport checks every request as it is
 * sent:
 *
 * (a) within a turn (a delegated child shares its parent's), no backend key receives a request
 *     after it failed in that turn, except the immediate same-backend retries the policy allows;
 * (b) a backend key that is not routable for a call (cooldown or down, or half-open) receives a
 *     request only as a probe admitted for it: one request per admitted probe, so at most one
 *     per cooldown window or early-probe interval; during a cooldown only an active probe, or
 *     under `try_soonest` (panic) a main or delegated request that claimed the slot as its probe
 *     — never a title or auxiliary task, never a second one while one is out; and the probe slot
 *     is claimed before the request goes out, not after;
 * (c) every call ends, with a response, a failure, or no healthy backend;
 * (d) after a context-length fault, a call moves on only to an entry declaring a larger context
 *     window, or declaring none and running a model that has not answered "too long" in the call.
 *
 * A failing run prints the first findings and every request of the run (time, call, entry, key,
 * outcome); replay it with the seed printed at the top.
 *
 * Time: the registry and the routed-call actors must share one timeline (a retry-after wait, a
 * wait for recovery and a cooldown expiry are compared against each other). The router creates
 * its call actors on the global timers, so the test fakes the global timers (and `Date`) and gives
 * the registry a clock that reads them; time moves only when the test advances it.
 */

const FILE = 'test/property/turnRouting.property.test.ts';
const SEED = fcSeed('turn routing properties', FILE);
const RUNS = Number(process.env.FC_RUNS ?? 150);
const T0 = 1_700_000_000_000;
const INLINE_RETRY_AFTER_MAX_MS = 2_000;

const fakeTimelineClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
const realTick = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------------------------------------
// Outcomes

const OUTCOME_KINDS = [
  'ok',
  'http_500',
  'http_503_short',
  'http_503_long',
  'reset',
  'timeout',
  'unreachable',
  'crash',
  'rate_limited_short',
  'rate_limited_long',
  'auth_config',
  'model_not_found',
  'context_length',
  'content_policy',
] as const;
type OutcomeKind = (typeof OUTCOME_KINDS)[number];
type DeadKind = 'http_500' | 'crash' | 'unreachable' | 'auth_config';

function failureOf(kind: Exclude<OutcomeKind, 'ok'>): ClassifiedFailure {
  const base = { answered: true, modelSpecific: false, retrySameBackend: false };
  switch (kind) {
    case 'http_500':
      return { ...base, kind: 'backend_fault', reason: 'http_500', message: '500 Internal Server Error', status: 500, retrySameBackend: true };
    case 'http_503_short':
      return { ...base, kind: 'backend_fault', reason: 'http_503', message: '503 Service Unavailable', status: 503, retrySameBackend: true, cooldownHintMs: 1_500 };
    case 'http_503_long':
      return { ...base, kind: 'backend_fault', reason: 'http_503', message: '503 Service Unavailable', status: 503, retrySameBackend: true, cooldownHintMs: 90_000 };
    case 'reset':
      return { ...base, kind: 'backend_fault', reason: 'econnreset', message: 'socket hang up', answered: false, retrySameBackend: true };
    case 'timeout':
      return { ...base, kind: 'backend_fault', reason: 'timeout', message: 'timed out', answered: false };
    case 'unreachable':
      return { ...base, kind: 'unreachable', reason: 'econnrefused', message: 'connect ECONNREFUSED', answered: false };
    case 'crash':
      return { ...base, kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 };
    case 'rate_limited_short':
      return { ...base, kind: 'rate_limited', reason: 'http_429', message: '429 rate limited', status: 429, cooldownHintMs: 1_500 };
    case 'rate_limited_long':
      return { ...base, kind: 'rate_limited', reason: 'http_429', message: '429 rate limited', status: 429, cooldownHintMs: 30_000 };
    case 'auth_config':
      return { ...base, kind: 'auth_config', reason: 'http_401', message: '401 invalid x-api-key', status: 401 };
    case 'model_not_found':
      return { ...base, kind: 'auth_config', reason: 'model_not_found', message: '404 model not found', status: 404, modelSpecific: true };
    case 'context_length':
      return { ...base, kind: 'request_fault', reason: 'context_length', message: 'prompt is too long', status: 400, requestFault: 'context_length' };
    case 'content_policy':
      return { ...base, kind: 'request_fault', reason: 'content_policy', message: 'refused', status: 400, requestFault: 'content_policy' };
  }
}

/** Whether the chart may try the same backend again after this failure (retry-same or a short retry-after). */
const allowsSameBackendRetry = (f: ClassifiedFailure) =>
  f.retrySameBackend || (f.kind === 'rate_limited' && f.cooldownHintMs !== undefined && f.cooldownHintMs <= INLINE_RETRY_AFTER_MAX_MS);

// ---------------------------------------------------------------------------------------------
// Scenarios

interface EntrySpec {
  readonly host: number;
  readonly model: 'a' | 'b';
  readonly scope: 'endpoint' | 'model';
  readonly contextWindow: number | undefined;
}
interface PriorFact {
  readonly entry: number;
  readonly level: 'endpoint' | 'model';
  readonly kind: 'crash' | 'rate_limited' | 'auth_config' | 'http_500';
  readonly hintMs: number;
}
type Op = 'main' | 'title' | 'auxiliary' | 'delegate';
interface Scenario {
  readonly entries: readonly EntrySpec[];
  readonly prior: readonly PriorFact[];
  readonly priorElapsedMs: number;
  readonly allUnhealthy: NonNullable<HealthRouterOptions['allUnhealthy']>;
  readonly sameBackendRetries: number;
  readonly activeProbes: boolean;
  /** Per host: dead (always failing this way) until the given turn (0: never dead). */
  readonly dead: readonly { readonly kind: DeadKind; readonly untilTurn: number }[];
  /** Outcomes of the requests to live hosts, in order; `ok` once used up. */
  readonly script: readonly OutcomeKind[];
  readonly turns: readonly { readonly gapMs: number; readonly ops: readonly Op[] }[];
  readonly jitter: number;
}

const HOSTS = 3;
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  entries: fc.array(
    fc.record({
      host: fc.integer({ min: 0, max: HOSTS - 1 }),
      model: fc.constantFrom('a' as const, 'b' as const),
      scope: fc.constantFrom('endpoint' as const, 'endpoint' as const, 'model' as const),
      contextWindow: fc.constantFrom(undefined, undefined, 32_000, 128_000),
    }),
    { minLength: 2, maxLength: 5 },
  ),
  prior: fc.array(
    fc.record({
      entry: fc.nat({ max: 4 }),
      level: fc.constantFrom('endpoint' as const, 'model' as const),
      kind: fc.constantFrom('crash' as const, 'rate_limited' as const, 'auth_config' as const, 'http_500' as const),
      hintMs: fc.integer({ min: 1_000, max: 120_000 }),
    }),
    { maxLength: 4 },
  ),
  priorElapsedMs: fc.integer({ min: 0, max: 60_000 }),
  allUnhealthy: fc.oneof(
    fc.constant('fail_fast' as const),
    fc.constant('try_soonest' as const),
    fc.record({ waitUpToMs: fc.integer({ min: 1_000, max: 60_000 }) }),
  ),
  sameBackendRetries: fc.integer({ min: 0, max: 2 }),
  activeProbes: fc.boolean(),
  dead: fc.array(
    fc.record({ kind: fc.constantFrom<DeadKind>('http_500', 'crash', 'unreachable', 'auth_config'), untilTurn: fc.integer({ min: 0, max: 4 }) }),
    { minLength: HOSTS, maxLength: HOSTS },
  ),
  script: fc.array(fc.constantFrom(...OUTCOME_KINDS, 'ok', 'ok', 'ok'), { maxLength: 30 }),
  turns: fc.array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: 120_000 }),
      ops: fc.shuffledSubarray<Op>(['main', 'title', 'auxiliary', 'delegate'], { minLength: 1 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  jitter: fc.double({ min: 0, max: 0.999, noNaN: true }),
});

const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 64 };
const isProbeRequest = (r: NeutralRequest) => r.maxTokens === 1;

// ---------------------------------------------------------------------------------------------
// One run

interface Findings {
  /** (a) requests to a key that failed earlier in the turn, beyond the allowed immediate retries. */
  readonly afterFailure: string[];
  /** (b) requests of routed calls to a key that was not routable for a call, other than an admitted probe. */
  readonly closed: string[];
  /** (b) active probes that were not the one admitted probe of their half-open window or early-probe interval, or went out before their claim. */
  readonly activeProbes: string[];
  /** (c) calls that did not end, or ended in something other than a response, a failure or no healthy backend. */
  readonly unended: string[];
  /** (b) a request of a routed call to a half-open key sent before the probe slot was claimed for it. */
  readonly claimOrder: string[];
  /** (d) a request to an entry whose context window is not larger, after a context-length fault in the same call. */
  readonly contextTooSmall: string[];
  readonly log: string[];
}

/** The routed call the driver is running now: requests that are not probes belong to it. */
interface OpState {
  readonly name: string;
  readonly turn: number;
  requests: number;
  previous: { readonly label: string; readonly failure: ClassifiedFailure | undefined } | undefined;
  /** Immediate same-backend retries used, counted as the chart counts them. */
  retries: number;
  /** Set by a context-length fault: the window the next entry must exceed (when it declares one). */
  minContext: number | undefined;
  /** Models that answered "context too long" in this call. */
  tooLongModels: string[];
}

const MAX_REQUESTS_PER_CALL = 40;

async function run(s: Scenario): Promise<Findings> {
  const findings: Findings = { afterFailure: [], closed: [], unended: [], claimOrder: [], activeProbes: [], contextTooSmall: [], log: [] };
  const entries: BackendEntry[] = s.entries.map((spec, i) =>
    entry(i === 0 ? 'model' : `fallback_providers[${i - 1}]`, 'custom', spec.model, `http://127.0.0.1:${9200 + spec.host}/v1`, {
      apiMode: 'chat_completions',
      scope: spec.scope,
      ...(spec.contextWindow !== undefined ? { contextWindow: spec.contextWindow } : {}),
    }),
  );
  const hostOf = new Map(entries.map((e, i) => [e, s.entries[i]!.host]));
  const registry = await openHealthRegistry({ journal: memoryJournal(), clock: fakeTimelineClock, random: () => s.jitter });

  // Probes the health machine admitted, per key, not yet used by a request.
  const admitted = new Map<string, number>();
  registry.health$.subscribe((change) => {
    // Half-open probes, and early probes during a cooldown.
    if ((change.to === 'recovering' || change.to === 'cooldown') && change.probeInFlight) admitted.set(change.key, (admitted.get(change.key) ?? 0) + 1);
  });

  let turnNo = 0;
  let op: OpState | undefined;
  let over = false;
  let scriptAt = 0;
  /** Per turn (a delegated child is its parent's turn): the keys that failed in it, and where. */
  const failedInTurn = new Map<number, Map<string, string>>();

  const transport: Transport = {
    async call(e, req): Promise<CallOutcome> {
      if (over) return new Promise<CallOutcome>(() => undefined);
      const now = Date.now();
      const probe = isProbeRequest(req);
      const who = probe ? `active probe of ${e.label}` : `${op?.name ?? '?'} of turn ${turnNo}`;
      findings.log.push(`+${now - T0}ms ${who} → ${e.label} (${e.endpointKey}${e.scope === 'model' ? ` / model ${e.model}` : ''})`);

      // (b) every key of the candidate: routable for a call, or an admitted probe for this request.
      // Checked once the synchronous step that sent the request is over (the chart's own order of
      // claim and call is checked apart, below).
      const keys = [...new Set([e.endpointKey, e.modelKey])];
      // Panic (`try_soonest`): a main or delegated request may take a cooling backend's slot as its probe.
      const mayPanic = !probe && s.allUnhealthy === 'try_soonest' && (op?.name === 'main' || op?.name === 'delegate');
      // Half-open with the slot still free as the request goes out: nobody claimed it first.
      const unclaimed = keys.filter((k) => {
        const r = registry.health(k).routability;
        return r.routable ? r.as === 'probe' : r.probeDue;
      });
      await null;
      for (const key of keys) {
        const view = registry.health(key);
        const r = view.routability;
        if (r.routable && r.as === 'call') continue;
        const probes = admitted.get(key) ?? 0;
        // An early probe in cooldown is for an active probe, or a panicking main/delegated request, only.
        const takesProbe = view.status === 'recovering' || (view.status === 'cooldown' && (probe || mayPanic));
        if (takesProbe && view.probeInFlight && probes > 0) {
          admitted.set(key, probes - 1);
          if (unclaimed.includes(key)) (probe ? findings.activeProbes : findings.claimOrder).push(`${who} sent to ${e.label} while ${key} admitted a probe, before its probe was claimed (the claim came after the request)`);
          continue;
        }
        const until = view.deadline === null ? '' : `, deadline in ${view.deadline - now} ms`;
        (probe ? findings.activeProbes : findings.closed).push(`${who} sent to ${e.label}: ${key} is ${view.status}${view.probeInFlight ? ' with a probe in flight' : ''}${until}, and no probe was admitted for this request`);
      }

      // (a) a key that failed in this turn gets only the allowed immediate retries of the same call.
      let failure: ClassifiedFailure | undefined;
      if (!probe && op) {
        op.requests += 1;
        if (op.requests > MAX_REQUESTS_PER_CALL) {
          findings.unended.push(`${who}: more than ${MAX_REQUESTS_PER_CALL} requests in one call (${e.label} again and again)`);
          return new Promise<CallOutcome>(() => undefined); // stop the storm; the driver reports the hang
        }
        const failed = failedInTurn.get(op.turn) ?? new Map<string, string>();
        failedInTurn.set(op.turn, failed);
        const hit = [e.endpointKey, e.modelKey].filter((k) => failed.has(k));
        const prev = op.previous;
        const sameAsPrevious = prev !== undefined && prev.label === e.label && prev.failure !== undefined;
        const retryAllowed = sameAsPrevious && allowsSameBackendRetry(prev.failure!) && op.retries < s.sameBackendRetries;
        if (hit.length > 0 && !retryAllowed) {
          const why = sameAsPrevious ? `, ${op.retries} same-backend retr${op.retries === 1 ? 'y' : 'ies'} already used of ${s.sameBackendRetries} (last failure ${prev.failure!.reason})` : '';
          findings.afterFailure.push(`${who} sent to ${e.label}, but ${hit.map((k) => `${k} failed earlier in this turn (${failed.get(k)})`).join(' and ')}${why}`);
        }
        op.retries = sameAsPrevious && allowsSameBackendRetry(prev.failure!) ? op.retries + 1 : 0;
        // (d) after a context-length fault, only an entry declaring a larger context window may
        // follow, or one declaring none whose model has not answered "too long" in this call.
        const tooSmall = e.contextWindow !== undefined ? e.contextWindow <= (op.minContext ?? 0) : op.tooLongModels.includes(e.model);
        if (op.minContext !== undefined && tooSmall) {
          findings.contextTooSmall.push(
            `${who} sent to ${e.label} (model ${e.model}, context window ${e.contextWindow ?? 'unknown'}) after a context-length fault that needs more than ${op.minContext} (too long for ${op.tooLongModels.join(', ')})`,
          );
        }
      }

      // The outcome: a dead host fails its way; a live one follows the script.
      const host = hostOf.get(e)!;
      const dead = s.dead[host]!;
      let kind: OutcomeKind;
      if (dead.untilTurn > turnNo) kind = dead.kind;
      else kind = s.script[scriptAt++] ?? 'ok';
      if (kind !== 'ok') failure = failureOf(kind);
      findings.log.push(`    ${failure ? `${failure.kind}/${failure.reason}` : 'ok'}`);
      if (!probe && op) {
        // A short retry-after waited out on the same backend is not a failure of the backend (the
        // router records nothing for it); only what the router records excludes a key.
        const waitedOut =
          failure?.kind === 'rate_limited' && failure.cooldownHintMs !== undefined && failure.cooldownHintMs <= INLINE_RETRY_AFTER_MAX_MS && op.retries < s.sameBackendRetries;
        if (failure && !waitedOut) {
          const scope = failureScope(failure, e.scope);
          if (scope !== 'none') failedInTurn.get(op.turn)!.set(scope === 'endpoint' ? e.endpointKey : e.modelKey, `${op.name}: ${failure.reason} from ${e.label}`);
        }
        op.previous = { label: e.label, failure };
        if (failure?.requestFault === 'context_length') {
          op.minContext = Math.max(op.minContext ?? 0, e.contextWindow ?? 0);
          op.tooLongModels.push(e.model);
        }
      }
      // The answer takes no simulated time (the timers are advanced only between answers).
      if (over) return new Promise<CallOutcome>(() => undefined);
      if (failure) return { ok: false, failure, error: new Error(failure.message) };
      return { ok: true, response: { text: `from ${e.label}`, toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: e.model, servedBy: e.label } };
    },
  };

  const router = await createHealthRouter({
    config: routerConfig(entries[0]!, entries.slice(1)),
    transport,
    registry,
    allUnhealthy: s.allUnhealthy,
    sameBackendRetries: s.sameBackendRetries,
    inlineRetryAfterMaxMs: INLINE_RETRY_AFTER_MAX_MS,
    activeProbes: s.activeProbes,
  });

  /**
   * Runs one call to its end. Answers come back within microtasks; when the call waits for
   * something, time moves to the next timer (which may be the call's own wait, a cooldown ending,
   * an active probe). A call that neither ends nor waits for a timer, or keeps waiting, hangs.
   */
  async function settle<T>(name: string, start: () => Promise<T>): Promise<{ value: T } | { error: unknown } | 'hang'> {
    let result: { value: T } | { error: unknown } | undefined;
    start().then(
      (value) => (result = { value }),
      (error: unknown) => (result = { error }),
    );
    for (let timersFired = 0; ; timersFired++) {
      await realTick();
      if (result) return result;
      if (vi.getTimerCount() === 0 || timersFired >= 200) {
        findings.unended.push(`${name} did not end (${timersFired} timers fired while it waited)`);
        return 'hang';
      }
      await vi.advanceTimersToNextTimerAsync();
    }
  }

  try {
    // Pre-existing health, then some time passes (cooldowns may end, probes may run).
    for (const fact of s.prior) {
      const e = entries[fact.entry % entries.length]!;
      const kind = fact.kind === 'rate_limited' ? 'rate_limited_long' : fact.kind;
      const failure = { ...failureOf(kind), ...(fact.kind === 'rate_limited' ? { cooldownHintMs: fact.hintMs } : {}) };
      registry.record({ type: 'call.failed', backend: fact.level === 'endpoint' ? e.endpointKey : e.modelKey, failure });
    }
    await advance(s.priorElapsedMs);

    for (const [t, turnSpec] of s.turns.entries()) {
      if (t > 0) await advance(turnSpec.gapMs);
      turnNo = t + 1;
      const turn = router.startTurn();
      for (const name of turnSpec.ops) {
        op = { name, turn: turnNo, requests: 0, previous: undefined, retries: 0, minContext: undefined, tooLongModels: [] };
        const label = `${name} of turn ${turnNo}`;
        const outcome =
          name === 'main'
            ? await settle(label, () => turn.main(request))
            : name === 'title'
              ? await settle(label, () => turn.title(request))
              : name === 'auxiliary'
                ? await settle(label, () => turn.auxiliary('summarize', request))
                : await settle(label, () => turn.delegate().main(request));
        op = undefined;
        if (outcome === 'hang') return findings;
        checkEnding(label, name, outcome, findings);
      }
      turn.end();
    }
    return findings;
  } finally {
    over = true;
    await router.close();
    await registry.close();
    vi.clearAllTimers();
  }

  /** Time passes between turns: every timer on the way fires at its time, and what it starts is answered before the next one. */
  async function advance(ms: number) {
    await vi.advanceTimersByTimeAsync(ms);
    await realTick();
  }
}

/** (c) what a call may end with. */
function checkEnding(label: string, name: Op, outcome: { value: unknown } | { error: unknown }, findings: Findings): void {
  if ('error' in outcome) {
    const e = outcome.error;
    if (name === 'main' || name === 'delegate') {
      if (e instanceof RoutingError && (e.failure !== null || e.noHealthyUntil !== null || /no healthy backend/.test(e.message))) return;
    }
    findings.unended.push(`${label} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return;
  }
  const v = outcome.value as Record<string, unknown>;
  if (typeof v['servedBy'] === 'string') return;
  if (name === 'title' || name === 'auxiliary') {
    if (v['skipped'] === 'no_healthy_backend' || v['failed'] !== undefined) return;
  }
  findings.unended.push(`${label} ended with ${JSON.stringify(v)}`);
}

// ---------------------------------------------------------------------------------------------

const params = { seed: SEED, numRuns: RUNS, endOnFailure: false } as const;
const explain = (list: string[], f: Findings) => (list.length === 0 ? [] : [...list.slice(0, 3), '— requests of the run —', ...f.log]);

describe('turn routing properties (real router and registry, scripted transport)', () => {
  const warn = console.warn.bind(console);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 });
    // xstate's development build warns when a custom action of one actor (the chart's
    // `claimProbe`) synchronously drives another actor (the registry's health actor) whose
    // actions build `emit`/`assign`: a false positive of its global flag, known, and thousands
    // of lines here. Everything else is printed.
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string' && /^Custom actions should not call `(emit|assign)\(\)` directly/.test(args[0])) return;
      warn(...args);
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('(a) within a turn, a backend that failed gets no request beyond the allowed immediate same-backend retries', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const f = await run(s);
        expect(explain(f.afterFailure, f)).toEqual([]);
      }),
      params,
    );
  }, 120_000);

  it('(b) a routed call sends a backend in cooldown, down, or half-open no request except a probe admitted for it (at most one per window)', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const f = await run(s);
        expect(explain(f.closed, f)).toEqual([]);
      }),
      params,
    );
  }, 120_000);

  it('(b) a routed call claims the probe slot of a half-open backend before it sends the request', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const f = await run(s);
        expect(explain(f.claimOrder, f)).toEqual([]);
      }),
      params,
    );
  }, 120_000);

  it('(b) active probes: one admitted probe per half-open window or early-probe interval, claimed before it is sent', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const f = await run(s);
        expect(explain(f.activeProbes, f)).toEqual([]);
      }),
      params,
    );
  }, 120_000);

  it('(d) after a context-length fault, the call moves on only to a larger declared window, or an undeclared one running another model', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const f = await run(s);
        expect(explain(f.contextTooSmall, f)).toEqual([]);
      }),
      params,
    );
  }, 120_000);

  it('(c) every call ends, with a response, a failure, or no healthy backend', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const f = await run(s);
        expect(explain(f.unended, f)).toEqual([]);
      }),
      params,
    );
  }, 120_000);
});
