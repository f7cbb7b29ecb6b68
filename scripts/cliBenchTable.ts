import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliOutcome, type CliBenchResults, type CliRun } from '../bench/cli.bench.js';

/** The CLI-on-a-large-journal tables (issue 10), from the committed bench/results.json (`npm run bench` rewrites both). */
export function cliBenchTables(): string {
  const results = JSON.parse(readFileSync(fileURLToPath(new URL('../bench/results.json', import.meta.url)), 'utf8')) as { cli?: CliBenchResults };
  const c = results.cli;
  if (!c) return '_Not measured yet: run `npm run bench`._';
  const m = c.machine;
  const j = c.journal;
  const cell = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
  const rows = (runs: readonly CliRun[]) => runs.map((r) => `| \`${r.command}\` | ${r.wallS} s | ${r.cpuS} s | ${r.peakRssMiB === null ? '—' : `${r.peakRssMiB} MiB`} | ${cell(cliOutcome(r))} |`);
  const head = ['| command | wall | CPU | peak RSS | what it did |', '|---|---|---|---|---|'];
  return [
    `Measured ${m.date} on ${m.cpu} (${m.cores} cores, load average ${m.loadAverage} at the end: the machine was shared), Node ${m.node}. ` +
      `Journal: ${j.facts.toLocaleString('en')} facts over ${j.backends} backends, ${(j.bytes / 1024 / 1024).toFixed(0)} MiB of JSONL; its snapshot (${(j.snapshotBytes / 1024).toFixed(0)} KiB) is followed by ${j.tailFacts.toLocaleString('en')} facts. ` +
      `\`--max-facts\` at its default, ${c.bound.toLocaleString('en')}.`,
    '',
    '**With the snapshot** (as a registry leaves the journal):',
    '',
    ...head,
    ...rows(c.withSnapshot),
    '',
    '**Without it** (the snapshot file moved away):',
    '',
    ...head,
    ...rows(c.withoutSnapshot),
  ].join('\n');
}
