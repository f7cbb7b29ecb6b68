import { Subject, type Observable } from 'rxjs';
import type { Clock } from '../clock/clock.js';
import { factProblem } from './factSchema.js';
import type { HealthFact } from './facts.js';
import type { Journal } from './journal.js';
import { journalFailure, type JournalFailure, type JournalNotice, type JournalStatus } from './journalStatus.js';

/** How many waiting facts one retry tick writes before yielding the event loop. */
const RETRY_BATCH = 256;

/**
 * How the registry's writer treats a journal that cannot be written.
 *
 * @example
 * ```ts
 * const options: JournalBacklogOptions = { maxFacts: 10_000, retryMs: 1_000 };
 * ```
 */
export interface JournalBacklogOptions {
  /** Facts kept while the journal cannot be written; beyond it the oldest are dropped (default 10000). */
  readonly maxFacts?: number;
  /** How often the waiting facts are retried (default 1000 ms). */
  readonly retryMs?: number;
}

/**
 * Writes a registry's facts to any {@link Journal}, best effort: a write that fails never reaches
 * the caller. The fact goes into a bounded backlog (oldest dropped first, counted) and the
 * backlog is retried on a timer, oldest first, in batches; while facts wait, a new fact goes
 * behind them, so the journal receives every kept fact in the order it was recorded.
 *
 * Why here and not in the file journal: the `Journal` interface stays "append writes or throws",
 * so every implementation (the file, memory, a future Redis journal) gets the same outage
 * behaviour, and the journal never holds facts a reader cannot see. Why retries run on the timer
 * only (not inside the next append): a user's call must not pay for a disk that is still full, nor,
 * once it is writable again, for writing the whole backlog.
 *
 * It reports each outage once: `journal.degraded` at the first failure, `journal.recovered` when
 * the backlog is empty again. The retry timer runs on the given clock (the system clock's timers
 * are `unref()`ed, so it never keeps a process alive).
 *
 * @internal
 * @example
 * ```ts
 * const writer = new JournalWriter(fileJournal(path), systemClock);
 * writer.notices$.subscribe((n) => console.warn(n.message));
 * writer.write(fact); // never throws for a full disk
 * writer.status(); // { ok: false, pending: 1, error: { code: 'ENOSPC', … }, … }
 * ```
 */
export class JournalWriter {
  private readonly maxFacts: number;
  private readonly retryMs: number;
  /** Waiting facts, oldest at `head` (an array and an index: dropping and writing the oldest cost O(1)). */
  private waiting: HealthFact[] = [];
  private head = 0;
  private degradedSince: number | undefined;
  private lastError: JournalFailure | undefined;
  private writtenInOutage = 0;
  private droppedInOutage = 0;
  private dropped = 0;
  private errors = 0;
  private timer: unknown;
  private stopped = false;
  private readonly noticeSubject = new Subject<JournalNotice>();

