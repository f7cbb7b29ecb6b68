import type { HealthFact } from './facts.js';

/**
 * A backend's health as stored in a snapshot: the health actor's persisted snapshot without its
 * policy (the registry supplies the policy on restore), as plain JSON.
 *
 * @example
 * ```ts
 * import type { JournalSnapshot, StoredHealth } from 'llm-health-router';
 * const storedOf = (snapshot: JournalSnapshot, key: string): StoredHealth | undefined => snapshot.backends[key];
 * ```
 */
export type StoredHealth = Record<string, unknown>;

/**
 * A snapshot of the fold of a journal up to `position`: every backend's stored health, and the
 * time of the last fact folded (the clock the restored actors resume from).
 *
 * @example
 * ```ts
 * import type { JournalSnapshot } from 'llm-health-router';
 * const empty: JournalSnapshot = { v: 1, position: 0, at: Date.now(), backends: {} };
 * ```
 */
export interface JournalSnapshot {
  readonly v: 1;
  /** Where in the journal the snapshot ends: a byte offset for files, a record count in memory. */
  readonly position: number;
  /** The time the fold reached (the last fact's `at`). */
  readonly at: number;
  readonly backends: Readonly<Record<string, StoredHealth>>;
  /**
   * A fingerprint of the health policy the fold was computed under: restoring under another
   * policy would carry old decisions into new rules, so a registry with a different policy
   * ignores the snapshot and replays the whole journal.
   */
  readonly policy?: string;
}

/**
 * What a journal holds: the latest snapshot (if any), every fact after it in append order, the
 * position the facts end at (what a new snapshot would cover), and warnings about records that
 * were skipped on purpose (a torn last line after a crash).
 *
 * @example
 * ```ts
 * const { snapshot, facts, warnings } = await journal.load();
 * for (const w of warnings) console.warn(w);
 * ```
 */
export interface JournalContents {
  readonly snapshot?: JournalSnapshot;
  readonly facts: readonly HealthFact[];
  readonly position: number;
  readonly warnings: readonly string[];
}

/**
 * Where health facts are kept. Appends are synchronous, so the order facts are appended is the
 * order they were recorded (and the order a replay folds them). The in-memory journal is the
 * default; the file journal (JSONL) persists across restarts.
 *
 * @example
 * ```ts
 * import { memoryJournal, openHealthRegistry } from 'llm-health-router';
 * const registry = await openHealthRegistry({ journal: memoryJournal() });
 * ```
 */
export interface Journal {
  /** Where the facts live, for messages (`memory`, or the file path). */
  readonly location: string;
  /**
   * Appends one fact. Throws if the journal is closed or the write fails — and then the fact must
   * not be in the journal as a `load` sees it: the registry keeps a fact whose append threw and
   * appends it again later, in order (a journal that cannot be written never fails a call; see
   * `docs/journal.md`).
   */
  append(fact: HealthFact): void;
  /**
   * Reads the latest snapshot and every fact after it, validated; throws naming the record for a
   * corrupt one. `ignoreSnapshot` reads every fact from the start instead.
   */
  load(options?: { readonly ignoreSnapshot?: boolean }): Promise<JournalContents>;
  /** Stores a snapshot of the fold up to `snapshot.position`, so the next `load` starts there. */
  saveSnapshot(snapshot: JournalSnapshot): Promise<void>;
  /** Makes every appended fact durable now, whatever the durability policy. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
