import type { HealthHistory } from '../history/healthHistory.js';
import { escapeHtml } from './escapeHtml.js';
import type { StateSegment } from './segments.js';
import { dateTimeText, durationText } from './timeText.js';

/**
 * The numbers a reader wants before the picture.
 *
 * @example
 * ```ts
 * const s: ReportSummary = reportSummary(history, stateSegments(history));
 * `${s.failures} failures, ${s.cooldowns} cooldowns`;
 * ```
 */
export interface ReportSummary {
  readonly start: number;
  readonly end: number;
  readonly backends: number;
  readonly facts: number;
  readonly failures: number;
  /** Times a backend entered a cooldown (a re-failure that extends one is not a new one). */
  readonly cooldowns: number;
  readonly downs: number;
  readonly probes: number;
  /** The backend that spent the most time unroutable (cooldown, down or probing), if any did. */
  readonly mostClosed: { readonly key: string; readonly ms: number } | null;
}

/**
 * Counts the history: failures and probes from the facts, cooldowns and downs from the state
 * changes, time out of routing from the segments.
 *
 * @example
 * ```ts
 * reportSummary(history, stateSegments(history)).cooldowns; // 3
 * ```
 */
export function reportSummary(history: HealthHistory, segments: ReadonlyMap<string, readonly StateSegment[]>): ReportSummary {
  const entered = (status: string) => history.changes.filter((c) => c.to === status && c.from !== status).length;
  let mostClosed: ReportSummary['mostClosed'] = null;
  for (const [key, lane] of segments) {
    const ms = lane.filter((s) => s.status === 'cooldown' || s.status === 'down' || s.probeInFlight).reduce((sum, s) => sum + s.end - s.start, 0);
    if (ms > 0 && (mostClosed === null || ms > mostClosed.ms)) mostClosed = { key, ms };
  }
  return {
    start: history.start,
    end: history.end,
    backends: segments.size,
    facts: history.facts.length,
    failures: history.facts.filter((f) => f.type === 'call.failed').length,
    cooldowns: entered('cooldown'),
    downs: entered('down'),
    probes: history.facts.filter((f) => f.type === 'probe.started').length,
    mostClosed,
  };
}

/**
 * The summary as a definition list (`class="summary"`, each value with a `data-summary` name).
 *
 * @example
 * ```ts
 * summaryHtml(reportSummary(history, segments), 12);
 * ```
 */
export function summaryHtml(s: ReportSummary, turns: number): string {
  const rows: [string, string, string][] = [
    ['range', 'time range', `${dateTimeText(s.start)} – ${dateTimeText(s.end)} (${durationText(s.end - s.start)})`],
    ['backends', 'backends', String(s.backends)],
    ['facts', 'facts', String(s.facts)],
    ['failures', 'failures', String(s.failures)],
    ['cooldowns', 'cooldowns entered', String(s.cooldowns)],
    ['downs', 'times down', String(s.downs)],
    ['probes', 'probes started', String(s.probes)],
    ['turns', 'turns', String(turns)],
  ];
  if (s.mostClosed) rows.push(['most-closed', 'longest out of routing', `${s.mostClosed.key} (${durationText(s.mostClosed.ms)})`]);
  return `<dl class="summary">${rows.map(([name, label, value]) => `<div><dt>${label}</dt><dd data-summary="${name}">${escapeHtml(value)}</dd></div>`).join('')}</dl>`;
}
