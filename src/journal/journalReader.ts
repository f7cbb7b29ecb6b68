import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { HealthFact } from './facts.js';
import { usableSnapshot } from './fileJournal.js';
import type { JournalSnapshot } from './journal.js';
import { JournalError, recordPlace } from './journalError.js';
import { readJsonlRecords, RecordProblem } from './jsonlRecords.js';
import { readSnapshotFile, snapshotPathFor } from './snapshotFile.js';

/** How much of the file one batch reads; a window grows only when no line in it can end a batch. */
const WINDOW = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * A journal file read as a stream, for tools that look at a journal without holding it: `status`,
 * `replay` and `report` on journals of millions of facts. `fileJournal(path).load()` returns every
 * fact in one array; this reads the same records, with the same recovery, warnings and errors, in
 * batches of a few megabytes, and can find where a range of the file begins without parsing the
 * rest (the last N lines; the first fact at or after a time). It only reads: it never creates,
 * repairs or snapshots anything.
 *
 * Times: the journal is in time order (the registry stamps each fact when it records it), so a
 * time is found by bisecting the file. Facts written out of order by several processes at the
 * same millisecond make that search approximate by those few facts, never wrong by more.
 *
 * @internal
 * @example
 * ```ts
 * const reader = await openJournalReader('health.jsonl', { onWarning: console.warn });
 * for await (const batch of reader.batches(reader.snapshot?.position ?? 0)) for (const fact of batch) fold(fact);
 * await reader.close();
 * ```
 */
