import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderHealthReport } from '../report/renderHealthReport.js';
import { reportEnd } from '../report/reportHistory.js';
import { dateTimeText } from '../report/timeText.js';
import { writeOwnerOnly } from '../security/writeOwnerOnly.js';
import { parseArgs, UsageError } from './args.js';
import { openJournal, parseTimeFlag, policyFromConfig, printWarning } from './journalInput.js';
import { maxFacts, RANGE_HELP, RANGE_SWITCHES, RANGE_VALUE_FLAGS, rangeHistory, rangeRequest, type RangeHistory } from './journalRange.js';
import { terminalLines } from './terminalText.js';

/**
 * `llm-health-router report --help`.
 *
 * @example
 * ```ts
 * process.stdout.write(REPORT_HELP);
 * ```
 */
export const REPORT_HELP = `llm-health-router report — what a health journal says happened, as one HTML page

Usage:
  llm-health-router report <journal> [--out report.html] [--since TIME | --last N | --all] [--until TIME]
                           [--max-facts N] [--config router.yaml] [--title TEXT]

  journal    the health journal (JSONL) to draw
  --out      the page to write (default: report.html); its folder must exist
  --until    end the timeline at TIME (ISO time like 2026-11-27T19:40:05Z, or epoch ms); facts
             after it are left out. Default: the last fact, or later while a cooldown, a suspect
             streak, a probe or a down state it left open is still running, so each is drawn to
             its end
${RANGE_HELP}
  --config   the agent's router config, for its health policy (default: the built-in policy)
  --title    the page's title (default: "Backend health: <journal file>")

The page is self-contained (no network, no external files): one lane per backend coloured by
state over time, failures and probes as marks (hover for reasons), turns on the time axis, a
summary, and the health statechart. Times are UTC. See docs/report.md.
`;

/**
 * `report <journal>`: replays the journal and writes the HTML report, printing where. Resolves 0;
 * rejects with a `UsageError` for a bad command line (exit 2), or an `Error` naming the file for a
 * missing journal, a corrupt one (`JournalError`: file and line), a bad config or an output folder
 * that does not exist or cannot be written (exit 1).
 *
 * @example
 * ```ts
 * await reportCommand(['health.jsonl', '--out', 'report.html', '--until', '2026-11-27T11:00:00Z']); // 0
 * ```
 */
export async function reportCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['out', 'until', 'config', 'title', ...RANGE_VALUE_FLAGS], ['help', ...RANGE_SWITCHES], { positional: 1 });
  if (args.switches.has('help')) {
    process.stdout.write(REPORT_HELP);
    return 0;
  }
  const journalPath = args.positional[0];
  if (journalPath === undefined) throw new UsageError('report needs a journal file: llm-health-router report <journal> --out report.html');
  const out = resolve(args.values.get('out') ?? 'report.html');
  const until = parseTimeFlag(args.values.get('until'), 'until');
  const request = rangeRequest(args, until, 'until');
  const max = maxFacts(args);
  checkOutputFolder(out);
  const configPath = args.values.get('config');
  const policy = await policyFromConfig(configPath);
  const reader = await openJournal(journalPath);
  let range: RangeHistory;
  try {
    range = await rangeHistory(reader, request, { ...(policy ? { policy } : {}), max, end: reportEnd });
  } finally {
    await reader.close();
  }
  const { history, source } = range;
  if (source.fromSnapshotByDefault) printWarning(`${reader.location} holds more than --max-facts ${max.toLocaleString('en-US')} facts: the report starts from its snapshot of ${new Date(source.snapshot!.at).toISOString()} (--since, --last or --all for more)`);
  const ending = until !== undefined ? 'ends at --until' : 'runs a little past the last fact, and on to the end of any cooldown, streak, probe or down state left open';
  const note = `Journal ${resolve(journalPath)}; policy: ${configPath ? `health section of ${configPath}` : 'built-in default'}; ${beginning(range)}; the timeline ${ending}. Times are UTC.`;
  const html = renderHealthReport({ history, title: args.values.get('title') ?? `Backend health: ${journalPath}`, note });
  await writeOwnerOnly(out, html).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot write the report to ${out}: ${error.code === 'EISDIR' ? 'it is a folder' : error.message}`);
  });
  const span = history.facts.length ? `${dateTimeText(history.start)} – ${dateTimeText(history.end)}` : 'no facts';
  process.stdout.write(`${terminalLines(`${out}\n  ${history.backends.length} backends, ${history.facts.length} facts, ${span}`)}\n`);
  return 0;
}

/** Where the page's timeline begins, and what its lanes start from. */
function beginning({ history, source }: RangeHistory): string {
  if (!history.initial) return 'from the first fact';
  const at = new Date(history.start).toISOString();
  if (source.snapshot) return `from ${at}, each lane starting in its state then, from the snapshot of ${new Date(source.snapshot.at).toISOString()}${source.leadIn > 0 ? ` and the ${source.leadIn} facts after it` : ''}; earlier facts are not drawn`;
  return `from ${at}, each lane starting in its state then, folded from the ${source.leadIn} facts before it (not drawn)`;
}

function checkOutputFolder(out: string): void {
  const folder = dirname(out);
  if (!existsSync(folder)) throw new Error(`cannot write the report to ${out}: the folder ${folder} does not exist`);
  if (!statSync(folder).isDirectory()) throw new Error(`cannot write the report to ${out}: ${folder} is not a folder`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new Error(`cannot write the report to ${out}: it is a folder`);
}
