import { healthHistory, maskSecretsDeep, type HealthHistory } from '../index.js';
import { parseArgs, UsageError } from './args.js';
import { healthTable, lastSuccesses } from './healthTable.js';
import { parseTimeFlag, policyFromConfig, readJournalFacts } from './journalInput.js';
import { describeChange, describeFact } from './plainWords.js';

export const REPLAY_HELP = `llm-health-router replay — what a journal says happened, in order, in plain words

Usage:
  llm-health-router replay <journal> [--at TIME] [--config router.yaml] [--json]

  --at       stop at that moment (ISO time like 2026-11-27T19:40:05Z, or epoch ms) and show every
             backend's health then
  --config   the agent's config, for its health policy (default: the built-in policy)
  --json     one JSON object { facts, changes, backends } instead of text

Each fact (a call failed or succeeded, a probe claimed, a reset) is printed with the state changes
it caused; changes made by time alone (a cooldown ending) are printed when they happened.
`;

/** `replay <journal>`: rebuilds health from the journal and tells it. */
export async function replayCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['at', 'config'], ['json', 'help'], { positional: 1 });
  if (args.switches.has('help')) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  const path = args.positional[0];
  if (path === undefined) throw new UsageError('replay needs a journal file: llm-health-router replay <journal>');
  const at = parseTimeFlag(args.values.get('at'));
  const { facts } = await readJournalFacts(path);
  const policy = await policyFromConfig(args.values.get('config'));
  const history = await healthHistory(facts, { ...(at !== undefined ? { until: at } : {}), ...(policy ? { policy } : {}) });
  if (args.switches.has('json')) {
    process.stdout.write(`${JSON.stringify(maskSecretsDeep({ facts: history.facts, changes: history.changes, backends: history.backends }))}\n`);
    return 0;
  }
  const lines: string[] = [];
  if (history.facts.length === 0) lines.push(`${path}: no facts${at !== undefined ? ' before that moment' : ''}`);
  else lines.push(`${path}: ${history.facts.length} facts from ${new Date(history.start).toISOString()} to ${new Date(history.end).toISOString()} (times are UTC)`, '');
  for (const line of narrate(history.timeline)) lines.push(line);
  if (at !== undefined) lines.push('', `Health at ${new Date(at).toISOString()}:`, healthTable(history.backends, at, lastSuccesses(history.facts)));
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** The history's own order: what the statechart saw, as it saw it. */
function narrate(timeline: HealthHistory['timeline']): string[] {
  return timeline.map((entry) => ('fact' in entry ? describeFact(entry.fact) : describeChange(entry.change)));
}
