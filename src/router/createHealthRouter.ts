import { Subject, type Observable } from 'rxjs';
import type { InspectionEvent } from 'xstate';
import type { TurnServices } from '../../machines/turn.machine.js';
import type { RouterConfig } from '../config/routerConfig.js';
import { classifierOptionsFrom } from '../policy/classifierOptions.js';
import { candidateRoutability } from '../health/candidateRoutability.js';
import type { HealthRegistry } from '../registry/healthRegistry.js';
import { openHealthRegistry, type HealthRegistryOptions } from '../registry/openHealthRegistry.js';
import type { CallLimits, Transport } from '../transports/transport.js';
import type { RouterNotice } from './notices.js';
import { probesWanted, startActiveProbes } from './activeProbes.js';
import { Turn, type TurnEnvironment } from './turn.js';

/**
 * How a router is built. Only `config` and `transport` are required; the registry defaults to an
 * in-memory journal with the config's health policy.
 *
 * @example
 * ```ts
 * const router = await createHealthRouter({ config: loadRouterConfig(yaml), transport: sdkTransport() });
 * ```
 */
export interface HealthRouterOptions {
  readonly config: RouterConfig;
  readonly transport: Transport;
  /** An open registry to share, or options to open one (its policy defaults to `config.health`). */
  readonly registry?: HealthRegistry | Omit<HealthRegistryOptions, 'policy'>;
  readonly limits?: Partial<CallLimits>;
  /**
   * When nothing is usable: `try_soonest` (the default, panic mode) — the main reply or a
   * delegated call goes to the candidate that recovers first among those whose cooldown admits it
   * as its one probe (one such probe per call; if it fails, the call fails with its error), and
   * fails naming the soonest recovery when none admits one; `fail_fast` — fail at
   * once naming the soonest recovery; or `{ waitUpToMs }` — wait for the soonest recovery up to a bound.
   * Titles and auxiliary tasks are skipped quietly in every mode but a wait.
   */
  readonly allUnhealthy?: TurnServices['allUnhealthy'];
  /** A `retry-after` up to this long is waited out on the same backend (default 2000 ms). */
  readonly inlineRetryAfterMaxMs?: number;
  /** Extra attempts on the same backend when a retry may help (default 1). */
  readonly sameBackendRetries?: number;
  /** How long titles and auxiliary tasks wait for the main call in flight (default 15000 ms). */
  readonly auxiliaryWaitMs?: number;
  /**
   * Probe a configured backend with a one-token request the moment it turns half-open, instead
   * of letting a user's turn be the probe. Default: the policy's `probe.active` (true unless the
   * config's `health.probe.active` is false). Only while the router carried a turn within
   * `probe.trafficWindowMs`. See `startActiveProbes`.
   */
  readonly activeProbes?: boolean;
  /**
   * Wired into every routed-call actor (one runs for a call that failed or did not start plainly;
   * a call answered at once by a healthy backend runs none), for the Stately inspector
   * (`startInspector`) or any observer. A registry the router opens itself gets it too.
   */
  readonly inspect?: (event: InspectionEvent) => void;
}

/**
 * A health router: turns for an agent's user messages, sharing one health registry.
 *
 * @example
 * ```ts
 * const router = await createHealthRouter({ config, transport: sdkTransport() });
 * router.notices$.subscribe((n) => console.log(n.type));
 * const turn = router.startTurn();
 * ```
 */
export interface HealthRouter {
  readonly config: RouterConfig;
  readonly registry: HealthRegistry;
  /** `fallback.activated`, `primary.restored`, `auxiliary.failed`, `auxiliary.skipped`, and the registry's `journal.degraded` / `journal.recovered`. */
  readonly notices$: Observable<RouterNotice>;
  /** The backend the session sits on now (the primary, or a sticky fallback). */
  readonly current: RouterConfig['primary'];
  /** Starts a turn: on the primary if it is routable now (the restore), else on the current backend. */
  startTurn(): Turn;
  /** Stops active probes and the notices; closes the registry if the router opened it (the journal stays its owner's). */
  close(): Promise<void>;
}

/**
 * Creates a health router over a resolved config.
 *
 * @example
 * ```ts
 * import { createHealthRouter, readRouterConfig, sdkTransport, fileJournal, defaultJournalPath } from 'llm-health-router';
 * const router = await createHealthRouter({
 *   config: await readRouterConfig('router.yaml'),
 *   transport: sdkTransport(),
 *   registry: { journal: fileJournal(defaultJournalPath()) },
 * });
 * ```
 */
export async function createHealthRouter(options: HealthRouterOptions): Promise<HealthRouter> {
  const { config } = options;
  const ownsRegistry = !isRegistry(options.registry);
  const registry = isRegistry(options.registry)
    ? options.registry
    : await openHealthRegistry({ ...(options.inspect ? { inspect: options.inspect } : {}), ...options.registry, policy: config.health });
  const notices = new Subject<RouterNotice>();
  const journalNotices = registry.notices$.subscribe((notice) => notices.next(notice));
  let turns = 0;
  const env: TurnEnvironment = {
    config,
    registry,
    transport: options.transport,
    limits: { timeoutMs: 120_000, firstTokenTimeoutMs: 10_000, idleTimeoutMs: 20_000, ...options.limits },
    allUnhealthy: options.allUnhealthy ?? 'try_soonest',
    inlineRetryAfterMaxMs: options.inlineRetryAfterMaxMs ?? 2_000,
    sameBackendRetries: options.sameBackendRetries ?? 1,
    auxiliaryWaitMs: options.auxiliaryWaitMs ?? 15_000,
    classify: classifierOptionsFrom(config.health),
    current: config.primary,
    lastTurnAt: registry.now(),
    notify: (notice) => notices.next(notice),
    ...(options.inspect ? { inspect: options.inspect } : {}),
  };
  const probes = (options.activeProbes ?? config.health.probe.active) ? startActiveProbes(env) : undefined;
  // A turn's chain depends only on where it starts: built once per starting entry, not per turn.
  type Entry = RouterConfig['primary'];
  const chains = new Map<Entry, { first: Entry; rest: readonly Entry[]; candidates: readonly Entry[]; moves: true }>();
  const chainFrom = (first: Entry) => {
    let chain = chains.get(first);
    if (!chain) {
      const rest = [config.primary, ...config.fallbacks].filter((e) => e !== first);
      chain = { first, rest, candidates: [...new Set([first, ...rest])], moves: true };
      chains.set(first, chain);
    }
    return chain;
  };
  const primaryRoutable = () =>
    candidateRoutability(registry.routability(config.primary.endpointKey), registry.routability(config.primary.modelKey)).routable;
  return {
    config,
    registry,
    notices$: notices.asObservable(),
    get current() {
      return env.current;
    },
    startTurn() {
      turns += 1;
      // Back after a quiet spell: the probes that were held back go now, before this turn picks its backend.
      const wasQuiet = !probesWanted(env);
      env.lastTurnAt = registry.now();
      if (wasQuiet) probes?.wake();
      const first = env.current !== config.primary && primaryRoutable() ? config.primary : env.current;
      return new Turn(`t-${turns}`, env, chainFrom(first));
    },
    async close() {
      probes?.stop();
      journalNotices.unsubscribe();
      notices.complete();
      if (ownsRegistry) await registry.close();
    },
  };
}

function isRegistry(value: unknown): value is HealthRegistry {
  return typeof value === 'object' && value !== null && 'record' in value && typeof (value as HealthRegistry).record === 'function';
}
