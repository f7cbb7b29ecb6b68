import type { Journal, JournalSnapshot } from '../journal/journal.js';
import { openHealthRegistry, type HealthRegistryOptions } from './openHealthRegistry.js';
import { VirtualClock } from '../clock/virtualClock.js';
import { policyFingerprint } from './policyFingerprint.js';
import { policyFunction } from './policyFunction.js';

/**
 * Folds a journal into a snapshot and stores it, so the next startup replays only what comes
 * after. Pass the policy the agent runs with: the snapshot records which policy it was folded
 * under, and a registry opened with another one ignores it (and replays the whole journal). The fold is computed from the journal itself (its last snapshot plus the facts after
 * it), on a simulated clock that stops at the last fact, never from a live registry's memory:
 * whatever process compacts, the snapshot is the fold of the file.
 *
 * @example
 * ```ts
 * import { compactJournal, fileJournal } from 'llm-health-router';
 * const snapshot = await compactJournal(fileJournal('/var/lib/agent/health.jsonl'));
 * console.log(`${Object.keys(snapshot.backends).length} backends, journal position ${snapshot.position}`);
 * ```
 */
export async function compactJournal(journal: Journal, options: Pick<HealthRegistryOptions, 'policy'> = {}): Promise<JournalSnapshot> {
  const contents = await journal.load();
  const end = contents.facts.at(-1)?.at ?? contents.snapshot?.at ?? 0;
  // The fold stops at the last fact: deadlines after it stay pending in the snapshot and are
  // re-armed by whoever restores it.
  const frozen = new VirtualClock(end);
  const fold = await openHealthRegistry({ ...options, journal: fixedContents(journal, contents), clock: frozen, compactEvery: 0, releaseAbandonedProbes: false });
  const backends = fold.stored();
  const policy = policyFingerprint(Object.keys(backends), policyFunction(options.policy));
  const snapshot: JournalSnapshot = { v: 1, position: contents.position, at: end, backends, policy };
  await fold.close();
  await journal.saveSnapshot(snapshot);
  return snapshot;
}

/** A read-only view of already-loaded contents, so the fold reads exactly what was loaded. */
function fixedContents(journal: Journal, contents: Awaited<ReturnType<Journal['load']>>): Journal {
  return {
    location: journal.location,
    append: () => {
      throw new Error('compaction never appends');
    },
    load: async () => contents,
    saveSnapshot: async () => {},
    flush: async () => {},
    close: async () => {},
  };
}
