import type { HealthChangedEvent } from '../../machines/backendHealth.machine.js';
import { VirtualClock } from '../clock/virtualClock.js';
import type { HealthFact } from '../journal/facts.js';
import type { Journal, JournalContents, JournalSnapshot } from '../journal/journal.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import type { BackendHealthView } from '../registry/backendView.js';
import type { HealthRegistry } from '../registry/healthRegistry.js';
import { openHealthRegistry } from '../registry/openHealthRegistry.js';
import type { HealthHistory } from './healthHistory.js';

/**
 * A journal folded on a simulated clock, one fact at a time, so a caller can stream facts through
 * it without holding them: the same statechart the live registry runs, fed the facts at their own
 * times. It can start from a journal snapshot (the registry's own restore: stored backends, woken
 * at their deadlines) and fold a lead-in silently, then record a range — the facts, every change
 * they and the timers caused, the state at the range's start — which is what `healthHistory`,
 * `reportHistory` and the CLI's `status`, `replay` and `report` are made of.
 *
 * @internal
 * @example
 * ```ts
 * const fold = new HistoryFold({ snapshot });
 * await fold.begin(snapshot.at);
 * fold.record(snapshot.at);
 * for (const fact of tail) fold.apply(fact);
 * fold.runTo(Date.now());
 * const history = fold.history(Date.now());
 * await fold.close();
 * ```
 */
export class HistoryFold {
  private registry: HealthRegistry | undefined;
  private clock: VirtualClock | undefined;
  private recordFrom: number | undefined;
  private recordStart: number | undefined;
  private initialViews: BackendHealthView[] | undefined;
  private readonly factsKept: HealthFact[] = [];
  private readonly changesKept: HealthChangedEvent[] = [];
  private readonly timelineKept: ({ fact: HealthFact } | { change: HealthChangedEvent })[] = [];
  /** The last journaled success of each backend among the facts folded (a snapshot does not keep successes). */
  readonly lastSuccesses = new Map<string, number>();
  /** `lastSuccesses` as they were when recording began (the state a range starts in). */
  successesAtStart: ReadonlyMap<string, number> = new Map();
  /** Warnings from opening the fold (a snapshot folded under another policy). */
  readonly warnings: string[] = [];
  /** Facts folded so far, lead-in included. */
  folded = 0;
  private snapshotAdopted = false;

  constructor(private readonly options: { readonly policy?: HealthPolicy | ((key: string) => HealthPolicy); readonly snapshot?: JournalSnapshot; readonly location?: string } = {}) {}

  /** Whether `begin` ran. */
  get started(): boolean {
    return this.registry !== undefined;
  }

  /**
   * Whether the snapshot was taken over. False when none was given, or when it was folded under
   * another policy than this fold's (the registry's rule): then the fold starts empty and the
   * caller must fold the journal from its first fact instead; `warnings` says so.
   */
  get fromSnapshot(): boolean {
    return this.snapshotAdopted;
  }

  /** The simulated time. */
  now(): number {
    return this.clockOf().now();
  }

  /** Opens the fold with its clock at `at`: the snapshot's time, or the first fact's. */
  async begin(at: number): Promise<void> {
    if (this.registry) throw new Error('HistoryFold already began');
    const clock = new VirtualClock(at);
    const snapshot = this.options.snapshot;
    let ignored = false;
    const source: Journal = {
      location: this.options.location ?? 'history',
      append: () => {
        throw new Error('a history fold never appends');
      },
      load: async (how?: { readonly ignoreSnapshot?: boolean }): Promise<JournalContents> => {
        if (how?.ignoreSnapshot) ignored = true;
        return { ...(snapshot && !ignored ? { snapshot } : {}), facts: [], position: 0, warnings: [] };
      },
      saveSnapshot: async () => {},
      flush: async () => {},
      close: async () => {},
    };
    // Opening through the registry's own restore: a snapshot under another policy is refused there, the same way.
    this.registry = await openHealthRegistry({ journal: source, clock, compactEvery: 0, ...(this.options.policy ? { policy: this.options.policy } : {}) });
    this.clock = clock;
    this.snapshotAdopted = snapshot !== undefined && !ignored;
    this.warnings.push(...this.registry.warnings);
    this.registry.health$.subscribe((change) => {
      if (this.recordFrom === undefined || change.at < this.recordFrom) return;
      this.changesKept.push(change);
      this.timelineKept.push({ change });
    });
  }

  /**
   * Starts recording at `from`: what happened before it (the snapshot, the facts folded so far,
   * timers due before it) is the state the range starts in, kept as `initial` when there was any.
   */
  record(from: number): void {
    const clock = this.clockOf();
    // Timers due before `from` fire unrecorded; one due exactly at `from` is the range's first change.
    if (from - 1 > clock.now()) clock.advanceTo(from - 1);
    if (this.folded > 0 || this.snapshotAdopted) this.initialViews = this.registryOf().all(Math.max(clock.now(), from - 1));
    this.successesAtStart = new Map(this.lastSuccesses);
    this.recordFrom = from;
    this.recordStart = from;
  }

  /** Folds one fact at its own time (never moving the clock back), recording it when recording. */
  apply(fact: HealthFact): void {
    const clock = this.clockOf();
    if (fact.at > clock.now()) clock.advanceTo(fact.at);
    if (this.recordFrom !== undefined) {
      this.factsKept.push(fact);
      this.timelineKept.push({ fact });
    }
    if (fact.type === 'call.succeeded' && fact.at >= (this.lastSuccesses.get(fact.backend) ?? -Infinity)) this.lastSuccesses.set(fact.backend, fact.at);
    this.registryOf().apply(fact);
    this.folded += 1;
  }

  /** Runs the clock to `time` (never back), firing the timers due on the way. */
  runTo(time: number): void {
    const clock = this.clockOf();
    if (time > clock.now()) clock.advanceTo(time);
  }

  /** Every backend's health at `at` (default: now), sorted by key. */
  backends(at = this.now()): BackendHealthView[] {
    return this.registryOf().all(at);
  }

  /** What was recorded, as a history ending at `end` (run the clock there first). */
  history(end: number): HealthHistory {
    const start = this.recordStart ?? end;
    return {
      facts: this.factsKept,
      changes: this.changesKept,
      timeline: this.timelineKept,
      start,
      end,
      backends: this.backends(end),
      ...(this.initialViews ? { initial: this.initialViews } : {}),
    };
  }

  async close(): Promise<void> {
    await this.registry?.close();
  }

  private clockOf(): VirtualClock {
    if (!this.clock) throw new Error('HistoryFold has not begun');
    return this.clock;
  }

  private registryOf(): HealthRegistry {
    if (!this.registry) throw new Error('HistoryFold has not begun');
    return this.registry;
  }
}
