import { createActor, toPromise, type InspectionEvent } from 'xstate';
import { turnCallMachine, type TurnCallOutput, type TurnServices } from '../../machines/turn.machine.js';
import type { ClassifiedFailure } from '../classify/failure.js';
import type { ClassifyOptions } from '../classify/options.js';
import type { BackendEntry, RouterConfig } from '../config/routerConfig.js';
import { candidatePanicClaim, candidateRoutability } from '../health/candidateRoutability.js';
import type { Routability } from '../health/routability.js';
import { failureScope } from '../identity/failureScope.js';
import type { CallPurpose } from '../journal/facts.js';
import type { HealthRegistry } from '../registry/healthRegistry.js';
import type { NeutralRequest, NeutralResponse } from '../transports/neutral.js';
import type { CallLimits, CallOutcome, Transport } from '../transports/transport.js';
import { ProbeClaims } from './probeClaims.js';
import { RoutingError } from './errors.js';
import { checkRequestLimits } from './requestLimits.js';
import { callbackTransport, CALLBACK_REQUEST, type BackendCall } from './callbackTransport.js';
import type { RouterNotice } from './notices.js';

/** What a turn shares with its router: the session's position (sticky across turns) and the tools. */
export interface TurnEnvironment {
  readonly config: RouterConfig;
  readonly registry: HealthRegistry;
  readonly transport: Transport;
  readonly limits: CallLimits;
  readonly allUnhealthy: TurnServices['allUnhealthy'];
  readonly inlineRetryAfterMaxMs: number;
  readonly sameBackendRetries: number;
  /** How long a title or auxiliary call waits for the main call in flight, so it never races a probe. */
  readonly auxiliaryWaitMs: number;
  /** How the callback form classifies what an agent's own SDK call threw. */
  readonly classify: ClassifyOptions;
  /** The entry the session sits on (the last that served a main reply); a turn moves it when another serves. */
  current: BackendEntry;
  /** When the router last started a turn (its creation counts): active probes go only while this is recent. */
  lastTurnAt: number;
  notify(notice: RouterNotice): void;
  /** Given to every routed-call actor (the Stately inspector); absent, actors are created exactly as without it. */
  readonly inspect?: (event: InspectionEvent) => void;
}

/**
 * What an auxiliary task or title returns: the answer, or quietly why there is none. No warning
 * is printed; the same facts arrive as `auxiliary.skipped` / `auxiliary.failed` notices.
 *
 * @example
 * ```ts
 * const title = await turn.title(request);
 * if ('text' in title) setTitle(title.text);
 * ```
 */
export type AuxiliaryResult =
  | NeutralResponse
  | { readonly skipped: 'no_healthy_backend'; readonly until: number | null }
  | { readonly failed: ClassifiedFailure };

/**
 * One user message's worth of calls: the main reply, its title, auxiliary tasks and delegated
 * sub-agents, all routed by backend health and by what already failed in this turn.
 *
 * @example
 * ```ts
 * const turn = router.startTurn();
 * const reply = await turn.main(request);
 * const title = await turn.title(titleRequest); // never sent to a backend that failed in this turn
 * turn.end();
 * ```
 */
export class Turn {
  private effective: BackendEntry | undefined;
  private mainCandidates: readonly BackendEntry[] | undefined;
  private mainInFlight: Promise<unknown> | undefined;
  private ended = false;

  constructor(
    readonly id: string,
    private readonly env: TurnEnvironment,
    /**
     * Where calls start and where they go next. A main turn starts on the primary when it is
     * routable at turn start (the restore), else on the backend the session sits on (sticky);
     * a delegated turn starts on its parent's runtime and does not move the session.
     */
    private readonly chain: {
      readonly first: BackendEntry;
      readonly rest: readonly BackendEntry[];
      readonly moves: boolean;
      /** `[first, ...rest]` without repeats, when the router has it already. */
      readonly candidates?: readonly BackendEntry[];
    },
    /** Keys (endpoint or model) that failed in this turn; a delegated child shares its parent's set. */
    private excluded: Set<string> = NOTHING_EXCLUDED,
  ) {}

  /** The backend that served this turn's main reply, once one did. */
  get effectiveRuntime(): BackendEntry | undefined {
    return this.effective;
  }

