import type { ClassifiedFailure } from '../classify/failure.js';
import type { JournalNotice } from '../journal/journalStatus.js';

/**
 * Structured notices the embedding app renders as it likes (or not at all): nothing is printed
 * by the library.
 *
 * - `fallback.activated`: the main reply was served by a fallback; the session stays there
 *   (sticky) until the primary is routable again.
 * - `primary.restored`: the primary served the main reply again after the session sat on a fallback.
 * - `auxiliary.failed`: an auxiliary task or title was tried and failed everywhere it could go.
 * - `auxiliary.skipped`: nothing healthy could take an auxiliary task or title; no request was sent.
 * - `journal.degraded` / `journal.recovered`: the registry's journal stopped taking facts (health
 *   goes on in memory; the facts wait) and took them all again — once per outage each, passed on
 *   from the registry's `notices$` (a router made while an outage lasts hears only its end).
 *
 * @example
 * ```ts
 * router.notices$.subscribe((n) => n.type === 'fallback.activated' && console.log(`using ${n.to} (${n.reason})`));
 * ```
 */
export type RouterNotice =
  | { readonly type: 'fallback.activated'; readonly turnId: string; readonly from: string; readonly to: string; readonly reason: string }
  | { readonly type: 'primary.restored'; readonly turnId: string; readonly from: string; readonly to: string }
  | { readonly type: 'auxiliary.failed'; readonly turnId: string; readonly task: string; readonly failure: ClassifiedFailure }
  | { readonly type: 'auxiliary.skipped'; readonly turnId: string; readonly task: string; readonly until: number | null }
  | JournalNotice;
