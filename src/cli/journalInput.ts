import { existsSync, statSync } from 'node:fs';
import { defaultJournalPath, fileJournal, readRouterConfig, type HealthFact, type HealthPolicy } from '../index.js';
import { UsageError } from './args.js';

/**
 * Every fact of the journal at `path` (the snapshot ignored, so the history is complete). A
 * missing file or a folder is named in the error; a corrupt record throws the journal's own
 * `JournalError` (file, line and byte).
 */
export async function readJournalFacts(path: string = defaultJournalPath()): Promise<{ path: string; facts: HealthFact[] }> {
  if (!existsSync(path)) throw new Error(`no journal at ${path}`);
  if (statSync(path).isDirectory()) throw new Error(`${path} is a folder, not a journal file`);
  const journal = fileJournal(path);
  try {
    const { facts } = await journal.load({ ignoreSnapshot: true });
    return { path, facts: [...facts] };
  } finally {
    await journal.close();
  }
}

/** The health policy of the agent's config (`--config`), or undefined for the defaults. */
export async function policyFromConfig(configPath: string | undefined): Promise<HealthPolicy | undefined> {
  if (configPath === undefined) return undefined;
  return (await readRouterConfig(configPath)).health;
}

/** `--at`: an ISO time (`2026-11-27T19:40:05Z`) or epoch milliseconds; the error names the value. */
export function parseTimeFlag(raw: string | undefined, flag = 'at'): number | undefined {
  if (raw === undefined) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) throw new UsageError(`--${flag} must be an ISO time like 2026-11-27T19:40:05Z or epoch milliseconds, got "${raw}"`);
  return ms;
}
