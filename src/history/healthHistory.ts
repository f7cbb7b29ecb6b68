import type { HealthChangedEvent } from '../../machines/backendHealth.machine.js';
import type { HealthFact } from '../journal/facts.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import type { BackendHealthView } from '../registry/backendView.js';
import { HistoryFold } from './historyFold.js';

/**
 * What a journal says happened: its facts in time order, every state change they caused (timer
 * changes such as a cooldown ending included, at the time they happened), and each backend's
 * health at the end.
 *
 * @example
 * ```ts
 * const history: HealthHistory = await healthHistory((await journal.load({ ignoreSnapshot: true })).facts);
 * for (const c of history.changes) console.log(new Date(c.at).toISOString(), c.key, `${c.from} -> ${c.to}`);
 * ```
 */
export interface HealthHistory {
  readonly facts: readonly HealthFact[];
  readonly changes: readonly HealthChangedEvent[];
  /**
   * Facts and changes in the order they happened: a timer's change (a cooldown ending) before the
   * fact that arrived after it at the same instant, a fact before the changes it caused.
   */
  readonly timeline: readonly ({ readonly fact: HealthFact } | { readonly change: HealthChangedEvent })[];
  /**
   * Where the history begins: the first fact's time (or `until` when there are none); for a
   * history that begins later than the journal (a range, or a snapshot), the range's start.
   */
  readonly start: number;
  /** The time the history runs to: `until`, or the last fact's time. */
  readonly end: number;
  /** Every backend's health at `end`, sorted by key. */
  readonly backends: readonly BackendHealthView[];
  /**
   * Every backend's health when the history begins, for a history that begins after earlier facts
   * (the CLI's ranges and snapshots): the state each lane starts in. Absent when the history
   * begins at the journal's first fact, where every backend starts unseen (healthy).
   */
  readonly initial?: readonly BackendHealthView[];
}

/**
 * Folds journaled facts into their history on a simulated clock: the same statechart the live
 * registry runs, fed the same facts at their own times, so the history shows what the live
 * process saw. Facts after `until` are left out (the state "as of" a moment).
 *
 * @param facts journaled facts (any order; sorted by time here, ties kept in journal order)
 * @param options.policy the policy the facts were recorded under (default: the default policy)
 * @param options.until run the clock to here (default: the last fact's time)
 *
 * @example
 * ```ts
 * import { fileJournal, healthHistory } from 'llm-health-router';
 * const { facts } = await fileJournal('health.jsonl').load({ ignoreSnapshot: true });
 * const { backends } = await healthHistory(facts, { until: Date.parse('2026-11-27T10:00:00Z') });
 * ```
 */
export async function healthHistory(facts: readonly HealthFact[], options: { policy?: HealthPolicy | ((key: string) => HealthPolicy); until?: number } = {}): Promise<HealthHistory> {
  const ordered = facts.map((fact, i) => ({ fact, i })).sort((a, b) => a.fact.at - b.fact.at || a.i - b.i).map(({ fact }) => fact);
  const kept = options.until === undefined ? ordered : ordered.filter((f) => f.at <= options.until!);
  const start = kept[0]?.at ?? options.until ?? 0;
  const end = options.until ?? kept.at(-1)?.at ?? start;
  const fold = new HistoryFold(options.policy ? { policy: options.policy } : {});
  try {
    await fold.begin(start);
    fold.record(start);
    for (const fact of kept) fold.apply(fact);
    fold.runTo(end);
    return fold.history(end);
  } finally {
    await fold.close();
  }
}
