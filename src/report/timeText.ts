/**
 * A UTC clock time, `HH:MM:SS`, with milliseconds only when there are some: the report is read by
 * people comparing it with logs, and a journal's times are epoch ms with no zone of their own.
 *
 * @example
 * ```ts
 * clockText(Date.UTC(2026, 10, 27, 10, 0, 30)); // '10:00:30'
 * clockText(Date.UTC(2026, 10, 27, 10, 0, 30, 250)); // '10:00:30.250'
 * ```
 */
export function clockText(ms: number, precision: 'ms' | 's' | 'min' = 'ms'): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (precision === 'min') return iso.slice(11, 16);
  const seconds = iso.slice(11, 19);
  return precision === 'ms' && ms % 1000 !== 0 ? `${seconds}${iso.slice(19, 23)}` : seconds;
}

/**
 * The UTC date of a time, `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * dateText(Date.UTC(2026, 10, 27, 10)); // '2026-11-27'
 * ```
 */
export function dateText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A date and clock time in UTC, for the summary and tooltips where the day matters.
 *
 * @example
 * ```ts
 * dateTimeText(Date.UTC(2026, 10, 27, 10, 0, 30)); // '2026-11-27 10:00:30 UTC'
 * ```
 */
export function dateTimeText(ms: number): string {
  return `${dateText(ms)} ${clockText(ms)} UTC`;
}

/**
 * A duration the way a person says it: `250 ms`, `30 s`, `2 min 30 s`, `1 h 5 min`, `2 d 3 h`.
 *
 * @example
 * ```ts
 * durationText(150_000); // '2 min 30 s'
 * ```
 */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !p.startsWith('0 ')).join(' ');
}
