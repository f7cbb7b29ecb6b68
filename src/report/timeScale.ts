import { clockText, dateText } from './timeText.js';

/**
 * Where times fall across the lanes, as a percentage of the track width, so the page can be any
 * width (the lanes stretch, marks keep their size).
 *
 * @example
 * ```ts
 * const scale = timeScale(T, T + 60_000);
 * scale.percent(T + 30_000); // 50
 * ```
 */
export interface TimeScale {
  readonly start: number;
  readonly end: number;
  /** A time's position, clamped to [0, 100]. */
  percent(at: number): number;
}

/**
 * A scale from `start` to `end` with a little room on both sides, so a mark on the first or the
 * last fact is not cut in half by the lane's edge. A range shorter than a second is widened to
 * one, so a journal of one fact still has an axis.
 *
 * @example
 * ```ts
 * timeScale(0, 0).percent(500); // 50
 * ```
 */
export function timeScale(start: number, end: number): TimeScale {
  const span = Math.max(end - start, 1000);
  const pad = span * 0.015;
  const from = start - pad;
  const width = span + 2 * pad;
  return {
    start: from,
    end: from + width,
    percent: (at) => Math.min(100, Math.max(0, ((at - from) / width) * 100)),
  };
}

/**
 * One labelled time on the axis.
 *
 * @example
 * ```ts
 * const tick: AxisTick = { at: Date.UTC(2026, 10, 27, 10), label: '10:00', date: '2026-11-27' };
 * ```
 */
export interface AxisTick {
  readonly at: number;
  readonly label: string;
  /** Set where the UTC day changes (the axis names the first day itself). */
  readonly date?: string;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map((s) => s * 1000);

/**
 * Round clock times across the scale, at most about `maxTicks` of them: whole seconds, minutes or
 * hours a reader can match against logs, in UTC (a tick where a new day starts also shows the date).
 *
 * @example
 * ```ts
 * axisTicks(timeScale(Date.UTC(2026, 10, 27, 10), Date.UTC(2026, 10, 27, 10, 10))).map((t) => t.label);
 * // ['10:00', '10:02', … '10:10'] (2-minute steps: at most about 10 ticks)
 * ```
 */
export function axisTicks(scale: TimeScale, maxTicks = 10): AxisTick[] {
  const span = scale.end - scale.start;
  const step = STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 86_400_000) * 86_400_000;
  const precision = step < 60_000 ? 's' : 'min';
  const ticks: AxisTick[] = [];
  let previousDate = dateText(scale.start);
  for (let at = Math.ceil(scale.start / step) * step; at <= scale.end; at += step) {
    const date = dateText(at);
    ticks.push({ at, label: step >= 86_400_000 ? date : clockText(at, precision), ...(date !== previousDate && step < 86_400_000 ? { date } : {}) });
    previousDate = date;
  }
  return ticks;
}

/**
 * A percentage for a CSS `left`/`width`, to a thousandth (a tenth of a pixel on a 10 000 px
 * track): enough for placement, short enough that 200 lanes stay small.
 *
 * @example
 * ```ts
 * cssPercent(33.333333); // '33.333%'
 * ```
 */
export function cssPercent(n: number): string {
  return `${Math.round(n * 1000) / 1000}%`;
}
