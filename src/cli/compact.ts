import { existsSync, readFileSync } from 'node:fs';
import { compactJournal, defaultJournalPath, fileJournal, resolveHealthPolicy } from '../index.js';
import { parseArgs, UsageError } from './args.js';
import { printWarning } from './journalInput.js';
import { terminalText } from './terminalText.js';

export const COMPACT_HELP = `llm-health-router compact — fold a journal into a snapshot so the next start replays only what follows

Usage:
  llm-health-router compact [journal] [--policy policy.json]
    journal   default: $LLM_HEALTH_ROUTER_JOURNAL, else ~/.local/state/llm-health-router/journal.jsonl
    --policy  the health policy your agent runs with (JSON, the "health" section of its config);
              default: the built-in policy. A registry opened with another policy ignores the
              snapshot and replays the whole journal, so a wrong policy costs time, never health.

The journal file is never rewritten or shortened; the snapshot is written beside it as <journal>.snapshot.json.
Registries also compact by themselves every 1000 appended facts. Load warnings (a torn last line,
an unusable snapshot) are printed on stderr. status, replay and report start from the snapshot.
`;

/** `compact [journal]`: the journal's fold stored as its snapshot. */
export async function compact(argv: readonly string[]): Promise<number> {
  const positional: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--policy') flags.push(a, argv[++i] ?? '');
    else if (a.startsWith('--')) flags.push(a);
    else positional.push(a);
  }
  const args = parseArgs(flags.filter((f) => f !== ''), ['policy'], ['help']);
  if (args.switches.has('help')) {
    process.stdout.write(COMPACT_HELP);
    return 0;
  }
  if (positional.length > 1) throw new UsageError(`compact takes one journal path, got ${positional.length}: ${positional.join(' ')}`);
  const path = positional[0] ?? defaultJournalPath();
  if (!existsSync(path)) throw new Error(`no journal at ${path}`);
  const policyFile = args.values.get('policy');
  const policy = policyFile === undefined ? undefined : resolveHealthPolicy(readJson(policyFile), { path: `${policyFile}` });
  // Load warnings (a torn last line, an unusable snapshot) are printed as the fold reads the journal.
  const journal = fileJournal(path, { onWarning: printWarning });
  try {
    const snapshot = await compactJournal(journal, policy ? { policy } : {});
    process.stdout.write(`${terminalText(path)}: snapshot of ${Object.keys(snapshot.backends).length} backends covering ${snapshot.position} bytes; the next start replays only what follows\n`);
    return 0;
  } finally {
    await journal.close();
  }
}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new Error(`no policy file at ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
