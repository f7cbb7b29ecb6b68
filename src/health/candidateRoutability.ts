import type { Routability } from './routability.js';

/**
 * Routability of a candidate `(endpoint, model)`: health is kept at both levels and a candidate is
 * routable only if both are. `probe` says which levels are half-open, so the caller claims the probe
 * slot on each of them before sending.
 *
 * @example
 * ```ts
 * import { candidateRoutability } from 'llm-health-router';
 * const open = { routable: true, as: 'call', status: 'healthy' } as const;
 * const jailed = { routable: false, status: 'cooldown', until: 90_000, probeInFlight: false } as const;
 * candidateRoutability(open, jailed); // { routable: false, until: 90000, blockedBy: ['model'] }
 * ```
 */
export function candidateRoutability(endpoint: Routability, model: Routability): CandidateRoutability {
  const levels = [
    ['endpoint', endpoint],
    ['model', model],
  ] as const;
  const blocked = levels.filter(([, r]) => !r.routable);
  if (blocked.length > 0) {
    // Both levels must open before the candidate can be used, so the later deadline is the answer.
    const until = Math.max(...blocked.map(([, r]) => (r.routable ? 0 : r.until)));
    return { routable: false, until, blockedBy: blocked.map(([level]) => level) };
  }
  return {
    routable: true,
    probe: { endpoint: endpoint.routable && endpoint.as === 'probe', model: model.routable && model.as === 'probe' },
  };
}

/**
 * The combined answer for an endpoint and a model on it.
 *
 * @example
 * ```ts
 * import type { CandidateRoutability } from 'llm-health-router';
 * const mustProbe = (c: CandidateRoutability) => c.routable && (c.probe.endpoint || c.probe.model);
 * ```
 */
export type CandidateRoutability =
  | { readonly routable: true; readonly probe: { readonly endpoint: boolean; readonly model: boolean } }
  | { readonly routable: false; readonly until: number; readonly blockedBy: readonly ('endpoint' | 'model')[] };
