import { closeSync, fstatSync, fsync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { HealthFact } from './facts.js';
import { factProblem } from './factSchema.js';
import type { Journal, JournalContents, JournalSnapshot } from './journal.js';
import { JournalError, recordPlace } from './journalError.js';
import { factLine, readJsonlRecords, RecordProblem, tailEndsInRecord, tornTailBytes } from './jsonlRecords.js';
import { atLineBoundary, lastLineBefore, readSnapshotFile, snapshotPathFor, snapshotProblem, writeSnapshotFile, type StoredSnapshot } from './snapshotFile.js';

const fsyncAsync = promisify(fsync);
const CHUNK = 1024 * 1024;

/**
 * When appended facts are forced to the disk (`fsync`). A fact is in the OS page cache as soon as
 * `append` returns either way, so a crash of the *process* loses nothing; the policy decides what
 * a crash of the *machine* (power loss, kernel panic) can lose.
 *
 * - `'always'`: fsync after every append — nothing acknowledged is lost, at the cost of a disk
 *   flush per fact (around a millisecond on an SSD, far more on a network or spinning disk);
 * - `{ intervalMs }`: fsync at most once per interval, when something was written — loses at most
 *   the last interval's facts on a machine crash (the default, 1000 ms);
 * - `'never'`: leave it to the OS (Linux writes dirty pages back within about 30 s).
 *
 * @example
 * ```ts
 * import type { FsyncPolicy } from 'llm-health-router';
 * const policy: FsyncPolicy = { intervalMs: 250 };
 * ```
 */
export type FsyncPolicy = 'always' | 'never' | { readonly intervalMs: number };

/**
 * Options of {@link fileJournal}.
 *
 * @example
 * ```ts
 * import type { FileJournalOptions } from 'llm-health-router';
 * const options: FileJournalOptions = { fsync: 'always', onWarning: (message) => console.warn(message) };
 * ```
 */
export interface FileJournalOptions {
  /** When appends are fsynced; default `{ intervalMs: 1000 }`. */
  readonly fsync?: FsyncPolicy;
  /** Called with every warning (a skipped torn record, an unusable snapshot, a failed fsync). */
  readonly onWarning?: (message: string) => void;
}

/**
 * A journal in a JSONL file: one fact per line, appended with `O_APPEND` and one `write` per
 * record, so processes of one user can share the file on a local filesystem. A torn record left by
 * a crash is skipped with a warning and marked, never truncated; a snapshot next to the file
 * (`<path>.snapshot.json`) lets `load` read only the facts appended after it. See `docs/journal.md`.
 *
 * The file is opened (and its parent directories created) on the first `append`, so a journal that
 * is only loaded never creates or modifies anything.
 *
 * @example
 * ```ts
 * import { defaultJournalPath, fileJournal } from 'llm-health-router';
 * const journal = fileJournal(defaultJournalPath(), { fsync: { intervalMs: 1000 }, onWarning: console.warn });
 * const { snapshot, facts, position } = await journal.load();
 * journal.append({ v: 1, type: 'backend.reset', at: Date.now(), backend: 'openai|chat_completions|https://api.openai.com/v1' });
 * await journal.close();
 * ```
 */
export function fileJournal(path: string, options: FileJournalOptions = {}): Journal {
  const location = resolve(path);
  const snapshotFile = snapshotPathFor(location);
  const policy = options.fsync ?? { intervalMs: 1000 };
  if (typeof policy === 'object' ? !(Number.isFinite(policy.intervalMs) && policy.intervalMs > 0) : policy !== 'always' && policy !== 'never') {
    throw new RangeError(`fsync must be 'always', 'never' or { intervalMs: <positive number> }, got ${JSON.stringify(policy)}`);
  }
  const warn = (message: string, into?: string[]) => {
    into?.push(message);
    options.onWarning?.(message);
  };

  let fd: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let dirty = false; // written since the last fsync
  let tailSuspect = false; // a write failed or was short: the file may end inside a record
  let closing: Promise<void> | undefined;
  let syncing: Promise<void> = Promise.resolve(); // fsyncs run one after another, and close waits for them

  /**
   * One `write` of the whole record: with O_APPEND the kernel places it at the end in one piece.
   * A write cut short (a full disk, a file size limit) leaves part of the record at the end of the
   * file; it throws then — the fact is not in the journal, and its writer may write it again —
   * unless only the newline is missing: a reader keeps that record, so it counts as written.
   */
  function writeRecord(handle: number, text: string): void {
    const bytes = Buffer.from(text);
    tailSuspect = true;
    const written = writeSync(handle, bytes);
    if (written > 0) dirty = true;
    if (written === bytes.length) tailSuspect = false;
    else if (written < bytes.length - 1) {
      throw Object.assign(new Error(`journal ${location}: short write (${written} of ${bytes.length} bytes); the next record is written after the partial one, which a load skips with a warning`), {
        code: 'SHORT_WRITE',
      });
    }
  }

  /**
   * After a crash or a failed write the file may end inside a record. It is never truncated (the
   * bytes may be another writer's, and truncating could race that writer): a complete record that
   * lacks only its newline gets one (a single byte, so it is written whole or not at all); any
   * other fragment is left for the next record to follow on the same line, a glued line that a
   * load reads as "fragment, then record". Nothing here can leave the file unloadable, whatever
   * the write does — which a newline-and-marker repair could (a repair cut short after its newline
   * leaves an unmarked fragment line).
   */
  function repairTail(handle: number): void {
    const size = fstatSync(handle).size;
    if (tailEndsInRecord(handle, size, tornTailBytes(handle, size))) {
      writeSync(handle, '\n');
      dirty = true;
    }
    tailSuspect = false;
  }

  function openForAppend(): number {
    mkdirSync(dirname(location), { recursive: true });
    const handle = openSync(location, 'a+', 0o600);
    try {
      repairTail(handle);
    } catch (error) {
      closeSync(handle);
      throw error;
    }
    if (typeof policy === 'object') {
      timer = setInterval(() => {
        if (dirty) sync().catch((error: Error) => warn(`journal ${location}: background fsync failed (${error.message}); retrying at the next interval`));
      }, policy.intervalMs);
      timer.unref(); // durability is best effort here; it must never keep the agent's process alive
    }
    return handle;
  }

  function sync(): Promise<void> {
    const run = syncing.then(async () => {
      if (fd === undefined || !dirty) return;
      dirty = false;
      try {
        await fsyncAsync(fd);
      } catch (error) {
        dirty = true;
        throw error;
      }
    });
    syncing = run.catch(() => undefined);
    return run;
  }

  return {
    location,
    append(fact: HealthFact) {
      if (closing) throw new Error(`journal ${location} is closed`);
      // A record the schema rejects would make every later load of this file fail: refuse it here.
      const problem = factProblem(fact);
      if (problem !== undefined) throw new TypeError(`journal ${location}: refusing to append an invalid fact (${problem})`);
      fd ??= openForAppend();
      if (tailSuspect) repairTail(fd);
      writeRecord(fd, factLine(fact));
      if (policy === 'always') {
        try {
          fsyncSync(fd);
          dirty = false;
        } catch (error) {
          // The record is written (readers see it): throwing would have it written twice. Say it, and leave it to the next flush.
          warn(`journal ${location}: fsync after an append failed (${(error as Error).message}); the record is written but may not survive a machine crash until a later fsync succeeds`);
        }
      }
    },
    async load(options?: { ignoreSnapshot?: boolean }): Promise<JournalContents> {
      const warnings: string[] = [];
      const read = await loadJournal(location, snapshotFile, (message) => warn(message, warnings), options?.ignoreSnapshot === true);
      return { ...read, warnings };
    },
    async saveSnapshot(snapshot: JournalSnapshot) {
      const problem = snapshotProblem(snapshot);
      if (problem !== undefined) throw new TypeError(`snapshot for journal ${location}: ${problem}`);
      const handle = await open(location, 'r+').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      let lastLine;
      try {
        const size = handle ? (await handle.stat()).size : 0;
        if (snapshot.position > size) throw new RangeError(`snapshot position ${snapshot.position} is outside the journal (0…${size})`);
        if (handle && !(await atLineBoundary(handle, snapshot.position, size))) {
          throw new RangeError(`snapshot position ${snapshot.position} is not at a line boundary of ${location}`);
        }
        if (handle) {
          lastLine = await lastLineBefore(handle, snapshot.position);
          // The snapshot must never be durable while the facts it covers are not (any writer's).
          await handle.sync();
        }
      } finally {
        await handle?.close();
      }
      await writeSnapshotFile(snapshotFile, snapshot, lastLine);
    },
    flush: () => sync(),
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        if (fd === undefined) return;
        try {
          await sync();
        } finally {
          closeSync(fd);
          fd = undefined;
        }
      })();
      return closing;
    },
  };
}

