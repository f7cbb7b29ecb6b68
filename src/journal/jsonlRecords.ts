import { readSync } from 'node:fs';
import type { HealthFact } from './facts.js';
import { factProblem } from './factSchema.js';
import { isRecord } from '../util/isRecord.js';

const NEWLINE = 0x0a;

/**
 * How every record line starts (writers put `v` first). Inside a JSON string a `"` is escaped, so
 * this text can only occur where a record begins: that is what makes a glued record findable.
 */
const RECORD_START = '{"v":';
const RECORD_START_BYTES = Buffer.from(RECORD_START);

/**
 * The `type` of the marker earlier versions appended after a torn fragment they found at the end
 * of the file (still read: such files, and such writers sharing a file, exist).
 *
 * @internal
 * @example
 * ```ts
 * JSON.parse(line).type === TORN_MARKER_TYPE; // a marker, not a fact
 * ```
 */
export const TORN_MARKER_TYPE = 'journal.torn';

/**
 * One fact as one JSONL line, `v` first, newline included: the exact bytes one `write` appends.
 *
 * @internal
 * @example
 * ```ts
 * factLine({ v: 1, type: 'backend.reset', at: 1, backend: 'b' }); // '{"v":1,"type":"backend.reset","at":1,"backend":"b"}\n'
 * ```
 */
export function factLine(fact: HealthFact): string {
  const { v, ...rest } = fact;
  return `${JSON.stringify({ v, ...rest })}\n`;
}

/** How much of a torn tail is read to see whether it ends in a complete record (records are far smaller). */
const TAIL_CHECK_BYTES = 1024 * 1024;

/**
 * Whether the last `fragment` bytes of the file (after its last newline) end in a complete record
 * whose newline alone is missing: then the writer must end it with a newline, so that a reader
 * keeps it and a snapshot after it stays at a line boundary. Any other fragment is left as it is:
 * the next record is written right after it, on the same line, and a reader skips the fragment
 * with a warning and keeps the record (a glued line).
 *
 * @internal
 * @example
 * ```ts
 * const size = fstatSync(fd).size;
 * tailEndsInRecord(fd, size, tornTailBytes(fd, size)); // true: write '\n' before the next record
 * ```
 */
export function tailEndsInRecord(fd: number, size: number, fragment: number): boolean {
  if (fragment === 0) return false;
  const length = Math.min(fragment, TAIL_CHECK_BYTES);
  const tail = Buffer.alloc(length);
  const read = readSync(fd, tail, 0, length, size - length);
  const text = tail.toString('utf8', 0, read);
  const start = text.lastIndexOf(RECORD_START);
  if (start < 0) return false;
  const kind = parseRecord(text.slice(start)).kind;
  return kind === 'fact' || kind === 'marker';
}

/**
 * How many bytes at the end of the file follow its last newline (0 when the file is empty or ends
 * with one). Reads backwards from the end in chunks, so the cost is the fragment, not the file.
 *
 * @internal
 * @example
 * ```ts
 * const fd = openSync(path, 'a+');
 * tornTailBytes(fd, fstatSync(fd).size); // 0 for a clean journal
 * ```
 */
export function tornTailBytes(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const read = readSync(fd, chunk, 0, end - start, start);
    const newline = chunk.subarray(0, read).lastIndexOf(NEWLINE);
    if (newline >= 0) return size - (start + newline + 1);
    end = start;
  }
  return size;
}

/**
 * A line of the file: its text (without the newline), where it starts, its length in bytes, its
 * index among the lines read (0-based), and whether a newline ended it.
 */
interface JsonlLine {
  readonly text: string;
  /** The line's bytes: a fragment may end inside a UTF-8 character, so byte counts come from here, never from `text`. */
  readonly raw: Buffer;
  readonly offset: number;
  readonly bytes: number;
  readonly index: number;
  readonly terminated: boolean;
}

