import { existsSync } from 'node:fs';
import { compactJournal, defaultJournalPath, fileJournal } from '../index.js';
import { parseArgs, UsageError } from './args.js';

export const COMPACT_HELP = `llm-health-router compact — fold a journal into a snapshot so the next start replays only what follows

Usage:
  llm-health-router compact [journal]   (default: $LLM_HEALTH_ROUTER_JOURNAL, else ~/.local/state/llm-health-router/journal.jsonl)

The journal file is never rewritten or shortened; the snapshot is written beside it as <journal>.snapshot.json.
Registries also compact by themselves every 1000 appended facts.
`;

/** `compact [journal]`: the journal's fold stored as its snapshot. */
export async function compact(argv: readonly string[]): Promise<number> {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const args = parseArgs(argv.filter((a) => a.startsWith('--')), [], ['help']);
  if (args.switches.has('help')) {
    process.stdout.write(COMPACT_HELP);
    return 0;
  }
  if (positional.length > 1) throw new UsageError(`compact takes one journal path, got ${positional.length}: ${positional.join(' ')}`);
  const path = positional[0] ?? defaultJournalPath();
  if (!existsSync(path)) throw new Error(`no journal at ${path}`);
  const journal = fileJournal(path);
  try {
    const snapshot = await compactJournal(journal);
    process.stdout.write(`${path}: snapshot of ${Object.keys(snapshot.backends).length} backends covering ${snapshot.position} bytes; the next start replays only what follows\n`);
    return 0;
  } finally {
    await journal.close();
  }
}
