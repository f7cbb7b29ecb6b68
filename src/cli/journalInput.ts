import { existsSync, statSync } from 'node:fs';
import { defaultJournalPath, readRouterConfig, type BackendHealthView, type HealthPolicy, type JournalSnapshot } from '../index.js';
import { HistoryFold } from '../history/historyFold.js';
import { openJournalReader, type JournalReader } from '../journal/journalReader.js';
import { UsageError } from './args.js';
import { terminalText } from './terminalText.js';

const printed = new Set<string>();

/** A warning on stderr, made safe for a terminal (it may quote journal text); once per process, so `status --watch` does not repeat it every tick. */
export function printWarning(message: string): void {
  if (printed.has(message)) return;
  printed.add(message);
  process.stderr.write(`llm-health-router: warning: ${terminalText(message)}\n`);
}

/**
 * The journal at `path`, opened for streaming reads. A missing file or a folder is named in the
 * error. Every load warning (a torn last line, a skipped fragment, an unusable snapshot) is
 * printed on stderr as it is found; a corrupt record throws the journal's own `JournalError`
 * (file, line and byte) when the read reaches it.
 */
export async function openJournal(path: string = defaultJournalPath()): Promise<JournalReader> {
  if (!existsSync(path)) throw new Error(`no journal at ${path}`);
  if (statSync(path).isDirectory()) throw new Error(`${path} is a folder, not a journal file`);
  return openJournalReader(path, { onWarning: printWarning });
}

/** Where a fold started: the snapshot it took over (if any) and how many facts it read after that. */
export interface FoldSource {
  readonly snapshot: JournalSnapshot | undefined;
  readonly facts: number;
}

/**
 * A fold that starts from the journal's snapshot when it has one that fits `usable` and the
 * policy; otherwise an empty fold (and the policy warning printed), which the caller feeds from
 * the journal's first fact.
 */
export async function snapshotFold(reader: JournalReader, policy: HealthPolicy | undefined, usable: (snapshot: JournalSnapshot) => boolean): Promise<HistoryFold> {
  const snapshot = reader.snapshot;
  if (snapshot && usable(snapshot)) {
    const fold = new HistoryFold({ ...(policy ? { policy } : {}), snapshot, location: reader.location });
    await fold.begin(snapshot.at);
    for (const warning of fold.warnings) printWarning(warning);
    if (fold.fromSnapshot) return fold;
    await fold.close();
  }
  return new HistoryFold({ ...(policy ? { policy } : {}), location: reader.location });
}

/**
 * Every backend's health at `at` (`status`): the snapshot taken over when it is from before `at`,
 * then the facts after it streamed through the statechart up to `at` (the journal is in time
 * order: reading stops at the first fact after `at`). Nothing is held but the backends; a
 * snapshot makes the read as long as the tail.
 */
export async function healthAt(reader: JournalReader, policy: HealthPolicy | undefined, at: number): Promise<{ views: BackendHealthView[]; successes: ReadonlyMap<string, number>; source: FoldSource }> {
  const fold = await snapshotFold(reader, policy, (snapshot) => snapshot.at <= at);
  try {
    const from = fold.fromSnapshot ? reader.snapshot!.position : 0;
    read: for await (const batch of reader.batches(from)) {
      for (const fact of batch) {
        if (fact.at > at) break read;
        if (!fold.started) await fold.begin(fact.at);
        fold.apply(fact);
      }
    }
    if (!fold.started) await fold.begin(at);
    fold.runTo(at);
    return { views: fold.backends(at), successes: fold.lastSuccesses, source: { snapshot: fold.fromSnapshot ? reader.snapshot : undefined, facts: fold.folded } };
  } finally {
    await fold.close();
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