/** Reads the snapshot (when it fits the journal) and every record after it. */
async function loadJournal(location: string, snapshotFile: string, warn: (message: string) => void, ignoreSnapshot: boolean): Promise<Omit<JournalContents, 'warnings'>> {
  const handle = await open(location, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  try {
    const size = handle ? (await handle.stat()).size : 0;
    const snapshot = ignoreSnapshot ? undefined : await usableSnapshot(await readSnapshotFile(snapshotFile), handle, size, snapshotFile, warn);
    const start = snapshot?.position ?? 0;
    const withSnapshot = snapshot ? { snapshot } : {};
    if (!handle || start === size) return { ...withSnapshot, facts: [], position: start };
    let linesBefore: number | undefined;
    const lineOf = async (index: number) => (linesBefore ??= start === 0 ? 0 : await countNewlines(handle, start)) + index + 1;
    try {
      const { facts, notes, position } = await readJsonlRecords(fileChunks(handle, start, size), start);
      for (const note of notes) warn(`${recordPlace(location, await lineOf(note.index), note.offset)}: ${note.message}`);
      return { ...withSnapshot, facts, position };
    } catch (error) {
      if (error instanceof RecordProblem) throw new JournalError(location, await lineOf(error.index), error.offset, error.reason);
      throw error;
    }
  } finally {
    await handle?.close();
  }
}

/**
 * The stored snapshot if the journal still holds what it covers; otherwise a warning and `undefined` (full replay).
 * Also used by the streaming reader (`journalReader.ts`), so both decide alike.
 *
 * @internal
 * @example
 * ```ts
 * const snapshot = await usableSnapshot(await readSnapshotFile(snapshotPathFor(path)), handle, size, snapshotPathFor(path), console.warn);
 * ```
 */
export async function usableSnapshot(
  stored: StoredSnapshot | { readonly problem: string } | undefined,
  handle: FileHandle | undefined,
  size: number,
  snapshotFile: string,
  warn: (message: string) => void,
): Promise<JournalSnapshot | undefined> {
  if (stored === undefined) return undefined;
  const unusable = (why: string) => warn(`snapshot ${snapshotFile} is unusable (${why}); replaying the whole journal instead`);
  if ('problem' in stored) return void unusable(stored.problem);
  const { snapshot, lastLine } = stored;
  if (snapshot.position > size) return void unusable(`its position ${snapshot.position} is past the end of the journal (${size} bytes)`);
  if (!handle) return snapshot;
  if (!(await atLineBoundary(handle, snapshot.position, size))) return void unusable(`its position ${snapshot.position} is not at a line boundary`);
  if (lastLine) {
    const now = await lastLineBefore(handle, snapshot.position);
    if (now?.sha256 !== lastLine.sha256 || now.bytes !== lastLine.bytes) {
      return void unusable(`the journal line before its position ${snapshot.position} is not the one it was taken after: the journal was replaced or rewritten`);
    }
  }
  return snapshot;
}

/** Reads `[start, end)` in chunks, so a long replay never holds the whole file twice. */
async function* fileChunks(handle: FileHandle, start: number, end: number): AsyncGenerator<Uint8Array> {
  for (let at = start; at < end; ) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, end - at));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
    if (bytesRead === 0) return;
    yield chunk.subarray(0, bytesRead);
    at += bytesRead;
  }
}

/** How many lines end before `end` (only on the error and warning path, to report absolute line numbers after a snapshot). */
async function countNewlines(handle: FileHandle, end: number): Promise<number> {
  let count = 0;
  for await (const chunk of fileChunks(handle, 0, end)) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) count++;
  }
  return count;
}
