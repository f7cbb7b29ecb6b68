import type { AnyStateMachine } from 'xstate';
import type { HealthHistory } from '../history/healthHistory.js';
import { axisHtml, gridLinesHtml } from './axis.js';
import { escapeHtml } from './escapeHtml.js';
import { lanesHtml } from './lanes.js';
import { factMarks } from './marks.js';
import { LEGEND } from './palette.js';
import { stateSegments } from './segments.js';
import { renderStatechartSvg } from './statechartSvg.js';
import { filterScript, reportCss } from './styles.js';
import { reportSummary, summaryHtml } from './summary.js';
import { timeScale } from './timeScale.js';
import { turnsFromFacts, type ReportTurn } from './turns.js';

/**
 * What a report is drawn from.
 *
 * @example
 * ```ts
 * const input: HealthReportInput = { history, title: 'Health, Nov 27', turns: [{ id: 't1', at: T, label: 'fix the tests' }] };
 * ```
 */
export interface HealthReportInput {
  readonly history: HealthHistory;
  /** The agent's turns; default: the first fact of each `turnId` in the history. */
  readonly turns?: readonly ReportTurn[];
  readonly title?: string;
  /** One line under the title (where the journal came from, the policy, the end of the timeline). */
  readonly note?: string;
  /** The statechart drawn at the bottom; default: the backend health machine. */
  readonly machine?: AnyStateMachine;
}

/** Beyond this many backends the lanes get compact (half height, smaller marks). */
const COMPACT_FROM = 24;

/**
 * One self-contained HTML page (inline CSS, JS and SVG; a Content-Security-Policy that forbids
 * every request) showing what a health journal says happened: a swimlane per backend coloured by
 * state over time, failures and probes as marks, turns on the time axis, a summary, and the
 * statechart itself. See `docs/report.md` for the DOM contract.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { fileJournal, renderHealthReport, reportHistory } from 'llm-health-router';
 * const { facts } = await fileJournal('health.jsonl').load({ ignoreSnapshot: true });
 * // Owner-only, like the journal: the page quotes backend error text.
 * await writeFile('report.html', renderHealthReport({ history: await reportHistory(facts), title: 'Last night' }), { mode: 0o600 });
 * ```
 */
export function renderHealthReport(input: HealthReportInput): string {
  const { history } = input;
  const title = input.title ?? 'Backend health report';
  // Turns the agent gave may begin before the first fact (calls that succeeded are not journaled): the axis starts at the first of them.
  const turns = (input.turns ?? turnsFromFacts(history.facts)).filter((t) => t.at <= history.end).sort((a, b) => a.at - b.at);
  const scale = timeScale(Math.min(history.start, turns[0]?.at ?? history.start), history.end);
  const segments = stateSegments(history);
  const summary = reportSummary(history, segments);
  const compact = segments.size >= COMPACT_FROM;
  const body = [
    `<main id="health-report"${compact ? ' class="compact"' : ''} data-start="${history.start}" data-end="${history.end}">`,
    '<header class="top">',
    `<h1>${escapeHtml(title)}</h1>`,
    input.note ? `<p class="note">${escapeHtml(input.note)}</p>` : '',
    history.facts.length === 0 ? '<p class="empty">The journal holds no facts: nothing happened that changed a backend\'s health.</p>' : '',
    summaryHtml(summary, turns.length),
    legendHtml(),
    `<div class="controls"><label>Filter backends <input id="lane-filter" type="search" placeholder="part of a key, e.g. 8082" autocomplete="off"></label><output id="lane-count">${segments.size} backends</output></div>`,
    '</header>',
    '<section class="timeline" aria-label="health over time, one lane per backend">',
    axisHtml(scale, turns),
    `<div class="lanes">${gridLinesHtml(scale, turns)}`,
    lanesHtml({ segments, marks: factMarks(history.facts), scale }),
    '</div></section>',
    '<section class="chart"><h2>The health statechart</h2>',
    '<p>Generated from the machine definition each lane was replayed through. Hover an arrow for its guards and actions; dashed arrows only re-arm timers after a restart.</p>',
    renderStatechartSvg(input.machine),
    '</section></main>',
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${reportCss()}</style></head><body>`,
    ...body.filter(Boolean),
    `<script>${filterScript()}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function legendHtml(): string {
  const states = LEGEND.map(
    (e) => `<li title="${escapeHtml(e.meaning)}"><span class="sw sw-${e.status}${e.probe ? ' sw-probe' : ''}"></span>${escapeHtml(e.label)}</li>`,
  );
  const marks = [
    ['failure', 'failure (hover: kind, reason, message)'],
    ['probe', 'probe'],
    ['success', 'journaled success'],
    ['reset', 'reset'],
  ].map(([kind, label]) => `<li><span class="sw"><i class="m" data-legend-mark="${kind}"></i></span>${label}</li>`);
  return `<ul class="legend" aria-label="legend">${[...states, ...marks, '<li><span class="sw"><i class="tl"></i></span>turn begins</li>'].join('')}</ul>`;
}
