import type { Snapshot } from 'xstate';
import { backendHealthMachine } from '../../machines/backendHealth.machine.js';
import type { BackendHealthSnapshot } from '../health/routability.js';
import type { StoredHealth } from '../journal/journal.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';

/**
 * A health actor's persisted snapshot without its policy: the registry knows each backend's
 * policy, so snapshots stay small (about half the bytes) and a changed policy applies on restore.
 */
export function storeHealth(persisted: Snapshot<unknown>): StoredHealth {
  const { context, ...rest } = persisted as unknown as { context: Record<string, unknown> };
  const { policy: _policy, ...stored } = context;
  return { ...rest, context: stored };
}

/** The persisted snapshot to restore an actor from: the stored health with `policy` put back. */
export function restoreHealth(stored: StoredHealth, policy: HealthPolicy): Snapshot<unknown> {
  const context = (stored['context'] ?? {}) as Record<string, unknown>;
  return { ...stored, context: { ...context, policy } } as unknown as Snapshot<unknown>;
}

/** A snapshot object for queries on a backend with no live actor (tags, `can`, matches), without starting anything. */
export function resolveStored(stored: StoredHealth, policy: HealthPolicy): BackendHealthSnapshot {
  const persisted = restoreHealth(stored, policy) as unknown as { value: unknown; context: unknown };
  return backendHealthMachine.resolveState({ value: persisted.value as never, context: persisted.context as never });
}
