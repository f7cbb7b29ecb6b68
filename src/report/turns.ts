import type { HealthFact } from '../journal/facts.js';

/**
 * One turn of the agent on the time axis.
 *
 * @example
 * ```ts
 * const turn: ReportTurn = { id: 't-7', at: Date.parse('2026-11-27T10:03:00Z'), label: 'refactor the parser' };
 * ```
 */
export interface ReportTurn {
  readonly id: string;
  /** When the turn began (epoch ms). */
  readonly at: number;
  /** What the axis shows (default: the id). */
  readonly label?: string;
}

/**
 * Turns as the journal knows them: the first fact of each `turnId`, in time order. Turns with no
 * fact (every call succeeded on a healthy backend, which is never journaled) are invisible here;
 * pass the agent's own turns to the report to see those.
 *
 * @example
 * ```ts
 * turnsFromFacts(history.facts); // [{ id: 't1', at: 1700000000000 }, …]
 * ```
 */
export function turnsFromFacts(facts: readonly HealthFact[]): ReportTurn[] {
  const first = new Map<string, number>();
  for (const fact of facts) {
    if (fact.turnId === undefined) continue;
    const seen = first.get(fact.turnId);
    if (seen === undefined || fact.at < seen) first.set(fact.turnId, fact.at);
  }
  return [...first].map(([id, at]) => ({ id, at })).sort((a, b) => a.at - b.at);
}
