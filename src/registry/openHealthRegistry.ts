import type { InspectionEvent } from 'xstate';
import { systemClock, type Clock } from '../clock/clock.js';
import { ReplayClock } from '../clock/replayClock.js';
import type { Journal } from '../journal/journal.js';
import type { JournalBacklogOptions } from '../journal/journalWriter.js';
import { memoryJournal } from '../journal/memoryJournal.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import { compactJournal } from './compactJournal.js';
import { HealthRegistry } from './healthRegistry.js';
import { policyFingerprint } from './policyFingerprint.js';
import { policyFunction } from './policyFunction.js';
import { newWriterId } from './writerId.js';

/**
 * How to open a registry. Everything has a default: an in-memory journal, the default policy,
 * the system clock.
 *
 * @example
 * ```ts
 * const options: HealthRegistryOptions = { journal: fileJournal(defaultJournalPath()), policy: resolveHealthPolicy({ cooldown: { baseMs: 10_000 } }) };
 * ```
 */
export interface HealthRegistryOptions {
  /** Where facts go and where health is rehydrated from. Default: `memoryJournal()`. */
  readonly journal?: Journal;
  /** One policy for every backend, or a policy per backend key. Default: `DEFAULT_HEALTH_POLICY`. */
  readonly policy?: HealthPolicy | ((key: string) => HealthPolicy);
  /** The live clock. Default: the system clock (tests pass a `VirtualClock`). */
  readonly clock?: Clock;
  /** Where cooldown jitter samples come from. Default: `Math.random`. */
  readonly random?: () => number;
  /** Wired into every health actor (the Stately inspector, or any observer). */
  readonly inspect?: (event: InspectionEvent) => void;
  /**
   * Compact the journal in the background after this many facts that no snapshot covers yet
   * (including a long tail found at startup), so startup time stays bounded. Default 1000; 0 never.
   */
  readonly compactEvery?: number;
  /**
   * What happens to facts the journal cannot take (a full disk, a read-only folder): they wait,
   * oldest dropped beyond `maxFacts` (default 10000), and are retried every `retryMs` (default
   * 1000) on the registry's clock. Health never waits for the journal.
   */
  readonly journalBacklog?: JournalBacklogOptions;
  /**
   * Free, as the journal is opened, the probe slots held by claims whose process is gone (a
   * gateway killed mid-probe), journaling `probe.abandoned` for each. Default true; a fold that
   * must not write (compaction) turns it off.
   */
  readonly releaseAbandonedProbes?: boolean;
}

/**
 * Opens a health registry and rehydrates it from its journal: the latest snapshot's backends are
 * taken over, the facts after it are replayed on a simulated clock that reads each fact's `at`
 * (so every cooldown that ended during the replay ends at its own deadline), and then the clock
 * goes live: what fell due while the process was down fires at once (a cooldown that ended while
 * the agent was stopped comes back as recovering), everything else fires at its deadline. A probe
 * left in flight by a process that is gone (killed mid-probe, same host) is released at once
 * with a `probe.abandoned` fact (see `HealthRegistry.releaseAbandonedProbes`).
 *
 * @example
 * ```ts
 * import { fileJournal, defaultJournalPath, openHealthRegistry } from 'llm-health-router';
 * const registry = await openHealthRegistry({ journal: fileJournal(defaultJournalPath()) });
 * for (const warning of registry.warnings) console.warn(warning);
 * ```
 */
export async function openHealthRegistry(options: HealthRegistryOptions = {}): Promise<HealthRegistry> {
  const journal = options.journal ?? memoryJournal();
  const liveClock = options.clock ?? systemClock;
  const policyFor = policyFunction(options.policy);
  let contents = await journal.load();
  const snapshotPolicy = contents.snapshot?.policy;
  if (contents.snapshot && snapshotPolicy !== undefined && snapshotPolicy !== policyFingerprint(Object.keys(contents.snapshot.backends), policyFor)) {
    const reloaded = await journal.load({ ignoreSnapshot: true });
    contents = { ...reloaded, warnings: [...reloaded.warnings, `the snapshot of ${journal.location} was folded under another health policy; replayed the whole journal instead`] };
  }
  const start = contents.snapshot?.at ?? contents.facts[0]?.at ?? liveClock.now();
  const clock = new ReplayClock(start, liveClock);
  const registry = new HealthRegistry({
    journal,
    clock,
    policyFor,
    random: options.random ?? Math.random,
    writer: newWriterId(),
    ...(options.inspect ? { inspect: options.inspect } : {}),
    compact: () => compactJournal(journal, { policy: policyFor }),
    compactEvery: options.compactEvery ?? 1000,
    ...(options.journalBacklog ? { journalBacklog: options.journalBacklog } : {}),
  });
  if (contents.snapshot) registry.adopt(contents.snapshot);
  for (const fact of contents.facts) {
    clock.advanceTo(fact.at);
    registry.apply(fact);
  }
  clock.goLive();
  registry.startWakeups();
  // Probes claimed by a process that is gone (killed mid-probe) would hold their slot until the probe timeout.
  if (options.releaseAbandonedProbes !== false) registry.releaseAbandonedProbes();
  registry.warnings.push(...contents.warnings);
  registry.noteAppended(contents.facts.length);
  return registry;
}
