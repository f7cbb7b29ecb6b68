import { assign, fromPromise, setup } from 'xstate';
import type { ClassifiedFailure } from '../src/classify/failure.js';
import type { BackendEntry } from '../src/config/routerConfig.js';
import type { CandidateRoutability } from '../src/health/candidateRoutability.js';
import { normalizeModelId } from '../src/identity/modelId.js';
import type { CallPurpose } from '../src/journal/facts.js';
import type { NeutralRequest, NeutralResponse } from '../src/transports/neutral.js';
import type { CallOutcome } from '../src/transports/transport.js';

/**
 * One routed call of a turn (the main reply, a title, an auxiliary task, a delegated call): walk
 * the candidates in order, skip what failed this turn or is unhealthy, call, and on failure retry
 * the same backend, fail over, or surface, by the failure's kind. The turn (src/router) owns what
 * is shared between its calls (the exclusions, the effective runtime); this chart owns the order
 * of decisions, so it can be read, inspected and model-tested.
 */

/**
 * What the chart asks of the world: health, exclusions, the transport, the journal. The router
 * supplies them (bound to its registry and transport); tests supply fakes.
 *
 * @example
 * ```ts
 * const services: TurnServices = router.servicesFor(turn); // see src/router
 * ```
 */
export interface TurnServices {
  /** Did this entry's endpoint or model fail earlier in this turn (or alias one that did)? */
  isExcluded(entry: BackendEntry): boolean;
  routability(entry: BackendEntry): CandidateRoutability;
  /**
   * For a candidate that is not routable: the levels a panic claim must take so it can take the
   * request as its one probe (its cooldown admits that), or `undefined` (see `candidatePanicClaim`).
   */
  panicClaim(entry: BackendEntry): { readonly endpoint: boolean; readonly model: boolean } | undefined;
  /** Claims the probe slot(s) named, before the call; `panic` marks the claim of a request every candidate refused. */
  claimProbe(entry: BackendEntry, probe: { endpoint: boolean; model: boolean }, panic?: boolean): void;
  call(entry: BackendEntry, request: NeutralRequest): Promise<CallOutcome>;
  recordSuccess(entry: BackendEntry, startedAt: number): void;
  /** Journals the failure (at its scope) and excludes the failed key for the rest of the turn. */
  recordFailure(entry: BackendEntry, failure: ClassifiedFailure, startedAt: number): void;
  now(): number;
  /**
   * When every candidate is unusable: fail at once; `try_soonest` (panic): the main reply or a
   * delegated call goes to the candidate that recovers first among those whose cooldown admits it
   * as its one probe (a slot taken, a rate limit or `down` admit none) — one such probe per call —
   * while titles and auxiliary tasks are skipped; or wait up to a bound.
   */
  readonly allUnhealthy: 'fail_fast' | 'try_soonest' | { readonly waitUpToMs: number };
  /** A `retry-after` up to this long is waited out inline on the same backend. */
  readonly inlineRetryAfterMaxMs: number;
  /** Extra attempts on the same backend for a failure that says a retry may help (default 1). */
  readonly sameBackendRetries: number;
}

/** The probe slot(s) a call claims before it is sent: a half-open level's, or a panic claim on a closed candidate. */
export interface ProbeClaim {
  readonly endpoint: boolean;
  readonly model: boolean;
  readonly panic: boolean;
}

/** What the invoked call is given: the claim (if any) is made right before the request, by the call itself. */
export interface BackendCallInput {
  readonly entry: BackendEntry;
  readonly request: NeutralRequest;
  readonly services: TurnServices;
  readonly claim: ProbeClaim | undefined;
}

/** A candidate that was passed over, and why, for notices and tests. */
export interface SkippedCandidate {
  readonly label: string;
  readonly why: 'failed this turn' | 'unhealthy' | 'context too small';
}

/**
 * The chart's memory for one routed call.
 *
 * @example
 * ```ts
 * actor.getSnapshot().context.attempts; // [{ label: 'model', failure: { kind: 'crash', … } }, { label: 'fallback_providers[0]' }]
 * ```
 */
