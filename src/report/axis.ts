import { escapeHtml } from './escapeHtml.js';
import { axisTicks, cssPercent, type TimeScale } from './timeScale.js';
import { clockText, dateText } from './timeText.js';
import type { ReportTurn } from './turns.js';

/**
 * The time axis row (UTC clock labels, the date where a day starts) and the turns row
 * (`data-turn`), both sticky at the top while the lanes scroll under them.
 *
 * @example
 * ```ts
 * const head = axisHtml(timeScale(history.start, history.end), turnsFromFacts(history.facts));
 * ```
 */
export function axisHtml(scale: TimeScale, turns: readonly ReportTurn[]): string {
  const ticks = axisTicks(scale)
    .map((t) => {
      const at = scale.percent(t.at);
      return `<span class="tick${edgeClass(at)}" style="left:${cssPercent(at)}">${t.date ? `<b>${t.date}</b> ` : ''}${t.label}</span>`;
    })
    .join('');
  // Labels stop fitting beyond a few dozen turns; the ticks and their hover text stay.
  const dense = turns.length > 40;
  const positions = turns.map((t) => scale.percent(t.at));
  const turnTicks = turns
    .map((t, i) => {
      const at = positions[i]!;
      const label = t.label ?? t.id;
      const title = `turn ${t.id}${t.label ? ` (${t.label})` : ''} began ${clockText(t.at)}`;
      // A centred label may be as wide as the gap to its nearer neighbour (half of it on each side);
      // one aligned inwards at an edge gets half the gap on its one side. Neighbours never overlap.
      const before = at - (positions[i - 1] ?? -Infinity);
      const after = (positions[i + 1] ?? Infinity) - at;
      const edge = edgeClass(at);
      const room = edge === ' from-left' ? after / 2 : edge === ' from-right' ? before / 2 : Math.min(before, after);
      const width = Number.isFinite(room) ? `;max-width:min(96px,${cssPercent(room)})` : '';
      return `<span class="turn${edge}" data-turn="${escapeHtml(t.id)}" data-at="${t.at}" style="left:${cssPercent(at)}${width}" title="${escapeHtml(title)}">${dense ? '' : escapeHtml(label)}</span>`;
    })
    .join('');
  return [
    `<div class="axis"><div class="corner">backend / time (UTC, ${dateText(scale.start)})</div><div class="ticks">${ticks}</div></div>`,
    `<div class="axis turns"><div class="corner">turns (${turns.length})</div><div class="ticks">${turnTicks}</div></div>`,
  ].join('\n');
}

/** Near either end a centred label would hang over the lane labels or off the page: align it inwards. */
function edgeClass(percent: number): string {
  return percent < 3 ? ' from-left' : percent > 97 ? ' from-right' : '';
}

/**
 * Faint vertical lines through every lane at each axis tick and each turn, drawn once over the
 * whole lane area instead of once per lane (200 lanes would otherwise repeat them 200 times).
 *
 * @example
 * ```ts
 * const lines = gridLinesHtml(scale, turns);
 * ```
 */
export function gridLinesHtml(scale: TimeScale, turns: readonly ReportTurn[]): string {
  const ticks = axisTicks(scale).map((t) => `<i class="gl" style="left:${cssPercent(scale.percent(t.at))}"></i>`);
  const turnLines = turns.map((t) => `<i class="tl" style="left:${cssPercent(scale.percent(t.at))}"></i>`);
  return `<div class="grid" aria-hidden="true">${[...ticks, ...turnLines].join('')}</div>`;
}