  /**
   * The main reply: the session's current backend first, then the chain, skipping what is
   * unhealthy or failed this turn. Throws `RoutingError` for a request fault (with the provider's
   * reason), an abort, a failure inside this process, or when nothing could serve; and
   * `RequestLimitError`, before anything runs, for a request nested too deep or too large
   * (`limits.maxRequestDepth` / `maxRequestChars`).
   *
   * The callback form hands the agent the ready SDK client of the chosen backend instead of a
   * neutral request: `turn.main(async ({ sdk, entry, signal }) => …)`. Whatever it throws is
   * classified and routed exactly like a transport failure; what it returns is returned.
   */
  main(request: NeutralRequest, options?: { signal?: AbortSignal }): Promise<NeutralResponse>;
  main<T>(call: (backend: BackendCall) => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  async main<T>(requestOrCall: NeutralRequest | ((backend: BackendCall) => Promise<T>), options: { signal?: AbortSignal } = {}): Promise<NeutralResponse | T> {
    if (typeof requestOrCall !== 'function') return this.mainReply(requestOrCall, this.env.transport, options);
    const values = new WeakMap<NeutralResponse, T>();
    const transport = callbackTransport(requestOrCall, values, this.env.classify);
    const response = await this.mainReply(CALLBACK_REQUEST, transport, options);
    return values.get(response) as T;
  }

  private async mainReply(request: NeutralRequest, transport: Transport, options: { signal?: AbortSignal }): Promise<NeutralResponse> {
    this.assertOpen();
    checkRequestLimits(request, this.env.limits);
    const first = this.chain.first;
    const candidates = (this.mainCandidates ??= this.chain.candidates ?? unique([first, ...this.chain.rest]));
    const running = this.route(this.chain.moves ? 'main' : 'delegate', candidates, request, options.signal, transport);
    this.mainInFlight = running; // its failure is the caller's; a waiting title only needs it settled
    const output = await running;
    if (!output.response) throw routingError('main reply', output);
    const served = candidates.find((c) => c.label === output.response!.servedBy) ?? first;
    this.effective = served;
    if (this.chain.moves) this.moveSession(served, output);
    return output.response;
  }

  /** The turn's title: like an auxiliary task in `auto` mode, configured by `auxiliary.title_generation`. */
  title(request: NeutralRequest, options: { signal?: AbortSignal } = {}): Promise<AuxiliaryResult> {
    return this.auxiliary('title_generation', request, options);
  }

  /**
   * An auxiliary task. `auto` (the default) follows this turn's effective runtime, then the
   * session's current backend, then the chain; an explicit entry is used alone, with its own
   * api mode. It waits (bounded) for a main call in flight, so it never races a probe of a
   * suspect backend and knows where the main reply was served. A request over the router's
   * request limits throws `RequestLimitError` before anything runs, as in `main`.
   */
  async auxiliary(task: string, request: NeutralRequest, options: { signal?: AbortSignal } = {}): Promise<AuxiliaryResult> {
    this.assertOpen();
    checkRequestLimits(request, this.env.limits);
    if (this.mainInFlight) await this.waitForMain(options.signal);
    const route = this.env.config.auxiliary[task] ?? { mode: 'auto' as const };
    const candidates =
      route.mode === 'explicit'
        ? [route.entry]
        : unique([...(this.effective ? [this.effective] : []), this.chain.first, ...this.chain.rest]);
    const purpose: CallPurpose = task === 'title_generation' ? 'title' : `auxiliary:${task}`;
    const output = await this.route(purpose, candidates, request, options.signal);
    if (output.response) return output.response;
    if (output.failure && output.attempts.length > 0) {
      this.env.notify({ type: 'auxiliary.failed', turnId: this.id, task, failure: output.failure });
      return { failed: output.failure };
    }
    this.env.notify({ type: 'auxiliary.skipped', turnId: this.id, task, until: output.noHealthyUntil });
    return { skipped: 'no_healthy_backend', until: output.noHealthyUntil };
  }

  /** Waits for the main call in flight, at most `auxiliaryWaitMs` on the router's clock, or until the caller aborts. */
  private async waitForMain(signal?: AbortSignal): Promise<void> {
    const clock = this.env.registry.clock;
    let timer: unknown;
    let onAbort: (() => void) | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = clock.setTimeout(() => resolve(), this.env.auxiliaryWaitMs);
      onAbort = () => resolve();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.mainInFlight?.then(settledAnyway, settledAnyway), bound]);
    } finally {
      clock.clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A delegated sub-agent's turn: it starts on this turn's effective runtime (with its api mode)
   * or the configured `delegation` entry, keeps this turn's chain unless pinned, and shares this
   * turn's exclusions, so its failures flow back (and this turn's failures keep it away).
   */
  delegate(): Turn {
    this.assertOpen();
    const pinned = this.env.config.delegation?.entry;
    const first = pinned ?? this.effective ?? this.chain.first;
    const rest = pinned ? (this.env.config.delegation?.fallbacks ?? []) : this.chain.rest;
    // The child shares this turn's set, so it must be this turn's own (not the shared empty one).
    if (this.excluded === NOTHING_EXCLUDED) this.excluded = new Set();
    return new Turn(`${this.id}.d`, this.env, { first, rest: unique([first, ...rest]).slice(1), moves: false }, this.excluded);
  }

  /** Ends the turn; later calls on it throw. Health learned in it stays in the registry. */
  end(): void {
    this.ended = true;
  }

  /**
   * Routes one call. The common case — the first candidate is plainly usable (not failed this
   * turn, routable as an ordinary call, no probe to claim) and answers — costs one transport call
   * and two hot-path health lookups, without starting the statechart. Anything else runs the
   * routed-call chart, which also makes every decision after a failed first call: the first
   * call's outcome is handed to it, as the result of its own first attempt.
   */
  private async route(purpose: CallPurpose, candidates: readonly BackendEntry[], request: NeutralRequest, signal?: AbortSignal, transport = this.env.transport): Promise<TurnCallOutput> {
    const first = candidates[0];
    const { registry } = this.env;
    const now = registry.now();
    // The same questions the chart's selection asks first (failed this turn? routable as a plain
    // call at both levels?), asked directly: no services object, no actor, one clock read.
    if (first && !signal?.aborted && !this.excluded.has(first.endpointKey) && !this.excluded.has(first.modelKey) && plainCall(registry.routability(first.endpointKey, now)) && plainCall(registry.routability(first.modelKey, now))) {
      const outcome = await transport.call(first, request, { limits: this.env.limits, classify: this.env.classify, ...(signal ? { signal } : {}) });
      if (outcome.ok) {
        this.recordSuccess(first, now, purpose);
        return { response: outcome.response, failure: null, noHealthyUntil: null, attempts: [{ label: first.label }], skipped: [] };
      }
      const claims = new ProbeClaims(registry);
      return this.runChart(purpose, candidates, request, answerFirstCallWith(this.services(purpose, transport, claims, signal), first, outcome), claims, signal);
    }
    const claims = new ProbeClaims(registry);
    return this.runChart(purpose, candidates, request, this.services(purpose, transport, claims, signal), claims, signal);
  }

  private recordSuccess(entry: BackendEntry, startedAt: number, purpose: CallPurpose): void {
    const { registry } = this.env;
    registry.record({ type: 'call.succeeded', backend: entry.endpointKey, startedAt, turnId: this.id, purpose });
    registry.record({ type: 'call.succeeded', backend: entry.modelKey, startedAt, turnId: this.id, purpose });
  }

  private runChart(purpose: CallPurpose, candidates: readonly BackendEntry[], request: NeutralRequest, services: TurnServices, claims: ProbeClaims, signal?: AbortSignal): Promise<TurnCallOutput> {
    // The chart's waits (retry-after, recovery) run on the registry's clock, simulated or real.
    const clock = this.env.registry.clock;
    const input = { purpose, candidates, request, services };
    const inspect = this.env.inspect;
    const actor = createActor(turnCallMachine, inspect ? { clock, input, inspect } : { clock, input });
    const onAbort = () => actor.send({ type: 'abort' });
    signal?.addEventListener('abort', onAbort, { once: true });
    actor.start();
    if (signal?.aborted) onAbort();
    return toPromise(actor).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      // A claim the call's outcome did not answer (an abort, a request fault, nothing sent) is given back now.
      claims.releaseUnreported();
    });
  }

  private services(purpose: CallPurpose, transport: Transport, claims: ProbeClaims, signal?: AbortSignal): TurnServices {
    const { registry, limits } = this.env;
    const turnId = this.id;
    return {
      isExcluded: (entry) => this.excluded.has(entry.endpointKey) || this.excluded.has(entry.modelKey),
      routability: (entry) => candidateRoutability(registry.routability(entry.endpointKey), registry.routability(entry.modelKey)),
      panicClaim: (entry) =>
        candidatePanicClaim(
          { routability: registry.routability(entry.endpointKey), admitsPanic: registry.admitsPanicProbe(entry.endpointKey) },
          { routability: registry.routability(entry.modelKey), admitsPanic: registry.admitsPanicProbe(entry.modelKey) },
        ),
      claimProbe: (entry, probe, panic) => {
        const flag = panic ? { panic: true } : {};
        if (probe.endpoint) claims.claimed(registry.record({ type: 'probe.started', backend: entry.endpointKey, turnId, purpose: 'probe', ...flag }));
        if (probe.model) claims.claimed(registry.record({ type: 'probe.started', backend: entry.modelKey, turnId, purpose: 'probe', ...flag }));
      },
      call: (entry, request) => transport.call(entry, request, { limits, classify: this.env.classify, ...(signal ? { signal } : {}) }),
      recordSuccess: (entry, startedAt) => {
        this.recordSuccess(entry, startedAt, purpose);
        claims.reported(entry.endpointKey);
        claims.reported(entry.modelKey);
      },
      recordFailure: (entry, failure, startedAt) => {
        const scope = failureScope(failure, entry.scope);
        if (scope === 'none') return;
        const backend = scope === 'endpoint' ? entry.endpointKey : entry.modelKey;
        if (this.excluded === NOTHING_EXCLUDED) this.excluded = new Set();
        this.excluded.add(backend);
        registry.record({ type: 'call.failed', backend, failure, startedAt, turnId, purpose });
        claims.reported(backend);
      },
      now: () => registry.now(),
      allUnhealthy: this.env.allUnhealthy,
      inlineRetryAfterMaxMs: this.env.inlineRetryAfterMaxMs,
      sameBackendRetries: this.env.sameBackendRetries,
    };
  }

  /** The session follows the backend that served: sticky on a fallback, back on the primary when it serves again. */
  private moveSession(served: BackendEntry, output: TurnCallOutput): void {
    const previous = this.env.current;
    if (served === previous) return;
    this.env.current = served;
    const primary = this.env.config.primary;
    if (served === primary) {
      this.env.notify({ type: 'primary.restored', turnId: this.id, from: previous.label, to: served.label });
    } else {
      const reason = output.attempts.find((a) => a.failure)?.failure?.reason ?? output.skipped[0]?.why ?? 'unavailable';
      this.env.notify({ type: 'fallback.activated', turnId: this.id, from: previous.label, to: served.label, reason });
    }
  }

  private assertOpen(): void {
    if (this.ended) throw new Error(`turn ${this.id} has ended`);
  }
}

/** Services whose first call to `entry` returns an outcome already known (the fast path's failed attempt). */
function answerFirstCallWith(services: TurnServices, entry: BackendEntry, outcome: CallOutcome): TurnServices {
  let pending: CallOutcome | undefined = outcome;
  return {
    ...services,
    call: (e, request) => {
      if (pending && e === entry) {
        const known = pending;
        pending = undefined;
        return Promise.resolve(known);
      }
      return services.call(e, request);
    },
  };
}

function settledAnyway(): void {}

/** Most turns exclude nothing: they share this empty set until their first failure (never added to). */
const NOTHING_EXCLUDED: Set<string> = new Set();

function plainCall(r: Routability): boolean {
  return r.routable && r.as === 'call';
}

function routingError(what: string, output: TurnCallOutput): RoutingError {
  const message = output.failure
    ? `${what} failed: ${output.failure.message}`
    : `${what}: no healthy backend${output.noHealthyUntil !== null ? ` until ${new Date(output.noHealthyUntil).toISOString()}` : ''}`;
  return new RoutingError(message, output.failure, output.noHealthyUntil, output.attempts);
}

function unique(entries: readonly BackendEntry[]): BackendEntry[] {
  return [...new Set(entries)];
}