export interface TurnCallContext {
  readonly purpose: CallPurpose;
  readonly candidates: readonly BackendEntry[];
  readonly request: NeutralRequest;
  readonly services: TurnServices;
  /** The candidate being considered or called. */
  readonly index: number;
  readonly retriesUsed: number;
  readonly startedAt: number;
  readonly attempts: readonly { readonly label: string; readonly failure?: ClassifiedFailure }[];
  readonly skipped: readonly SkippedCandidate[];
  readonly response: NeutralResponse | null;
  readonly failure: ClassifiedFailure | null;
  /** Set when no candidate could be used: the soonest time one becomes usable again. */
  readonly noHealthyUntil: number | null;
  /**
   * Set by a context-length failure: the largest configured window known to be too small (0 when
   * the failed entry declared none). Candidates that declare a window must exceed it.
   */
  readonly minContextWindow: number | null;
  /** Models (normalized ids) that answered "context too long" in this call: a candidate of unknown window running one of them is skipped. */
  readonly contextTooLongModels: readonly string[];
  readonly waitMs: number;
  /** A waited-out 429 not recorded yet: recorded if the backend is abandoned instead of retried. */
  readonly unrecorded: boolean;
  /** A panic probe was sent in this call: one per call, so a total outage costs a request at most one extra attempt. */
  readonly panicked: boolean;
}

/**
 * What starts a routed call.
 *
 * @example
 * ```ts
 * const input: TurnCallInput = { purpose: 'title', candidates, request, services };
 * ```
 */
export interface TurnCallInput {
  readonly purpose: CallPurpose;
  readonly candidates: readonly BackendEntry[];
  readonly request: NeutralRequest;
  readonly services: TurnServices;
}

/**
 * The end of a routed call: an answer, a failure to surface (request fault, abort, local failure, or the last
 * failure when nothing else could be tried), or no healthy backend with the soonest recovery.
 *
 * @example
 * ```ts
 * if (output.response) console.log(output.response.servedBy);
 * ```
 */
export interface TurnCallOutput {
  readonly response: NeutralResponse | null;
  readonly failure: ClassifiedFailure | null;
  readonly noHealthyUntil: number | null;
  readonly attempts: TurnCallContext['attempts'];
  readonly skipped: readonly SkippedCandidate[];
}

type Done = { type: 'xstate.done.actor.backendCall'; output: CallOutcome };
const outcomeOf = (event: unknown): CallOutcome => (event as Done).output;
const failureOf = (event: unknown): ClassifiedFailure | undefined => {
  const outcome = outcomeOf(event);
  return outcome && !outcome.ok ? outcome.failure : undefined;
};
const current = (c: TurnCallContext): BackendEntry => c.candidates[c.index]!;

/**
 * The routed-call statechart. See `docs/routing.md` for the rules and the generated diagram.
 *
 * @example
 * ```ts
 * import { createActor, toPromise } from 'xstate';
 * const actor = createActor(turnCallMachine, { input: { purpose: 'main', candidates, request, services } }).start();
 * const { response, failure } = await toPromise(actor);
 * ```
 */
