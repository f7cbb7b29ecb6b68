/** `m:ss` of a duration in ms, for timelines measured from a scenario's start; deadlines round up, so "until" is never early. */
export function clockTime(ms: number, round: 'nearest' | 'up' = 'nearest'): string {
  const total = round === 'up' ? Math.ceil(ms / 1000) : Math.round(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** Left-aligned columns with two spaces between them. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
