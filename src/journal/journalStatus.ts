/**
 * Why the journal could not be written, as an operator needs it: `code` is the error's errno code
 * (`ENOSPC`, `EROFS`, `EFBIG`, `EIO` …), `SHORT_WRITE`, or the error's name for a journal that
 * throws something else; it names no file, so it can be shown to anyone. `message` is the whole
 * error text, which for a file journal contains the path: for the process's own logs only.
 *
 * @example
 * ```ts
 * import type { JournalFailure } from 'llm-health-router';
 * const failure: JournalFailure = { code: 'ENOSPC', message: 'ENOSPC: no space left on device, write' };
 * ```
 */
export interface JournalFailure {
  readonly code: string;
  readonly message: string;
}

/**
 * Whether the registry's facts reach its journal. Health never waits for the journal: a fact that
 * cannot be written still changes health in memory and is kept (in order, up to a bound) until it
 * can be; this says how far behind the journal is.
 *
 * - `ok`: nothing is waiting and the last write worked.
 * - `degradedSince`: when the current outage began (the registry's clock), while it lasts.
 * - `error`: the latest write error of the current outage.
 * - `pending`: facts waiting to be written, oldest first.
 * - `dropped`: facts given up since the registry opened, because more were waiting than the
 *   backlog holds (the oldest go first); a reader of the journal sees their `seq` missing.
 * - `errors`: failed write attempts since the registry opened (first tries and retries).
 *
 * @example
 * ```ts
 * const status = registry.journalStatus();
 * if (!status.ok) console.warn(`journal degraded since ${new Date(status.degradedSince!)}: ${status.error?.code}, ${status.pending} facts waiting`);
 * ```
 */
export interface JournalStatus {
  readonly ok: boolean;
  readonly location: string;
  readonly degradedSince?: number;
  readonly error?: JournalFailure;
  readonly pending: number;
  readonly dropped: number;
  readonly errors: number;
}

/**
 * What the registry says when its journal stops or starts taking facts again: once per outage
 * each, never once per fact. The router passes them on in its `notices$`; `serve` prints them.
 *
 * - `journal.degraded`: a write failed; health goes on in memory, the facts wait (`error` is the
 *   first error of the outage).
 * - `journal.recovered`: every waiting fact is written; `written` of them were written after the
 *   outage began, `dropped` were given up during it (the backlog was full), `since` is when it began.
 *
 * @example
 * ```ts
 * registry.notices$.subscribe((notice) => console.warn(notice.message));
 * // journal /var/lib/agent/health.jsonl cannot be written (ENOSPC: no space left on device, write); …
 * ```
 */
export type JournalNotice =
  | { readonly type: 'journal.degraded'; readonly location: string; readonly at: number; readonly error: JournalFailure; readonly message: string }
  | {
      readonly type: 'journal.recovered';
      readonly location: string;
      readonly at: number;
      readonly since: number;
      readonly written: number;
      readonly dropped: number;
      readonly message: string;
    };

/**
 * The code and text of whatever a journal's `append` threw.
 *
 * @internal
 * @example
 * ```ts
 * journalFailure(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })); // { code: 'ENOSPC', message: … }
 * ```
 */
export function journalFailure(error: unknown): JournalFailure {
  if (!(error instanceof Error)) return { code: 'Error', message: String(error) };
  const code = (error as NodeJS.ErrnoException).code;
  return { code: typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : error.name, message: error.message };
}