  /** `journal.degraded` and `journal.recovered`, once per outage each. */
  readonly notices$: Observable<JournalNotice> = this.noticeSubject.asObservable();

  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    options: JournalBacklogOptions = {},
  ) {
    this.maxFacts = options.maxFacts ?? 10_000;
    this.retryMs = options.retryMs ?? 1_000;
    if (!(Number.isSafeInteger(this.maxFacts) && this.maxFacts > 0)) throw new RangeError(`journalBacklog.maxFacts must be a positive integer, got ${String(options.maxFacts)}`);
    if (!(Number.isFinite(this.retryMs) && this.retryMs > 0)) throw new RangeError(`journalBacklog.retryMs must be a positive number of milliseconds, got ${String(options.retryMs)}`);
  }

  /**
   * Writes a fact now if nothing is waiting, else queues it behind the waiting ones. Throws only
   * for a fact that is not valid (a bug in the caller, not an outage: a record the schema rejects
   * would block the backlog and make the file unloadable).
   */
  write(fact: HealthFact): void {
    if (this.stopped) throw new Error(`journal writer for ${this.journal.location} is stopped`);
    const problem = factProblem(fact);
    if (problem !== undefined) throw new TypeError(`refusing to journal an invalid fact (${problem})`);
    if (this.pending === 0) {
      try {
        this.journal.append(fact);
        return;
      } catch (error) {
        this.failed(error);
      }
    }
    this.keep(fact);
    this.schedule(this.retryMs);
  }

  /** Where the journal stands: nothing waiting (`ok`), or how far behind it is and why. */
  status(): JournalStatus {
    return {
      ok: this.degradedSince === undefined,
      location: this.journal.location,
      ...(this.degradedSince !== undefined ? { degradedSince: this.degradedSince } : {}),
      ...(this.degradedSince !== undefined && this.lastError ? { error: this.lastError } : {}),
      pending: this.pending,
      dropped: this.dropped,
      errors: this.errors,
    };
  }

  /**
   * Tries to write every waiting fact now (the timer does it by itself; this is for a shutdown, or
   * a test). Returns whether nothing is left waiting.
   */
  retryNow(): boolean {
    return this.drain(Number.POSITIVE_INFINITY) === 'done';
  }

  /**
   * Stops the retries after one last attempt to write what waits, and ends `notices$`. Returns how
   * many facts could not be written (they are lost with the process).
   */
  stop(): number {
    if (this.stopped) return this.pending;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.drain(Number.POSITIVE_INFINITY);
    this.stopped = true;
    this.noticeSubject.complete();
    return this.pending;
  }

  private get pending(): number {
    return this.waiting.length - this.head;
  }

  private keep(fact: HealthFact): void {
    if (this.pending >= this.maxFacts) {
      this.head += 1;
      this.dropped += 1;
      this.droppedInOutage += 1;
    }
    this.waiting.push(fact);
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  private failed(error: unknown): void {
    this.errors += 1;
    this.lastError = journalFailure(error);
    if (this.degradedSince !== undefined) return;
    const at = this.clock.now();
    this.degradedSince = at;
    this.writtenInOutage = 0;
    this.droppedInOutage = 0;
    const { location } = this.journal;
    this.noticeSubject.next({
      type: 'journal.degraded',
      location,
      at,
      error: this.lastError,
      message: `journal ${location} cannot be written (${this.lastError.message}); health goes on in memory, and the facts wait (up to ${this.maxFacts}) to be written, retried every ${this.retryMs} ms`,
    });
  }

  /** Writes up to `limit` waiting facts, oldest first, stopping at the first failure. */
  private drain(limit: number): 'done' | 'more' | 'failed' {
    for (let written = 0; this.pending > 0 && written < limit; written++) {
      try {
        this.journal.append(this.waiting[this.head]!);
      } catch (error) {
        this.failed(error);
        return 'failed';
      }
      this.waiting[this.head] = undefined as unknown as HealthFact; // let it be collected
      this.head += 1;
      this.writtenInOutage += 1;
    }
    if (this.pending > 0) return 'more';
    this.waiting = [];
    this.head = 0;
    if (this.degradedSince !== undefined) this.recovered();
    return 'done';
  }

  private recovered(): void {
    const since = this.degradedSince!;
    this.degradedSince = undefined;
    this.lastError = undefined;
    const { location } = this.journal;
    const written = this.writtenInOutage;
    const dropped = this.droppedInOutage;
    this.noticeSubject.next({
      type: 'journal.recovered',
      location,
      at: this.clock.now(),
      since,
      written,
      dropped,
      message: `journal ${location} is written again: ${written} waiting fact${written === 1 ? '' : 's'} written in order${dropped > 0 ? `, ${dropped} dropped while the backlog was full` : ''}`,
    });
  }

  private schedule(delay: number): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      const result = this.drain(RETRY_BATCH);
      // A batch written and more waiting: go on at once (a later tick); a failure: wait the interval.
      if (result !== 'done') this.schedule(result === 'more' ? 0 : this.retryMs);
    }, delay);
  }
}
