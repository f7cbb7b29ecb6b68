import type { HealthHistory } from '../index.js';
import { parseArgs, UsageError } from './args.js';
import { healthTable } from './healthTable.js';
import { openJournal, parseTimeFlag, policyFromConfig, printWarning } from './journalInput.js';
import { maxFacts, RANGE_HELP, RANGE_SWITCHES, RANGE_VALUE_FLAGS, rangeHistory, rangeRequest, type RangeHistory } from './journalRange.js';
import { describeChange, describeFact } from './plainWords.js';
import { jsonLine, terminalLines, terminalText } from './terminalText.js';

export const REPLAY_HELP = `llm-health-router replay — what a journal says happened, in order, in plain words

Usage:
  llm-health-router replay <journal> [--since TIME | --last N | --all] [--at TIME] [--max-facts N]
                           [--config router.yaml] [--json]

  --at        stop at that moment (ISO time like 2026-11-27T19:40:05Z, or epoch ms) and show every
              backend's health then
${RANGE_HELP}
  --config    the agent's config, for its health policy (default: the built-in policy)
  --json      one JSON object { facts, changes, backends, initial?, source } instead of text

Each fact (a call failed or succeeded, a probe claimed, a reset) is printed with the state changes
it caused; changes made by time alone (a cooldown ending) are printed when they happened. A range
that begins after earlier facts first shows the backends that were not healthy then. Text from
the journal is shown with control characters escaped and credentials masked.
`;

/** `replay <journal>`: rebuilds health from the journal (or a range of it) and tells it. */
export async function replayCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['at', 'config', ...RANGE_VALUE_FLAGS], ['json', 'help', ...RANGE_SWITCHES], { positional: 1 });
  if (args.switches.has('help')) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  const path = args.positional[0];
  if (path === undefined) throw new UsageError('replay needs a journal file: llm-health-router replay <journal>');
  const at = parseTimeFlag(args.values.get('at'));
  const request = rangeRequest(args, at, 'at');
  const max = maxFacts(args);
  const policy = await policyFromConfig(args.values.get('config'));
  const reader = await openJournal(path);
  let range: RangeHistory;
  try {
    range = await rangeHistory(reader, request, { ...(policy ? { policy } : {}), max });
  } finally {
    await reader.close();
  }
  const { history, successes, source } = range;
  if (source.fromSnapshotByDefault) printWarning(`${reader.location} holds more than --max-facts ${max.toLocaleString('en-US')} facts: replaying from its snapshot of ${new Date(source.snapshot!.at).toISOString()} (--since, --last or --all for more)`);
  if (args.switches.has('json')) {
    const from = { journal: reader.location, snapshot: source.snapshot ? { at: source.snapshot.at, position: source.snapshot.position } : null, leadIn: source.leadIn, factsRead: source.facts };
    process.stdout.write(`${jsonLine({ facts: history.facts, changes: history.changes, backends: history.backends, ...(history.initial ? { initial: history.initial } : {}), source: from })}\n`);
    return 0;
  }
  const where = terminalText(path);
  const head: string[] = [];
  if (history.facts.length === 0) head.push(`${where}: no facts${at !== undefined ? ' before that moment' : ''}${history.initial ? ' in this range' : ''}`);
  else head.push(`${where}: ${history.facts.length} facts from ${new Date(history.start).toISOString()} to ${new Date(history.end).toISOString()} (times are UTC)`);
  if (history.initial) head.push(...startingState(history, range), '');
  else if (history.facts.length > 0) head.push('');
  const out = new LineWriter();
  out.write(terminalLines(head.join('\n')));
  // Each narrated line is made safe on its own: a newline inside a message is shown as \n, never starts a line.
  for (const entry of history.timeline) out.write(terminalText('fact' in entry ? describeFact(entry.fact) : describeChange(entry.change)));
  if (at !== undefined) out.write(terminalLines(['', `Health at ${new Date(at).toISOString()}:`, healthTable(history.backends, at, successes)].join('\n')));
  out.end();
  return 0;
}

/** Lines to stdout in blocks, so a long replay is never one string of everything. */
class LineWriter {
  private block: string[] = [];
  write(line: string): void {
    this.block.push(line);
    if (this.block.length >= 2_000) this.flush();
  }
  end(): void {
    this.flush();
  }
  private flush(): void {
    if (this.block.length > 0) process.stdout.write(`${this.block.join('\n')}\n`);
    this.block = [];
  }
}

/** Where the range begins and what was not healthy then: the state its first facts act on. */
function startingState(history: HealthHistory, { source, successesAtStart }: RangeHistory): string[] {
  const at = new Date(history.start).toISOString();
  const from = source.snapshot
    ? `the snapshot of ${new Date(source.snapshot.at).toISOString()}${source.leadIn > 0 ? ` and the ${source.leadIn} facts after it` : ''}`
    : `the ${source.leadIn} facts before it`;
  const initial = history.initial ?? [];
  const notHealthy = initial.filter((v) => v.status !== 'healthy' || v.probeInFlight);
  const head = `State at ${at}, from ${from}: ${initial.length} backends, ${notHealthy.length === 0 ? 'all healthy' : `${notHealthy.length} not healthy:`}`;
  if (notHealthy.length === 0) return [head];
  const unknown = source.snapshot ? 'none after the snapshot' : '—';
  return [head, healthTable(notHealthy, history.start, successesAtStart, unknown)];
}
