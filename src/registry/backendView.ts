import type { CooldownCause, FailureFact, HealthStatus } from '../../machines/backendHealth.machine.js';
import { probeInFlight, routability, type BackendHealthSnapshot, type Routability } from '../health/routability.js';

/**
 * One backend's health as plain data: what a status table, `/health` or a test shows.
 *
 * @example
 * ```ts
 * const view: BackendHealthView = registry.health(key);
 * if (!view.routability.routable) console.log(`${view.key} ${view.status} for ${(view.routability.until - Date.now()) / 1000} s`);
 * ```
 */
export interface BackendHealthView {
  readonly key: string;
  /** False for a backend the registry has never seen (it is healthy by definition). */
  readonly known: boolean;
  readonly status: HealthStatus;
  readonly probeInFlight: boolean;
  readonly routability: Routability;
  /** The current state's deadline (cooldown end, next probe, streak end, next decay step), or null. */
  readonly deadline: number | null;
  readonly level: number;
  readonly streak: number;
  readonly cooldownCause: CooldownCause | null;
  readonly lastFailure: (FailureFact & { readonly at: number }) | null;
}

/** Builds the view from a snapshot (or none: never seen). */
export function backendView(key: string, snapshot: BackendHealthSnapshot | undefined, now: number): BackendHealthView {
  if (!snapshot) {
    return { key, known: false, status: 'healthy', probeInFlight: false, routability: { routable: true, as: 'call', status: 'healthy' }, deadline: null, level: 0, streak: 0, cooldownCause: null, lastFailure: null };
  }
  const c = snapshot.context;
  return {
    key,
    known: true,
    status: c.status,
    probeInFlight: probeInFlight(snapshot),
    routability: routability(snapshot, now),
    deadline: c.deadline,
    level: c.level,
    streak: c.streak,
    cooldownCause: c.cooldownCause,
    lastFailure: c.lastFailure,
  };
}
