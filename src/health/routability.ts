import type { SnapshotFrom } from 'xstate';
import type { backendHealthMachine, HealthStatus } from '../../machines/backendHealth.machine.js';

/**
 * A snapshot of a backend health actor.
 *
 * @example
 * ```ts
 * import type { BackendHealthSnapshot } from 'llm-health-router';
 * const status = (s: BackendHealthSnapshot) => s.context.status;
 * ```
 */
export type BackendHealthSnapshot = SnapshotFrom<typeof backendHealthMachine>;

/**
 * The answer to "may I send this backend a request now, and if not, until when?".
 * `as: 'probe'` means the backend is half-open: the caller must first send `probe.started` (that
 * claims the single slot) and report the outcome.
 *
 * @example
 * ```ts
 * import type { Routability } from 'llm-health-router';
 * const say = (r: Routability) => (r.routable ? `go (${r.as})` : `wait until ${new Date(r.until).toISOString()}`);
 * ```
 */
export type Routability =
  | { readonly routable: true; readonly as: 'call' | 'probe'; readonly status: HealthStatus }
  | {
      readonly routable: false;
      readonly status: HealthStatus;
      readonly until: number;
      readonly probeInFlight: boolean;
      /**
       * Closed to user requests, but an early probe is admitted now (a cooldown's `probe.intervalMs`
       * came): an active prober claims it with `probe.started` and reports the outcome.
       */
      readonly probeDue: boolean;
    };

// The answer asked on every call, shared: it is immutable.
const HEALTHY: Routability = Object.freeze({ routable: true, as: 'call', status: 'healthy' });

/**
 * Reads routability off a health snapshot: no event is sent and nothing changes, so it is free
 * to ask on every call. The answer comes from the statechart's tags (`routable`, `probe`,
 * `closed`) and its deadline; a closed state whose deadline has passed but whose timer has not
 * fired yet (a restored actor, a late timer) answers `probe`, which the machine accepts.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { backendHealthMachine, routability } from 'llm-health-router';
 * const actor = createActor(backendHealthMachine, { input: { key: 'openai|chat_completions|https://api.openai.com/v1' } }).start();
 * routability(actor.getSnapshot(), Date.now()); // { routable: true, as: 'call', status: 'healthy' }
 * ```
 */
export function routability(snapshot: BackendHealthSnapshot, now: number): Routability {
  const status = snapshot.context.status;
  if (snapshot.hasTag('routable')) return status === 'healthy' ? HEALTHY : { routable: true, as: 'call', status };
  if (snapshot.hasTag('probe')) return { routable: true, as: 'probe', status };
  const { deadline, probeAt } = snapshot.context;
  const until = deadline ?? now;
  if (now >= until) return { routable: true, as: 'probe', status };
  // An early-probe time that passed before its timer ran admits the probe, as a passed deadline does.
  const probeDue = snapshot.hasTag('probeDue') || (snapshot.matches({ cooldown: 'resting' }) && probeAt !== null && probeAt < until && now >= probeAt);
  return { routable: false, status, until, probeInFlight: probeInFlight(snapshot), probeDue };
}

/**
 * Whether a probe holds the backend's single probe slot (half-open, or an early probe in cooldown).
 *
 * @example
 * ```ts
 * import { probeInFlight } from 'llm-health-router';
 * if (probeInFlight(actor.getSnapshot())) console.log('someone is already checking this backend');
 * ```
 */
export function probeInFlight(snapshot: BackendHealthSnapshot): boolean {
  return snapshot.matches({ degraded: { recovering: 'probing' } }) || snapshot.matches({ cooldown: 'probing' });
}
