import type { Subscription } from 'rxjs';
import { classifyError } from '../classify/classifyError.js';
import type { CallOutcome } from '../transports/transport.js';
import type { BackendEntry } from '../config/routerConfig.js';
import type { Routability } from '../health/routability.js';
import { failureScope } from '../identity/failureScope.js';
import type { NeutralRequest } from '../transports/neutral.js';
import { ProbeClaims } from './probeClaims.js';
import type { TurnEnvironment } from './turn.js';

/** The cheapest request that proves a backend answers: one token. */
export const PROBE_REQUEST: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }], maxTokens: 1 };

/**
 * Whether the router's backends are worth probing now: it started a turn (or was created) within
 * its policy's `probe.trafficWindowMs`. Nobody waits for the backends of a chain nobody uses.
 *
 * @example
 * ```ts
 * if (probesWanted(env)) void probe(entry);
 * ```
 */
export function probesWanted(env: Pick<TurnEnvironment, 'config' | 'registry' | 'lastTurnAt'>): boolean {
  const window = env.config.health.probe.trafficWindowMs;
  return window === null || env.registry.now() - env.lastTurnAt <= window;
}

/**
 * Active probes: whenever the chart admits a probe to a configured backend — it turned half-open
 * (its cooldown or down interval ended) or, during a cooldown, its early-probe interval came —
 * send it one cheap request instead of waiting for a user's turn to be the probe. A success closes
 * the cooldown at once, so the primary is back within one probe interval of recovering without
 * spending a user request on a backend that may still be dead. At most one probe per backend is in
 * flight, and only when the chart admits it; none while the router carried no turn within
 * `probe.trafficWindowMs` (`wake()`, called when a turn comes back, sends what is due then).
 */
export function startActiveProbes(env: TurnEnvironment): { stop(): void; wake(): void } {
  const entries = [env.config.primary, ...env.config.fallbacks];
  const inFlight = new Set<string>();
  let stopped = false;

  const probe = async (entry: BackendEntry) => {
    const { registry } = env;
    const keys = [entry.endpointKey, entry.modelKey];
    // Keyed by backend, not by entry: two entries aliasing one endpoint share its probe slot.
    if (stopped || !probesWanted(env) || keys.some((k) => inFlight.has(k))) return;
    const claims = probeClaims(keys.map((k) => registry.routability(k)));
    if (claims === undefined) return;
    for (const k of keys) inFlight.add(k);
    try {
      const held = new ProbeClaims(registry);
      keys.forEach((k, i) => claims[i] && held.claimed(registry.record({ type: 'probe.started', backend: k, purpose: 'probe' })));
      const startedAt = registry.now();
      let outcome: CallOutcome;
      try {
        outcome = await env.transport.call(entry, PROBE_REQUEST, { limits: env.limits, classify: env.classify });
      } catch (error) {
        // A transport that throws (a missing SDK, a custom transport's bug) still answers the probe: it failed.
        outcome = { ok: false, failure: classifyError(error, env.classify), error };
      }
      if (stopped) return held.releaseUnreported();
      if (outcome.ok) {
        for (const k of keys) {
          registry.record({ type: 'call.succeeded', backend: k, startedAt, purpose: 'probe' });
          held.reported(k);
        }
      } else {
        const scope = failureScope(outcome.failure, entry.scope);
        const backend = scope === 'endpoint' ? entry.endpointKey : entry.modelKey;
        if (scope !== 'none') {
          registry.record({ type: 'call.failed', backend, failure: outcome.failure, startedAt, purpose: 'probe' });
          held.reported(backend);
        }
      }
      // A probe that failed inside this process (nothing sent) or at the other level gives its slot back.
      held.releaseUnreported();
    } finally {
      for (const k of keys) inFlight.delete(k);
    }
  };

  const subscription: Subscription = env.registry.health$.subscribe((change) => {
    if (!(change.to === 'recovering' && !change.probeInFlight) && !change.probeDue) return;
    // After the health actor has finished the transition that announced this: a claim sent from
    // inside its announcement would land after the request it claims for.
    for (const entry of entries) if (entry.endpointKey === change.key || entry.modelKey === change.key) queueMicrotask(() => void probe(entry).catch(ignore));
  });
  const sweep = () => {
    for (const entry of entries) void probe(entry).catch(ignore);
  };
  // Backends already half-open when the router starts (a restart after their cooldown ended).
  sweep();
  return {
    wake: sweep,
    stop() {
      stopped = true;
      subscription.unsubscribe();
    },
  };
}

/**
 * Which levels (endpoint, model) of one backend a probe must claim, or `undefined` when no probe
 * should go: every level must admit the request (open, half-open, or an early probe due) and at
 * least one must be waiting for a probe.
 */
function probeClaims(levels: readonly Routability[]): boolean[] | undefined {
  const wantsProbe = levels.map((r) => (r.routable ? r.as === 'probe' : r.probeDue));
  const admits = levels.every((r) => r.routable || r.probeDue);
  return admits && wantsProbe.some(Boolean) ? wantsProbe : undefined;
}

/** A probe is background work: whatever goes wrong with it must never take the process down. */
function ignore(): void {}