export interface JournalReader {
  /** The journal's absolute path, as errors and warnings name it. */
  readonly location: string;
  /** The file's size when it was opened: what every read stops at (later appends are not read). */
  readonly size: number;
  /** The journal's snapshot, when it has one that still fits the file (else a warning said why not). */
  readonly snapshot: JournalSnapshot | undefined;
  /**
   * Every fact from byte `from` to byte `to` (default: the end), in file order, a batch at a time.
   * Both must be 0, the end, a snapshot's position or a position this reader gave: those are
   * line starts where reading can begin or stop and find exactly what one read of the whole file
   * finds there.
   */
  batches(from?: number, to?: number): AsyncGenerator<readonly HealthFact[]>;
  /** How many lines (records, and the rare crash leftover) lie in `[from, to)`; a torn last line counts. */
  countLines(from: number, to?: number): Promise<number>;
  /** The start of the `count`-th line from the end (or `floor` when there are fewer lines after it). */
  lastLinesStart(count: number, floor?: number): Promise<number>;
  /** The start of the first line whose fact is at or after `time` (the file's size when none is). */
  lineStartAtTime(time: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens a journal file for reading: checks its snapshot the way `fileJournal().load()` does
 * (warning through `onWarning` when it is unusable) unless `ignoreSnapshot`. A missing file reads
 * as an empty journal.
 *
 * @internal
 * @example
 * ```ts
 * const reader = await openJournalReader(path, { onWarning: (w) => process.stderr.write(`${w}\n`) });
 * console.log(reader.size, reader.snapshot?.position);
 * ```
 */
export async function openJournalReader(
  path: string,
  options: { onWarning?: (message: string) => void; ignoreSnapshot?: boolean; /** Bytes per batch (tests use tiny ones to cut everywhere). */ windowBytes?: number } = {},
): Promise<JournalReader> {
  const location = resolve(path);
  const warn = (message: string) => options.onWarning?.(message);
  const handle = await open(location, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  try {
    const size = handle ? (await handle.stat()).size : 0;
    const snapshotFile = snapshotPathFor(location);
    const snapshot = options.ignoreSnapshot ? undefined : await usableSnapshot(await readSnapshotFile(snapshotFile), handle, size, snapshotFile, warn);
    return new FileReader(location, handle, size, snapshot, warn, options.windowBytes ?? WINDOW);
  } catch (error) {
    await handle?.close();
    throw error;
  }
}

class FileReader implements JournalReader {
  constructor(
    readonly location: string,
    private readonly handle: FileHandle | undefined,
    readonly size: number,
    readonly snapshot: JournalSnapshot | undefined,
    private readonly warn: (message: string) => void,
    private readonly window: number,
  ) {}

  async *batches(from = 0, to = this.size): AsyncGenerator<readonly HealthFact[]> {
    let linesBefore: number | undefined; // lines before `from`: counted only when a warning or an error needs a line number
    const lineNumber = async (linesRead: number, index: number) => (linesBefore ??= from === 0 ? 0 : await this.countLines(0, from)) + linesRead + index + 1;
    let linesRead = 0;
    const end = Math.min(to, this.size);
    for (let at = from; at < end; ) {
      const window = await this.nextWindow(at, end);
      let read;
      try {
        // One call per window: the window ends where the record reader carries nothing over to the next line.
        read = await readJsonlRecords(once(window), at);
      } catch (error) {
        if (error instanceof RecordProblem) throw new JournalError(this.location, await lineNumber(linesRead, error.index), error.offset, error.reason);
        throw error;
      }
      for (const note of read.notes) this.warn(`${recordPlace(this.location, await lineNumber(linesRead, note.index), note.offset)}: ${note.message}`);
      linesRead += newlines(window);
      at += window.length;
      if (read.facts.length > 0) yield read.facts;
    }
  }

  async countLines(from: number, to = this.size): Promise<number> {
    let count = 0;
    let last = -1;
    for (let at = from; at < to; ) {
      const chunk = await this.read(at, Math.min(this.window, to - at));
      if (chunk.length === 0) break;
      count += newlines(chunk);
      last = chunk[chunk.length - 1]!;
      at += chunk.length;
    }
    return count + (to > from && last !== NEWLINE ? 1 : 0);
  }

  async lastLinesStart(count: number, floor = 0): Promise<number> {
    if (count <= 0) return this.size;
    // The last line ends at the file's end, with its newline or (torn) without one.
    let end = this.size;
    if (end > floor && (await this.read(end - 1, 1))[0] === NEWLINE) end -= 1;
    let seen = 0;
    for (let to = end; to > floor; ) {
      const from = Math.max(floor, to - this.window);
      const chunk = await this.read(from, to - from);
      for (let i = chunk.lastIndexOf(NEWLINE); i >= 0; i = i === 0 ? -1 : chunk.lastIndexOf(NEWLINE, i - 1)) {
        if (++seen === count) return this.safeStart(from + i + 1);
      }
      to = from;
    }
    return floor;
  }

  async lineStartAtTime(time: number): Promise<number> {
    // Bisect on bytes while the interval is large; `lo` is always a line start whose fact is before `time`, or 0.
    let lo = 0;
    let hi = this.size;
    while (hi - lo > Math.min(64 * 1024, this.window)) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const line = await this.factLineAfter(mid, hi);
      if (line === undefined) hi = mid;
      else if (line.at >= time) hi = line.start;
      else lo = line.end;
    }
    // Then walk the few lines left, in order.
    for (let at = lo; at < this.size; ) {
      const line = await this.lineAt(at);
      if (line.at !== undefined && line.at >= time) return this.safeStart(at);
      at = line.end;
    }
    return this.size;
  }

  async close(): Promise<void> {
    await this.handle?.close();
  }

  /**
   * `position` (a line start), moved back over lines that are not JSON: such a line is a crash's
   * fragment, and whether it is skipped or is an error is decided by the line after it, so a read
   * must never stop or begin between the two.
   */
  private async safeStart(position: number): Promise<number> {
    let at = position;
    while (at > 0) {
      const start = await this.lineStartBefore(at);
      if (start === at - 1 || parses(await this.read(start, at - 1 - start), 0, at - 1 - start)) return at;
      at = start;
    }
    return 0;
  }

  /** The start of the line that ends (with its newline) at `end`. */
  private async lineStartBefore(end: number): Promise<number> {
    for (let from = end - 1, step = Math.min(4096, this.window); from > 0; step = Math.min(step * 4, WINDOW)) {
      const begin = Math.max(0, from - step);
      const chunk = await this.read(begin, from - begin);
      const newline = chunk.lastIndexOf(NEWLINE);
      if (newline >= 0) return begin + newline + 1;
      from = begin;
    }
    return 0;
  }

  /** The first line that starts at or after `position` (and before `limit`) holding a readable `at`. */
  private async factLineAfter(position: number, limit: number): Promise<{ start: number; end: number; at: number } | undefined> {
    let at = position === 0 ? 0 : (await this.lineAt(position - 1)).end; // the line `position - 1` is in ends where the next starts
    while (at < limit) {
      const line = await this.lineAt(at);
      if (line.at !== undefined) return { start: at, end: line.end, at: line.at };
      at = line.end;
    }
    return undefined;
  }

  /** The line around `position` from `position` on: where it ends (after its newline) and its fact's `at`, if it parses. */
  private async lineAt(position: number): Promise<{ end: number; at: number | undefined }> {
    const parts: Buffer[] = [];
    for (let at = position, step = Math.min(4096, this.window); at < this.size; step = Math.min(step * 4, WINDOW)) {
      const chunk = await this.read(at, Math.min(step, this.size - at));
      const newline = chunk.indexOf(NEWLINE);
      if (newline >= 0) {
        parts.push(chunk.subarray(0, newline));
        return { end: at + newline + 1, at: factTime(Buffer.concat(parts)) };
      }
      parts.push(chunk);
      at += chunk.length;
    }
    return { end: this.size, at: factTime(Buffer.concat(parts)) };
  }

  /**
   * The bytes from `at` up to the end of the last line in the next window that the record reader
   * can stop after: a line that parses as JSON (a record or a crash marker) or an empty one. Only
   * a line that is not JSON makes the reader look at the line after it, so ending a window after
   * one that is gives exactly what one read of the whole file gives.
   */
  private async nextWindow(at: number, end: number): Promise<Buffer> {
    for (let length = Math.min(this.window, end - at); ; length = Math.min(length * 2, end - at)) {
      const bytes = await this.read(at, length);
      if (at + bytes.length >= end) return bytes;
      const cut = lastParseableLineEnd(bytes);
      if (cut > 0) return bytes.subarray(0, cut);
    }
  }

  private async read(at: number, length: number): Promise<Buffer> {
    if (!this.handle || length <= 0) return Buffer.alloc(0);
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, at + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function newlines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/** The end (after its newline) of the last complete line that is empty or parses as JSON, or 0. */
function lastParseableLineEnd(bytes: Buffer): number {
  for (let end = bytes.lastIndexOf(NEWLINE); end >= 0; ) {
    const start = end === 0 ? 0 : bytes.lastIndexOf(NEWLINE, end - 1) + 1;
    if (start === end || parses(bytes, start, end)) return end + 1;
    if (start === 0) return 0;
    end = start - 1;
  }
  return 0;
}

function parses(bytes: Buffer, start: number, end: number): boolean {
  try {
    JSON.parse(bytes.toString('utf8', start, end));
    return true;
  } catch {
    return false;
  }
}

/** A record's `at`, when the line is a JSON object with a numeric one. */
function factTime(line: Buffer): number | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as { at?: unknown; type?: unknown };
    return typeof value.at === 'number' && value.type !== 'journal.torn' ? value.at : undefined;
  } catch {
    return undefined;
  }
}
