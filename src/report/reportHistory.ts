import { healthHistory, type HealthHistory } from '../history/healthHistory.js';
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
  const policy = options.policy ? { policy: options.policy } : {};
  if (options.until !== undefined) return healthHistory(facts, { ...policy, until: options.until });
  const atLastFact = await healthHistory(facts, policy);
  if (atLastFact.facts.length === 0) return atLastFact;
  const tail = Math.max(1000, Math.round((atLastFact.end - atLastFact.start) * 0.05));
  const end = Math.max(atLastFact.end + tail, ...atLastFact.backends.map(pendingDeadline));
  return healthHistory(facts, { ...policy, until: end });
}

/** A deadline that changes what the lane shows; a healthy backend's decay step changes nothing visible. */
function pendingDeadline(view: BackendHealthView): number {
  const visible = view.status === 'cooldown' || view.status === 'down' || view.status === 'suspect' || view.probeInFlight;
  return visible && view.deadline !== null ? view.deadline : -Infinity;
}
