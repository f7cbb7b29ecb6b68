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
 * For a candidate no request may use now: the levels a panic claim must take so the request can
 * go to it as its one probe, or `undefined` when it cannot. A level open for calls needs no
 * claim; a half-open one is claimed as usual; a closed one must admit a panic probe (see
 * `admitsPanicProbe`): every closed level must, or the candidate stays closed.
 *
 * @example
 * ```ts
 * import { candidatePanicClaim } from 'llm-health-router';
 * const open = { routable: true, as: 'call', status: 'healthy' } as const;
 * const cooling = { routable: false, status: 'cooldown', until: 90_000, probeInFlight: false, probeDue: false } as const;
 * candidatePanicClaim({ routability: cooling, admitsPanic: true }, { routability: open, admitsPanic: false }); // { endpoint: true, model: false }
 * ```
 */
export function candidatePanicClaim(
  endpoint: { readonly routability: Routability; readonly admitsPanic: boolean },
  model: { readonly routability: Routability; readonly admitsPanic: boolean },
): { readonly endpoint: boolean; readonly model: boolean } | undefined {
  const claim = (level: { readonly routability: Routability; readonly admitsPanic: boolean }): boolean | undefined => {
    const r = level.routability;
    if (r.routable) return r.as === 'probe';
    return level.admitsPanic ? true : undefined;
  };
  const e = claim(endpoint);
  const m = claim(model);
  if (e === undefined || m === undefined || (!e && !m)) return undefined;
  return { endpoint: e, model: m };
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
