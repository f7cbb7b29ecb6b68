import { terminalText } from './terminalText.js';

/**
 * Left-aligned columns with two spaces between them. Every cell is made safe for a terminal first
 * (`terminalText`: control characters escaped, credentials masked), so the widths are those of
 * what is printed.
 */
export function table(rows: readonly (readonly string[])[]): string {
  const safe = rows.map((row) => row.map((cell) => terminalText(cell)));
  const widths: number[] = [];
  for (const row of safe) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return safe.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
