import type { HealthFact } from '../journal/facts.js';
import type { HealthRegistry } from '../registry/healthRegistry.js';

/**
 * The probe slots one routed call (or one active probe) claimed and that no fact has reported on
 * yet. A call that ends without a fact about a backend it claimed — the caller aborted, the
 * request was at fault, the transport sent nothing, the failure was recorded at the other level —
 * gives the slot back when it ends, instead of leaving the backend closed to everyone until the
 * probe timeout.
 *
 * @example
 * ```ts
 * const claims = new ProbeClaims(registry);
 * claims.claimed(registry.record({ type: 'probe.started', backend: key, purpose: 'probe' }));
 * // … the call; a call.succeeded / call.failed about `key` is recorded, or not:
 * claims.reported(key);
 * claims.releaseUnreported(); // probe.abandoned for what is left
 * ```
 */
export class ProbeClaims {
  private readonly open = new Map<string, HealthFact>();

  constructor(private readonly registry: HealthRegistry) {}

  /** A claim `record` returned (nothing when it recorded none). */
  claimed(fact: HealthFact | undefined): void {
    if (fact?.type === 'probe.started') this.open.set(fact.backend, fact);
  }

  /** A fact about `backend` was recorded: its claim is answered. */
  reported(backend: string): void {
    this.open.delete(backend);
  }

  /** Gives up every claim no fact answered (only those that still hold their slot change anything). */
  releaseUnreported(): void {
    for (const claim of this.open.values()) this.registry.abandonOwnProbe(claim);
    this.open.clear();
  }
}
