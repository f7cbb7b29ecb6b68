/**
 * A journal record that cannot be read: not JSON, a format version this library does not read, or
 * a record that breaks the fact schema. Loading stops at the first one, because health folded from
 * a journal with a hole in the middle would be silently wrong; the message names the place so a
 * person can open the file there and decide (fix the line, or move the file aside).
 *
 * A torn last line after a crash is NOT an error: it is skipped with a warning (see `docs/journal.md`).
 *
 * @example
 * ```ts
 * import { fileJournal, JournalError } from 'llm-health-router';
 * try {
 *   await fileJournal('/tmp/health.jsonl').load();
 * } catch (error) {
 *   if (error instanceof JournalError) console.error(error.file, error.line, error.offset, error.reason);
 *   // journal /tmp/health.jsonl line 7 (byte 1234): unsupported format version 2 (this version reads v1)
 * }
 * ```
 */
export class JournalError extends Error {
  /** The journal file (absolute path). */
  readonly file: string;
  /** The 1-based line number of the record in the file. */
  readonly line: number;
  /** The byte offset of the start of that line in the file. */
  readonly offset: number;
  /** Why the record cannot be read, in one line (without the place). */
  readonly reason: string;

  constructor(file: string, line: number, offset: number, reason: string) {
    super(`${recordPlace(file, line, offset)}: ${reason}`);
    this.name = 'JournalError';
    this.file = file;
    this.line = line;
    this.offset = offset;
    this.reason = reason;
  }
}

/**
 * How errors and warnings name a record: the file, the line an editor shows and the byte offset a
 * tool like `dd`/`tail -c` needs (both, because a torn line makes line counting ambiguous).
 *
 * @internal
 * @example
 * ```ts
 * recordPlace('/tmp/j.jsonl', 7, 1234); // 'journal /tmp/j.jsonl line 7 (byte 1234)'
 * ```
 */
export function recordPlace(file: string, line: number, offset: number): string {
  return `journal ${file} line ${line} (byte ${offset})`;
}