/**
 * A record that was skipped on purpose, and why (the caller turns `index` into a line number).
 *
 * @internal
 * @example
 * ```ts
 * const note: RecordNote = { offset: 1234, index: 6, message: 'skipped a torn last line (40 bytes without a newline: a write cut short)' };
 * ```
 */
export interface RecordNote {
  readonly offset: number;
  readonly index: number;
  readonly message: string;
}

/**
 * The facts read from a run of lines, the notes about skipped records, and where the read ended.
 *
 * @internal
 * @example
 * ```ts
 * const { facts, notes, position }: JsonlRead = await readJsonlRecords(chunks, 0);
 * ```
 */
export interface JsonlRead {
  readonly facts: HealthFact[];
  readonly notes: RecordNote[];
  /** The byte offset just after the last complete line (or after a kept unterminated last record). */
  readonly position: number;
}

/**
 * A record that is not a valid fact and is not a known crash leftover. Thrown by
 * {@link readJsonlRecords}; the file journal turns it into a `JournalError` once it knows the
 * absolute line number (which needs counting the lines before the read's start, only on this path).
 *
 * @internal
 * @example
 * ```ts
 * try { await readJsonlRecords(chunks, 0); } catch (e) { if (e instanceof RecordProblem) console.log(e.index, e.offset, e.reason); }
 * ```
 */
export class RecordProblem extends Error {
  constructor(
    readonly offset: number,
    readonly index: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RecordProblem';
  }
}

type Parsed =
  | { readonly kind: 'fact'; readonly fact: HealthFact }
  | { readonly kind: 'marker'; readonly bytes: unknown }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'notJson'; readonly reason: string };

function parseRecord(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'notJson', reason: `not JSON (${message.length > 200 ? `${message.slice(0, 200)}…` : message})` };
  }
  if (isRecord(value) && value.type === TORN_MARKER_TYPE) return { kind: 'marker', bytes: value.bytes };
  const problem = factProblem(value);
  return problem === undefined ? { kind: 'fact', fact: value as HealthFact } : { kind: 'invalid', reason: problem };
}

/** Splits byte chunks on `\n` (never inside a UTF-8 sequence), keeping each line's byte offset. */
async function* splitLines(chunks: AsyncIterable<Uint8Array>, start: number): AsyncGenerator<JsonlLine> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  let index = 0;
  for await (const chunk of chunks) {
    const buffer = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    for (let newline = buffer.indexOf(NEWLINE, from); newline >= 0; newline = buffer.indexOf(NEWLINE, from)) {
      yield { text: buffer.toString('utf8', from, newline), raw: buffer.subarray(from, newline), offset, bytes: newline - from, index: index++, terminated: true };
      offset += newline - from + 1;
      from = newline + 1;
    }
    carry = buffer.subarray(from);
  }
  if (carry.length) yield { text: carry.toString('utf8'), raw: carry, offset, bytes: carry.length, index, terminated: false };
}

/**
 * Reads facts from JSONL bytes that start at byte `start` of a journal (0, or a snapshot's
 * position), recovering what a crash or a failed write can leave behind and rejecting everything
 * else:
 *
 * - a last line without a newline that is not a valid fact: a torn write, skipped with a note;
 * - a line that is not JSON but has a record start (`{"v":`) after index 0 and a valid fact from
 *   the last one: a fragment with records appended right after it (how writers go on after a
 *   torn record); every complete record in it is kept, every fragment noted;
 * - a line that is not JSON, followed by a `journal.torn` marker whose `bytes` is that line's
 *   length: a fragment an earlier version of the writer found and marked, skipped with a note
 *   (the marker is not a fact either);
 * - an empty line (an earlier writer's tail repair raced another writer's append): skipped;
 * - anything else that is not a valid fact throws {@link RecordProblem}.
 *
 * @internal
 * @example
 * ```ts
 * const { facts, notes, position } = await readJsonlRecords(fileChunks(handle, 0, size), 0);
 * ```
 */
