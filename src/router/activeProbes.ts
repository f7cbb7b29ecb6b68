import type { Subscription } from 'rxjs';
import type { BackendEntry } from '../config/routerConfig.js';
import { candidateRoutability } from '../health/candidateRoutability.js';
import { failureScope } from '../identity/failureScope.js';
import type { NeutralRequest } from '../transports/neutral.js';
import type { TurnEnvironment } from './turn.js';

/** The cheapest request that proves a backend answers: one token. */
export const PROBE_REQUEST: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }], maxTokens: 1 };

/**
 * Active probes: the moment a configured backend turns half-open (its cooldown or down interval
 * ended), send it one cheap request instead of waiting for a user's turn to be the probe. A
 * success closes the cooldown at once, so the primary is back within one cooldown of recovering
 * without spending a user request on a backend that may still be dead; a failure escalates the
 * next cooldown. At most one probe per backend is in flight, and only when the chart admits it.
 */
export function startActiveProbes(env: TurnEnvironment): { stop(): void } {
  const entries = [env.config.primary, ...env.config.fallbacks];
  const inFlight = new Set<string>();
  let stopped = false;

  const probe = async (entry: BackendEntry) => {
    const { registry } = env;
    const r = candidateRoutability(registry.routability(entry.endpointKey), registry.routability(entry.modelKey));
    const keys = [entry.endpointKey, entry.modelKey];
    // Keyed by backend, not by entry: two entries aliasing one endpoint share its probe slot.
    if (stopped || keys.some((k) => inFlight.has(k)) || !r.routable || !(r.probe.endpoint || r.probe.model)) return;
    for (const k of keys) inFlight.add(k);
    try {
      if (r.probe.endpoint) registry.record({ type: 'probe.started', backend: entry.endpointKey, purpose: 'probe' });
      if (r.probe.model) registry.record({ type: 'probe.started', backend: entry.modelKey, purpose: 'probe' });
      const startedAt = registry.now();
      const outcome = await env.transport.call(entry, PROBE_REQUEST, { limits: env.limits, classify: env.classify });
      if (stopped) return;
      if (outcome.ok) {
        registry.record({ type: 'call.succeeded', backend: entry.endpointKey, startedAt, purpose: 'probe' });
        registry.record({ type: 'call.succeeded', backend: entry.modelKey, startedAt, purpose: 'probe' });
      } else {
        const scope = failureScope(outcome.failure, entry.scope);
        if (scope !== 'none') registry.record({ type: 'call.failed', backend: scope === 'endpoint' ? entry.endpointKey : entry.modelKey, failure: outcome.failure, startedAt, purpose: 'probe' });
      }
    } finally {
      for (const k of keys) inFlight.delete(k);
    }
  };

  const subscription: Subscription = env.registry.health$.subscribe((change) => {
    if (change.to !== 'recovering' || change.probeInFlight) return;
    // After the health actor has finished the transition that announced this: a claim sent from
    // inside its announcement would land after the request it claims for.
    for (const entry of entries) if (entry.endpointKey === change.key || entry.modelKey === change.key) queueMicrotask(() => void probe(entry));
  });
  // Backends already half-open when the router starts (a restart after their cooldown ended).
  for (const entry of entries) void probe(entry);
  return {
    stop() {
      stopped = true;
      subscription.unsubscribe();
    },
  };
}
