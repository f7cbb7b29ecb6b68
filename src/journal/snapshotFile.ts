import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { JournalSnapshot } from './journal.js';
import { isRecord } from '../util/isRecord.js';

/**
 * Where a journal's snapshot lives: next to it, `<journal>.snapshot.json`, so moving or deleting
 * the pair together is obvious.
 *
 * @example
 * ```ts
 * snapshotPathFor('/home/me/.local/state/llm-health-router/journal.jsonl');
 * // '/home/me/.local/state/llm-health-router/journal.jsonl.snapshot.json'
 * ```
 */
export function snapshotPathFor(journalPath: string): string {
  return `${journalPath}.snapshot.json`;
}

/**
 * The hash of the journal line that ends at a snapshot's position. Stored in the snapshot file so
 * a snapshot is only used with the journal it was taken from: a journal deleted (to reset health)
 * and grown again past the old position must not be read from the middle.
 *
 * @example
 * ```ts
 * const check: LastLine = { bytes: 212, sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' };
 * ```
 */
export interface LastLine {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * A snapshot file as read: the snapshot, and the line check when the file has one.
 *
 * @example
 * ```ts
 * const stored: StoredSnapshot = { snapshot: { v: 1, position: 0, at: 0, backends: {} } };
 * ```
 */
export interface StoredSnapshot {
  readonly snapshot: JournalSnapshot;
  readonly lastLine?: LastLine;
}

/**
 * Why a value is not a usable snapshot, in one line; `undefined` when it is one. The backends'
 * contents are the registry's business; here only the envelope is checked.
 *
 * @example
 * ```ts
 * snapshotProblem({ v: 1, position: 0, at: 0, backends: {} }); // undefined
 * snapshotProblem({ v: 2 }); // 'unsupported snapshot version 2 (this version reads v1)'
 * ```
 */
export function snapshotProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  if (value.v !== 1) return `unsupported snapshot version ${JSON.stringify(value.v)} (this version reads v1)`;
  if (typeof value.position !== 'number' || !Number.isSafeInteger(value.position) || value.position < 0) return 'position is not a byte offset';
  if (typeof value.at !== 'number' || !Number.isFinite(value.at)) return 'at is not a number';
  if (!isRecord(value.backends)) return 'backends is not an object';
  const check = value.lastLine;
  if (check !== undefined && !(isRecord(check) && typeof check.bytes === 'number' && typeof check.sha256 === 'string')) return 'lastLine is malformed';
  return undefined;
}

/**
 * Reads a snapshot file: `undefined` when there is none, `{ problem }` when it is unreadable or
 * malformed (the caller warns and replays the whole journal), else the snapshot.
 *
 * @example
 * ```ts
 * const stored = await readSnapshotFile(snapshotPathFor(journalPath));
 * if (stored && 'problem' in stored) console.warn(stored.problem);
 * ```
 */
export async function readSnapshotFile(file: string): Promise<StoredSnapshot | { readonly problem: string } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `cannot read it (${(error as Error).message})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  const problem = snapshotProblem(value);
  if (problem !== undefined) return { problem };
  const { v, position, at, backends, lastLine, policy } = value as unknown as JournalSnapshot & { lastLine?: LastLine };
  return {
    snapshot: { v, position, at, backends, ...(typeof policy === 'string' ? { policy } : {}) },
    ...(lastLine ? { lastLine: { bytes: lastLine.bytes, sha256: lastLine.sha256 } } : {}),
  };
}

/**
 * Writes a snapshot file atomically: a temporary file in the same directory, fsynced, renamed over
 * the old one, then the directory fsynced. A crash leaves the old snapshot or the new one, never a
 * half-written file (and a stray temporary file at worst).
 *
 * @example
 * ```ts
 * await writeSnapshotFile(snapshotPathFor(journalPath), { v: 1, position: 0, at: Date.now(), backends: {} });
 * ```
 */
export async function writeSnapshotFile(file: string, snapshot: JournalSnapshot, lastLine?: LastLine): Promise<void> {
  const directory = dirname(file);
  await mkdir(directory, { recursive: true });
  const temporary = join(directory, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const { v, position, at, backends } = snapshot;
  const body = JSON.stringify({ v, position, at, ...(snapshot.policy !== undefined ? { policy: snapshot.policy } : {}), ...(lastLine ? { lastLine } : {}), backends });
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes a rename durable. Some platforms cannot fsync a directory; there the rename is as durable as the OS makes it. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync: nothing more can be done.
  } finally {
    await handle?.close();
  }
}

/**
 * Whether `position` is at a line boundary of the journal: its start or end, or right after or
 * right before a newline (the last, for a kept record whose newline a later writer added).
 *
 * @internal
 * @example
 * ```ts
 * await atLineBoundary(handle, snapshot.position, size); // false → do not use the snapshot
 * ```
 */
export async function atLineBoundary(handle: FileHandle, position: number, size: number): Promise<boolean> {
  if (position === 0 || position === size) return true;
  if (position > size) return false;
  const around = Buffer.alloc(2);
  const { bytesRead } = await handle.read(around, 0, 2, position - 1);
  return bytesRead === 2 && (around[0] === 0x0a || around[1] === 0x0a);
}

/**
 * The hash of the line that ends at `position` (at most its last 64 KiB), or `undefined` at 0.
 *
 * @internal
 * @example
 * ```ts
 * const check = await lastLineBefore(handle, position); // { bytes: 212, sha256: '9f…' }
 * ```
 */
export async function lastLineBefore(handle: FileHandle, position: number): Promise<LastLine | undefined> {
  if (position === 0) return undefined;
  const from = Math.max(0, position - 64 * 1024);
  const window = Buffer.alloc(position - from);
  const { bytesRead } = await handle.read(window, 0, window.length, from);
  const bytes = window.subarray(0, bytesRead);
  const line = bytes.subarray(bytes.subarray(0, Math.max(0, bytes.length - 1)).lastIndexOf(0x0a) + 1);
  return { bytes: line.length, sha256: createHash('sha256').update(line).digest('hex') };
}