export async function readJsonlRecords(chunks: AsyncIterable<Uint8Array>, start: number): Promise<JsonlRead> {
  const facts: HealthFact[] = [];
  const notes: RecordNote[] = [];
  let position = start;
  // An unparseable complete line waits for the next one: a matching marker makes it a known fragment.
  let pending: (JsonlLine & { readonly reason: string }) | undefined;

  const note = (line: JsonlLine, message: string) => notes.push({ offset: line.offset, index: line.index, message });
  const settle = (line: JsonlLine & { readonly reason: string }) => {
    if (!recoverGlued(line, facts, note)) throw new RecordProblem(line.offset, line.index, line.reason);
  };

  for await (const line of splitLines(chunks, start)) {
    if (!line.terminated) {
      if (pending) settle(pending);
      pending = undefined;
      const parsed = parseRecord(line.text);
      if (parsed.kind === 'fact') {
        // A complete record whose newline alone was lost: keep it; a snapshot may end right after it.
        facts.push(parsed.fact);
        position = line.offset + line.bytes;
      } else if (parsed.kind === 'notJson' && recoverGlued({ ...line, reason: parsed.reason }, facts, note)) {
        // A fragment with a complete record glued after it, itself missing only its newline.
        position = line.offset + line.bytes;
      } else if (parsed.kind !== 'marker') {
        const why = parsed.kind === 'notJson' ? 'a write cut short' : parsed.reason;
        note(line, `skipped a torn last line (${line.bytes} bytes without a newline: ${why})`);
      }
      break;
    }
    const parsed = line.text === '' ? undefined : parseRecord(line.text);
    if (pending) {
      if (parsed?.kind === 'marker' && parsed.bytes === pending.bytes) {
        // The marked line may still end in a complete record (a second crash lost only its newline): keep it.
        if (!recoverGlued(pending, facts, note)) {
          note(pending, `skipped a torn record (${pending.bytes} bytes cut short by a crash, marked by a later writer)`);
        }
      } else settle(pending);
      pending = undefined;
    }
    position = line.offset + line.bytes + 1;
    if (parsed === undefined || parsed.kind === 'marker') continue;
    if (parsed.kind === 'fact') facts.push(parsed.fact);
    else if (parsed.kind === 'invalid') throw new RecordProblem(line.offset, line.index, parsed.reason);
    else pending = { ...line, reason: parsed.reason };
  }
  if (pending) settle(pending);
  return { facts, notes, position };
}

/** Splits a glued line at its record starts; keeps its facts and notes its fragments, or returns false. */
function recoverGlued(line: JsonlLine & { readonly reason: string }, facts: HealthFact[], note: (line: JsonlLine, message: string) => void): boolean {
  // Byte positions: a fragment may end inside a multi-byte character, which decoding would turn into a 3-byte U+FFFD.
  const starts = [0];
  for (let at = line.raw.indexOf(RECORD_START_BYTES, 1); at > 0; at = line.raw.indexOf(RECORD_START_BYTES, at + 1)) starts.push(at);
  if (starts.length < 2) return false;
  const ends = starts.map((_, i) => starts[i + 1] ?? line.raw.length);
  const parsed = starts.map((from, i) => parseRecord(line.raw.toString('utf8', from, ends[i])));
  if (parsed[parsed.length - 1]!.kind !== 'fact') return false;
  const kept: HealthFact[] = [];
  parsed.forEach((piece, i) => {
    const at = line.offset + starts[i]!;
    if (piece.kind === 'fact') kept.push(piece.fact);
    else if (piece.kind === 'invalid') throw new RecordProblem(line.offset, line.index, `${piece.reason} (in a record glued at byte ${at})`);
    else if (piece.kind === 'notJson') {
      note(line, `skipped a torn fragment (${ends[i]! - starts[i]!} bytes at byte ${at}) that a crash or a failed write left and a later record was appended to; kept the complete records after it`);
    }
  });
  facts.push(...kept);
  return true;
}
