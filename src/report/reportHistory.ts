import type { HealthHistory } from '../history/healthHistory.js';
import { HistoryFold } from '../history/historyFold.js';
import type { HealthFact } from '../journal/facts.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import type { BackendHealthView } from '../registry/backendView.js';

/**
 * The history a report draws. With `until`, exactly `healthHistory` up to then. Without it, the
 * timeline runs to the latest of
 *
 * - every deadline still pending at the last fact (a cooldown's end, a suspect streak's end, a
 *   probe's timeout, `down`'s next probe), so a cooldown the journal opened is drawn to its end
 *   instead of being cut off at the last fact;
 * - a short tail after the last fact (5 % of the journal's span, at least a second), so the state
 *   each backend was left in has a visible segment.
 *
 * The facts are folded once: the end is decided at the last fact, then the clock runs on to it.
 *
 * @example
 * ```ts
 * import { fileJournal, reportHistory, renderHealthReport } from 'llm-health-router';
 * const { facts } = await fileJournal('health.jsonl').load({ ignoreSnapshot: true });
 * const html = renderHealthReport({ history: await reportHistory(facts) });
 * ```
 */
export async function reportHistory(
  facts: readonly HealthFact[],
  options: { policy?: HealthPolicy | ((key: string) => HealthPolicy); until?: number } = {},
): Promise<HealthHistory> {
  const ordered = facts.map((fact, i) => ({ fact, i })).sort((a, b) => a.fact.at - b.fact.at || a.i - b.i).map(({ fact }) => fact);
  const kept = options.until === undefined ? ordered : ordered.filter((f) => f.at <= options.until!);
  const start = kept[0]?.at ?? options.until ?? 0;
  const fold = new HistoryFold(options.policy ? { policy: options.policy } : {});
  try {
    await fold.begin(start);
    fold.record(start);
    for (const fact of kept) fold.apply(fact);
    const last = kept.at(-1)?.at ?? start;
    const end = options.until ?? (kept.length === 0 ? start : reportEnd(start, last, fold.backends(last)));
    fold.runTo(end);
    return fold.history(end);
  } finally {
    await fold.close();
  }
}

/**
 * Where a report's timeline ends when nobody said: past the last fact by 5 % of the span (at least
 * a second), and on to the end of every visible state still running then.
 *
 * @internal
 * @example
 * ```ts
 * const end = reportEnd(history.start, lastFactAt, fold.backends(lastFactAt));
 * ```
 */
export function reportEnd(start: number, lastFactAt: number, atLastFact: readonly BackendHealthView[]): number {
  const tail = Math.max(1000, Math.round((lastFactAt - start) * 0.05));
  return Math.max(lastFactAt + tail, ...atLastFact.map(pendingDeadline));
}

/** A deadline that changes what the lane shows; a healthy backend's decay step changes nothing visible. */
function pendingDeadline(view: BackendHealthView): number {
  const visible = view.status === 'cooldown' || view.status === 'down' || view.status === 'suspect' || view.probeInFlight;
  return visible && view.deadline !== null ? view.deadline : -Infinity;
}
