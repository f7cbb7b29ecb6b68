import type { FactMark } from './marks.js';
import { escapeHtml } from './escapeHtml.js';
import type { StateSegment } from './segments.js';
import { clockText, durationText } from './timeText.js';
import { cssPercent as pct, type TimeScale } from './timeScale.js';

/**
 * One swimlane per backend (`data-backend`), its state segments (`data-state`, `data-probe`,
 * `data-start`, `data-end`) and its fact marks (`data-mark`). Positions are percentages of the
 * track, so the lanes fit any page width; every segment and mark says what it is on hover.
 *
 * @example
 * ```ts
 * const html = lanesHtml({ segments: stateSegments(history), marks: factMarks(history.facts), scale: timeScale(history.start, history.end) });
 * ```
 */
export function lanesHtml(input: { segments: ReadonlyMap<string, readonly StateSegment[]>; marks: readonly FactMark[]; scale: TimeScale }): string {
  const marksByKey = new Map<string, FactMark[]>();
  for (const mark of input.marks) {
    const marks = marksByKey.get(mark.key);
    if (marks) marks.push(mark);
    else marksByKey.set(mark.key, [mark]);
  }
  const lanes: string[] = [];
  for (const [key, segments] of input.segments) {
    const marks = marksByKey.get(key) ?? [];
    lanes.push(
      `<div class="lane" data-backend="${escapeHtml(key)}"><div class="key" title="${escapeHtml(laneTitle(key, segments, marks))}">${escapeHtml(key)}</div><div class="track">${segments
        .map((s) => segmentHtml(s, input.scale))
        .join('')}${marks.map((m) => markHtml(m, input.scale)).join('')}</div></div>`,
    );
  }
  return lanes.join('\n');
}

function segmentHtml(s: StateSegment, scale: TimeScale): string {
  const left = scale.percent(s.start);
  const width = scale.percent(s.end) - left;
  const state = s.probeInFlight ? `${s.status}, probe in flight` : s.status;
  const title = `${state} ${clockText(s.start)} – ${clockText(s.end)} (${durationText(s.end - s.start)}); entered on ${s.cause}${s.level > 0 ? `, escalation level ${s.level}` : ''}`;
  return `<span class="s" data-state="${s.status}"${s.probeInFlight ? ' data-probe="in-flight"' : ''} data-start="${s.start}" data-end="${s.end}" style="left:${pct(left)};width:${pct(width)}" title="${escapeHtml(title)}"></span>`;
}

function markHtml(m: FactMark, scale: TimeScale): string {
  return `<i class="m" data-mark="${m.kind}" data-at="${m.at}" style="left:${pct(scale.percent(m.at))}" title="${escapeHtml(m.title)}"></i>`;
}

function laneTitle(key: string, segments: readonly StateSegment[], marks: readonly FactMark[]): string {
  const count = (kind: FactMark['kind']) => marks.filter((m) => m.kind === kind).length;
  const cooldowns = segments.filter((s, i) => s.status === 'cooldown' && segments[i - 1]?.status !== 'cooldown').length;
  const last = segments.at(-1);
  const now = last ? `${last.status}${last.probeInFlight ? ' (probe in flight)' : ''} at the end` : 'no state drawn';
  return `${key}\n${count('failure')} failures, ${cooldowns} cooldowns, ${count('probe')} probe marks; ${now}`;
}