export const turnCallMachine = setup({
  types: {
    context: {} as TurnCallContext,
    input: {} as TurnCallInput,
    output: {} as TurnCallOutput,
    events: {} as { type: 'abort' },
  },
  actors: {
    // The slot is claimed by the call itself, just before the request: a claim is an effect (it
    // sends a fact to the backend's health actor), so it is not made from a transition's action.
    backendCall: fromPromise<CallOutcome, BackendCallInput>(({ input }) => {
      if (input.claim) input.services.claimProbe(input.entry, input.claim, input.claim.panic);
      return input.services.call(input.entry, input.request);
    }),
  },
  guards: {
    noMoreCandidates: ({ context }) => context.index >= context.candidates.length,
    candidateExcluded: ({ context }) => context.services.isExcluded(current(context)),
    contextTooSmall: ({ context }) => !takesLongerContext(context, current(context)),
    candidateUnhealthy: ({ context }) => !context.services.routability(current(context)).routable,
    succeeded: ({ event }) => outcomeOf(event).ok,
    /** The transport turned this candidate down without a request (a gateway stream it cannot continue): not the backend's doing. */
    declined: ({ event }) => failureOf(event)?.kind === 'aborted' && failureOf(event)?.reason === 'declined',
    aborted: ({ event }) => failureOf(event)?.kind === 'aborted',
    /** The call failed inside this process (not sent, or a bug of ours): no backend to blame, and the next would be handed the same request by the same code. */
    localFailure: ({ event }) => failureOf(event)?.kind === 'local',
    contextTooLong: ({ event }) => failureOf(event)?.requestFault === 'context_length',
    requestFault: ({ event }) => failureOf(event)?.kind === 'request_fault',
    shortRateLimit: ({ context, event }) => {
      const f = failureOf(event);
      return f?.kind === 'rate_limited' && hintWithin(context, f) && context.retriesUsed < context.services.sameBackendRetries;
    },
    /** A retryable failure (a 500, 502, 503 …) whose `retry-after` is short: waited out, then retried. */
    mayRetrySameAfterHint: ({ context, event }) => {
      const f = failureOf(event);
      return f?.retrySameBackend === true && hintWithin(context, f) && context.retriesUsed < context.services.sameBackendRetries;
    },
    /** A retryable failure with no `retry-after`; one with a long one fails over instead (its hint sets the cooldown if it ejects). */
    mayRetrySame: ({ context, event }) => {
      const f = failureOf(event);
      return f?.retrySameBackend === true && f.cooldownHintMs === undefined && context.retriesUsed < context.services.sameBackendRetries;
    },
    waitForRecovery: ({ context }) => {
      const policy = context.services.allUnhealthy;
      return typeof policy === 'object' && context.noHealthyUntil !== null && context.noHealthyUntil - context.services.now() <= policy.waitUpToMs;
    },
    /** Panic: the policy says so, the call is a main reply or a delegated one that has not panicked yet, and some candidate admits it as its probe. */
    trySoonest: ({ context }) =>
      context.services.allUnhealthy === 'try_soonest' && PANICKING_PURPOSES.has(context.purpose) && !context.panicked && soonestIndex(context) !== undefined,
  },
  delays: {
    retryAfter: ({ context }) => context.waitMs,
    recoveryWait: ({ context }) => context.waitMs,
  },
  actions: {
    skipCandidate: assign(({ context }, params: { why: SkippedCandidate['why'] }) => ({
      index: context.index + 1,
      skipped: [...context.skipped, { label: current(context).label, why: params.why }],
    })),
    startAttempt: assign({ startedAt: ({ context }) => context.services.now() }),
    recordSuccess: assign(({ context, event }) => {
      context.services.recordSuccess(current(context), context.startedAt);
      const outcome = outcomeOf(event);
      return { response: outcome.ok ? outcome.response : null, attempts: [...context.attempts, { label: current(context).label }] };
    }),
    /** The failure is journaled at its scope (a request fault, an abort or a local failure has none: nothing is recorded or excluded). */
    recordFailure: assign(({ context, event }) => {
      const failure = failureOf(event)!;
      context.services.recordFailure(current(context), failure, context.startedAt);
      return { failure, unrecorded: false, attempts: [...context.attempts, { label: current(context).label, failure }] };
    }),
    /** The backend waited out is not usable after all: the 429 it answered is recorded now, so it is not tried again. */
    recordWaitedOutFailure: assign(({ context }) => {
      if (context.unrecorded && context.failure) context.services.recordFailure(current(context), context.failure, context.startedAt);
      return { unrecorded: false };
    }),
    countRetry: assign({ retriesUsed: ({ context }) => context.retriesUsed + 1 }),
    noteAttempt: assign(({ context, event }) => {
      const failure = failureOf(event)!;
      return { failure, unrecorded: true, attempts: [...context.attempts, { label: current(context).label, failure }] };
    }),
    nextCandidate: assign({ index: ({ context }) => context.index + 1, retriesUsed: 0 }),
    /** Kept as the call's latest failure (what it ends with if nothing else serves), recorded against nobody. */
    noteDeclined: assign(({ context, event }) => {
      const failure = failureOf(event)!;
      return { failure, unrecorded: false, attempts: [...context.attempts, { label: current(context).label, failure }] };
    }),
    requireLargerContext: assign({
      minContextWindow: ({ context }) => Math.max(context.minContextWindow ?? 0, current(context).contextWindow ?? 0),
      contextTooLongModels: ({ context }) => [...context.contextTooLongModels, modelIdOf(current(context))],
      index: ({ context }) => context.index + 1,
      retriesUsed: 0,
    }),
    holdForRetryAfter: assign({ waitMs: ({ event }) => failureOf(event)?.cooldownHintMs ?? 0, retriesUsed: ({ context }) => context.retriesUsed + 1 }),
    noteNoHealthy: assign(({ context }) => ({ noHealthyUntil: soonestUntil(context) })),
    holdForRecovery: assign(({ context }) => ({ waitMs: Math.max(0, (context.noHealthyUntil ?? context.services.now()) - context.services.now()) })),
    selectSoonest: assign(({ context }) => ({ index: soonestIndex(context) ?? context.index, retriesUsed: 0, panicked: true })),
    restartSelection: assign({ index: 0, retriesUsed: 0, noHealthyUntil: null }),
    noteAborted: assign({ failure: () => ({ kind: 'aborted', reason: 'aborted', message: 'the caller aborted the call', answered: false, modelSpecific: false, retrySameBackend: false }) as ClassifiedFailure }),
  },
}).createMachine({
  id: 'turnCall',
  context: ({ input }) => ({
    ...input,
    index: 0,
    retriesUsed: 0,
    startedAt: 0,
    attempts: [],
    skipped: [],
    response: null,
    failure: null,
    noHealthyUntil: null,
    minContextWindow: null,
    contextTooLongModels: [],
    waitMs: 0,
    unrecorded: false,
    panicked: false,
  }),
  initial: 'selecting',
  on: { abort: { target: '.failed', actions: 'noteAborted' } },
  states: {
    selecting: {
      always: [
        { guard: 'noMoreCandidates', target: 'exhausted' },
        { guard: 'candidateExcluded', actions: { type: 'skipCandidate', params: { why: 'failed this turn' } } },
        { guard: 'contextTooSmall', actions: { type: 'skipCandidate', params: { why: 'context too small' } } },
        { guard: 'candidateUnhealthy', actions: { type: 'skipCandidate', params: { why: 'unhealthy' } } },
        { target: 'calling' },
      ],
    },
    calling: {
      entry: 'startAttempt',
      invoke: {
        id: 'backendCall',
        src: 'backendCall',
        input: ({ context }) => ({ entry: current(context), request: context.request, services: context.services, claim: claimFor(context) }),
        onDone: [
          { guard: 'succeeded', target: 'served', actions: 'recordSuccess' },
          { guard: 'declined', target: 'selecting', actions: ['noteDeclined', 'nextCandidate'] },
          { guard: 'aborted', target: 'failed', actions: 'recordFailure' },
          { guard: 'localFailure', target: 'failed', actions: 'recordFailure' },
          { guard: 'contextTooLong', target: 'selecting', actions: ['recordFailure', 'requireLargerContext'] },
          { guard: 'requestFault', target: 'failed', actions: 'recordFailure' },
          { guard: 'shortRateLimit', target: 'waitingToRetry', actions: ['noteAttempt', 'holdForRetryAfter'] },
          { guard: 'mayRetrySameAfterHint', target: 'waitingToRetry', actions: ['recordFailure', 'holdForRetryAfter'] },
          { guard: 'mayRetrySame', target: 'retrying', actions: ['recordFailure', 'countRetry'] },
          { target: 'selecting', actions: ['recordFailure', 'nextCandidate'] },
        ],
      },
    },
    // The failure just recorded may have ejected the backend (a tripped streak, a failed probe):
    // the retry goes out only if the backend is still usable, and claims a probe if it must.
    retrying: {
      always: [
        { guard: 'candidateUnhealthy', target: 'selecting', actions: ['recordWaitedOutFailure', 'nextCandidate'] },
        { target: 'calling' },
      ],
    },
    // A short retry-after is waited out on the same backend. A 429's is not recorded (being told
    // to wait a second is not ill health; if the retry fails, that failure is); a retryable
    // failure's (a 503 with `retry-after: 1`) was recorded like any other.
    waitingToRetry: {
      after: { retryAfter: { target: 'retrying' } },
    },
    exhausted: {
      entry: 'noteNoHealthy',
      always: [
        { guard: 'waitForRecovery', target: 'waitingForRecovery', actions: 'holdForRecovery' },
        { guard: 'trySoonest', target: 'calling', actions: 'selectSoonest' },
        { target: 'failed' },
      ],
    },
    waitingForRecovery: {
      after: { recoveryWait: { target: 'selecting', actions: 'restartSelection' } },
    },
    served: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({
    response: context.response,
    failure: context.response ? null : context.failure,
    noHealthyUntil: context.response ? null : context.noHealthyUntil,
    attempts: context.attempts,
    skipped: context.skipped,
  }),
});

/** Could this candidate take the request at all once healthy (not failed this turn, context large enough)? */
function eligible(context: TurnCallContext, entry: BackendEntry): boolean {
  if (context.services.isExcluded(entry)) return false;
  return takesLongerContext(context, entry);
}

/**
 * After a context-length failure, may this candidate take the request? One that declares its
 * window must declare a larger one than any that failed; one that does not is tried (the chain
 * may hold a larger model) unless it runs a model that already answered "too long".
 */
function takesLongerContext(context: TurnCallContext, entry: BackendEntry): boolean {
  if (context.minContextWindow === null) return true;
  if (entry.contextWindow !== undefined) return entry.contextWindow > context.minContextWindow;
  return !context.contextTooLongModels.includes(modelIdOf(entry));
}

const modelIdOf = (entry: BackendEntry): string => normalizeModelId(entry.model) ?? entry.model;

/** The soonest time an eligible candidate becomes usable, or null when none ever can (then the failure is surfaced). */
function soonestUntil(context: TurnCallContext): number | null {
  let best: number | null = null;
  for (const entry of context.candidates) {
    if (!eligible(context, entry)) continue;
    const r = context.services.routability(entry);
    const at = r.routable ? context.services.now() : r.until;
    if (best === null || at < best) best = at;
  }
  return best;
}

/** The eligible candidate whose recovery comes first among those that would take the request as their probe (panic). */
function soonestIndex(context: TurnCallContext): number | undefined {
  let best: { index: number; at: number } | undefined;
  context.candidates.forEach((entry, index) => {
    if (!eligible(context, entry)) return;
    const r = context.services.routability(entry);
    if (!r.routable && context.services.panicClaim(entry) === undefined) return;
    const at = r.routable ? context.services.now() : r.until;
    if (!best || at < best.at) best = { index, at };
  });
  return best?.index;
}

/** Calls that may take a closed candidate as its probe when nothing else is usable; a title or an auxiliary task is skipped instead. */
const PANICKING_PURPOSES: ReadonlySet<CallPurpose> = new Set(['main', 'delegate']);

const hintWithin = (context: TurnCallContext, f: ClassifiedFailure): boolean => f.cooldownHintMs !== undefined && f.cooldownHintMs <= context.services.inlineRetryAfterMaxMs;

/**
 * The claim a call to the current candidate makes: a routable one claims its half-open levels
 * (if any); one that is not routable is called only in panic, and takes a panic claim.
 */
function claimFor(context: TurnCallContext): ProbeClaim | undefined {
  const entry = current(context);
  const r = context.services.routability(entry);
  if (r.routable) return r.probe.endpoint || r.probe.model ? { ...r.probe, panic: false } : undefined;
  const panic = context.services.panicClaim(entry);
  return panic ? { ...panic, panic: true } : undefined;
}
