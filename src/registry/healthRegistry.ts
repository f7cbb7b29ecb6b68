import { Subject, type Observable } from 'rxjs';
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { backendHealthMachine, nextTimerAt, type BackendHealthEvent, type HealthChangedEvent } from '../../machines/backendHealth.machine.js';
import type { ClassifiedFailure } from '../classify/failure.js';
import type { Clock } from '../clock/clock.js';
import { admitsPanicProbe } from '../health/panicProbe.js';
import { probeInFlight, routability, type BackendHealthSnapshot, type Routability } from '../health/routability.js';
import type { CallPurpose, HealthFact, JournaledFailure } from '../journal/facts.js';
import type { Journal, JournalSnapshot, StoredHealth } from '../journal/journal.js';
import type { JournalNotice, JournalStatus } from '../journal/journalStatus.js';
import { JournalWriter, type JournalBacklogOptions } from '../journal/journalWriter.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import { maskSecrets } from '../security/maskSecrets.js';
import { MinHeap } from '../util/minHeap.js';
import { factEvent } from './factEvent.js';
import { resolveStored, restoreHealth, storeHealth } from './storedHealth.js';
import { backendView, type BackendHealthView } from './backendView.js';
import { markWriterOpen, writerIsGone } from './writerId.js';

type HealthActor = Actor<typeof backendHealthMachine>;

/** A backend never seen is healthy; the answer is shared (it is immutable). */
const NEVER_SEEN: Routability = Object.freeze({ routable: true, as: 'call', status: 'healthy' });

/** How many stored backends one wake-up tick brings up to date. */
const WAKE_BATCH = 200;

/** Whether stored health is in a state with a probe in flight (half-open probing, or an early probe in cooldown). */
function storedProbing(stored: StoredHealth): boolean {
  const value = stored['value'] as { degraded?: { recovering?: unknown }; cooldown?: unknown } | string | undefined;
  return typeof value === 'object' && value !== null && (value.degraded?.recovering === 'probing' || value.cooldown === 'probing');
}

function deadlineOf(stored: StoredHealth): number | undefined {
  const context = stored['context'] as { deadline?: unknown; probeAt?: unknown } | undefined;
  const deadline = typeof context?.deadline === 'number' ? context.deadline : null;
  const probeAt = typeof context?.probeAt === 'number' ? context.probeAt : null;
  return nextTimerAt({ deadline, probeAt }) ?? undefined;
}

/** A backend known to the registry: a live actor, or stored health waiting for its next fact or deadline. */
type Entry = { actor: HealthActor } | { stored: StoredHealth; resolved?: BackendHealthSnapshot };

/**
 * A fact as a caller records it: the registry stamps `v`, `at` (always its clock's now: a fact is
 * recorded when it is learned, so the journal's order is time order and a replay that moves its
 * clock to each `at` sees what the live run saw), `writer`, `seq`, a call's `startedAt` (default
 * `at`, never after it) and a failure's `jitterSample`.
 *
 * @example
 * ```ts
 * const input: FactInput = { type: 'call.failed', backend: key, purpose: 'title', turnId: 't-7', failure: classifyError(error) };
 * ```
 */
export type FactInput =
  | { type: 'call.succeeded'; backend: string; startedAt?: number; turnId?: string; purpose?: CallPurpose }
  | {
      type: 'call.failed';
      backend: string;
      failure: JournaledFailure | ClassifiedFailure;
      startedAt?: number;
      jitterSample?: number;
      turnId?: string;
      purpose?: CallPurpose;
    }
  | { type: 'probe.started'; backend: string; turnId?: string; purpose?: CallPurpose; panic?: boolean }
  | { type: 'probe.abandoned'; backend: string; claimedBy: string; claim?: number; turnId?: string; purpose?: CallPurpose }
  | { type: 'backend.reset'; backend: string; reason?: string; purpose?: CallPurpose };

/** What the registry is built from; `openHealthRegistry` fills these in. */
export interface HealthRegistryParts {
  readonly journal: Journal;
  readonly clock: Clock;
  readonly policyFor: (key: string) => HealthPolicy;
  readonly random: () => number;
  readonly writer: string;
  readonly inspect?: (event: InspectionEvent) => void;
  /** Folds the journal into a snapshot (see `compactJournal`). */
  readonly compact: () => Promise<unknown>;
  /** Compact in the background after this many appended facts (0: never). */
  readonly compactEvery: number;
  /** How facts that cannot be written wait (see `JournalWriter`). */
  readonly journalBacklog?: JournalBacklogOptions;
}

/**
 * The root of health: one health actor per backend key, fed by facts that are journaled first.
 * Backends restored from a snapshot stay as stored data until a fact or their own deadline
 * needs an actor, so rehydrating many backends costs little; queries read either the same way.
 * Create it with `openHealthRegistry`, which also replays the journal.
 *
 * @example
 * ```ts
 * import { openHealthRegistry, endpointKey, identify, classifyError } from 'llm-health-router';
 * const registry = await openHealthRegistry();
 * const key = endpointKey(identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082' }));
 * registry.record({ type: 'call.failed', backend: key, purpose: 'main', failure: classifyError(error) });
 * registry.routability(key); // { routable: false, status: 'cooldown', until: … }
 * ```
 */
export class HealthRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly successCache = new WeakMap<object, boolean>();
  /** Stored backends by their deadline: one clock timer serves them all (the soonest). */
  private readonly wakeups = new MinHeap<string>();
  private wakeTimer: { id: unknown; due: number } | undefined;
  private readonly healthSubject = new Subject<HealthChangedEvent>();
  private readonly eventsSubject = new Subject<HealthFact>();
  private readonly writer: JournalWriter;
  private seq = 0;
  private closed = false;
  private appendedSinceCompaction = 0;
  private compacting: Promise<void> | undefined;

  /** Every state change of every backend (`health.changed`), as it happens. */
  readonly health$: Observable<HealthChangedEvent> = this.healthSubject.asObservable();
  /**
   * Every fact this registry recorded, once it was handed to the journal: written, or waiting to
   * be written while the journal cannot take it (see `journalStatus`).
   */
  readonly events$: Observable<HealthFact> = this.eventsSubject.asObservable();
  /** `journal.degraded` / `journal.recovered`: once per journal outage each (see `journalStatus`). */
  readonly notices$: Observable<JournalNotice>;
  /** Warnings from loading the journal (a torn last line after a crash …), from background compaction and from closing with facts unwritten. */
  readonly warnings: string[] = [];

  constructor(private readonly parts: HealthRegistryParts) {
    this.writer = new JournalWriter(parts.journal, parts.clock, parts.journalBacklog);
    this.notices$ = this.writer.notices$;
    markWriterOpen(parts.writer, true);
  }

  /** The journal facts go to. */
  get journal(): Journal {
    return this.parts.journal;
  }

  /** The registry's clock: routed calls wait on it too, so simulated time moves them as well. */
  get clock(): Clock {
    return this.parts.clock;
  }

  /** The registry's clock (after rehydration: the live clock). */
  now(): number {
    return this.parts.clock.now();
  }

  /**
   * Whether facts reach the journal: `ok`, or since when they do not, why, and how many wait.
   * Health itself never depends on it.
   */
  journalStatus(): JournalStatus {
    return this.writer.status();
  }

  /**
   * Records a fact: appends it to the journal, publishes it on `events$`, then delivers it to the
   * backend's health actor (created on first sight). A success that would change nothing (a
   * healthy backend, or one never seen) costs no journal write and no actor event: the hot path.
   * A caller's abort is not a fact about the backend and is dropped. Returns the fact as
   * journaled, or `undefined` when nothing was recorded.
   *
   * The journal is best effort: a write that fails (a full disk, a read-only folder) changes
   * nothing here — the fact is published and applied all the same, and waits to be written in
   * order (see `journalStatus`, `notices$`). It never throws for that.
   */
  record(input: FactInput): HealthFact | undefined {
    if (this.closed) throw new Error('health registry is closed');
    if (input.type === 'call.failed' && (input.failure.kind === 'aborted' || input.failure.kind === 'local')) return undefined;
    if (input.type === 'call.succeeded' && this.ignoresSuccesses(input.backend)) return undefined;
    const unnumbered = this.complete(input);
    if (unnumbered.type === 'call.succeeded' && !this.wouldChange(unnumbered.backend, factEvent(unnumbered))) return undefined;
    // The number is taken only once the writer accepted the fact, so a writer's seq has no gaps.
    const fact: HealthFact = { ...unnumbered, seq: this.seq + 1 };
    this.writer.write(fact);
    this.seq = fact.seq!;
    this.eventsSubject.next(fact);
    this.apply(fact);
    this.noteAppended(1);
    return fact;
  }

  /**
   * Frees the probe slots held by claims whose process is gone (a gateway killed while its probe
   * was in flight): for each backend whose probe in flight was claimed by such a writer, a
   * `probe.abandoned` fact is journaled, so the backend is half-open again at once instead of
   * after `probe.timeoutMs`. A claim of a process that still runs — another one sharing the
   * journal — is left alone. `openHealthRegistry` calls it once the journal is folded. Returns
   * the facts written.
   */
  releaseAbandonedProbes(isGone: (writer: string) => boolean = writerIsGone): HealthFact[] {
    const released: HealthFact[] = [];
    for (const [key, entry] of this.entries) {
      // Stored backends are asked only when their stored state is a probe in flight (cheap to read).
      if (!('actor' in entry) && !storedProbing(entry.stored)) continue;
      const snapshot = this.snapshotOf(key);
      const claimer = snapshot?.context.probeBy ?? null;
      if (!snapshot || claimer === null || !probeInFlight(snapshot) || claimer === this.parts.writer || !isGone(claimer)) continue;
      const fact = this.record({ type: 'probe.abandoned', backend: key, claimedBy: claimer, purpose: 'probe' });
      if (fact) released.push(fact);
    }
    return released;
  }

  /**
   * Gives up a probe this registry claimed (`claim`, the `probe.started` fact `record` returned)
   * whose call ended without a fact about that backend: the caller aborted, the request was at
   * fault, the transport sent nothing, or the failure was recorded at the other level. Without
   * this the slot stayed taken until `probe.timeoutMs`, and a cooling backend refused every
   * request meanwhile. Journals `probe.abandoned` naming that very claim, only while it still
   * holds the slot (never a later claim, nor another process's); returns the fact, or
   * `undefined` when there was nothing to give up.
   */
  abandonOwnProbe(claim: HealthFact): HealthFact | undefined {
    if (this.closed || claim.type !== 'probe.started' || claim.writer !== this.parts.writer) return undefined;
    const event: BackendHealthEvent = { type: 'probe.abandoned', at: this.now(), by: claim.writer, ...(claim.seq !== undefined ? { claim: claim.seq } : {}) };
    // Whether the claim still holds the slot is the chart's question (its guard), not asked again here.
    if (!this.wouldChange(claim.backend, event)) return undefined;
    const context = { ...(claim.turnId !== undefined ? { turnId: claim.turnId } : {}) };
    return this.record({ type: 'probe.abandoned', backend: claim.backend, claimedBy: claim.writer, ...(claim.seq !== undefined ? { claim: claim.seq } : {}), ...context, purpose: 'probe' });
  }

  /**
   * Folds the journal into a snapshot now, so the next start replays only what follows. Runs one
   * at a time; the registry also does it by itself every `compactEvery` appended facts.
   */
  compact(): Promise<void> {
    this.compacting ??= this.parts
      .compact()
      .then(
        () => undefined,
        (error: unknown) => void this.warnings.push(`compaction of ${this.parts.journal.location} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  /**
   * Counts facts that a snapshot does not cover yet and compacts once there are enough — not
   * while the journal cannot be written (a snapshot would fail the same way; the count carries
   * over to the first fact after the recovery).
   */
  noteAppended(count: number): void {
    this.appendedSinceCompaction += count;
    if (this.parts.compactEvery > 0 && this.appendedSinceCompaction >= this.parts.compactEvery && !this.compacting && this.writer.status().ok) {
      this.appendedSinceCompaction = 0;
      void this.compact();
    }
  }

  /** Delivers a fact that is already in the journal (replay, or another process's append). */
  apply(fact: HealthFact): void {
    const actor = this.actorFor(fact.backend, fact.at);
    actor.send(factEvent(fact));
  }

  /** The routability of one backend now (or at `now`); a backend never seen is healthy. */
  routability(key: string, now = this.now()): Routability {
    const snapshot = this.snapshotOf(key);
    return snapshot ? routability(snapshot, now) : NEVER_SEEN;
  }

  /** Whether a panic claim would take this backend's probe slot now (see `admitsPanicProbe`); a backend never seen needs none. */
  admitsPanicProbe(key: string, now = this.now()): boolean {
    const snapshot = this.snapshotOf(key);
    return snapshot ? admitsPanicProbe(snapshot, now) : false;
  }

  /** One backend's health as plain data. */
  health(key: string, now = this.now()): BackendHealthView {
    return backendView(key, this.snapshotOf(key), now);
  }

  /** Every backend the registry knows, as plain data, sorted by key. */
  all(now = this.now()): BackendHealthView[] {
    return [...this.entries.keys()].sort().map((key) => this.health(key, now));
  }

  /** The backend that becomes usable soonest among those that are not now, and when; `undefined` if all are usable. */
  soonestRecovery(now = this.now()): { key: string; at: number } | undefined {
    let best: { key: string; at: number } | undefined;
    for (const key of this.entries.keys()) {
      const r = this.routability(key, now);
      if (!r.routable && (!best || r.until < best.at)) best = { key, at: r.until };
    }
    return best;
  }

  /** Everything as plain data: for status tables, the gateway's `/health`, tests. */
  snapshot(now = this.now()): { at: number; backends: BackendHealthView[] } {
    return { at: now, backends: this.all(now) };
  }

  /** Every backend's stored health: the body of a journal snapshot. */
  stored(): Record<string, StoredHealth> {
    const out: Record<string, StoredHealth> = {};
    for (const key of this.entries.keys()) {
      this.snapshotOf(key); // brings an overdue stored backend up to date first
      const entry = this.entries.get(key)!;
      out[key] = 'actor' in entry ? storeHealth(entry.actor.getPersistedSnapshot()) : entry.stored;
    }
    return out;
  }

  /**
   * Takes over the backends of a snapshot as stored data, each brought up to date by a fact, a
   * query, or its own deadline. Nothing is resolved here (that would cost per backend at
   * startup): whether a deadline changes anything is asked of the chart when it comes. The
   * deadline wake-ups start with `startWakeups()`, once the clock is live.
   */
  adopt(snapshot: JournalSnapshot): void {
    for (const [key, stored] of Object.entries(snapshot.backends)) {
      this.entries.set(key, { stored });
      const deadline = deadlineOf(stored);
      if (deadline !== undefined) this.wakeups.push(deadline, key);
    }
  }

  /**
   * Starts waking stored backends at their deadlines. Deadlines that passed while the process was
   * down are worked off in small batches after startup; a query or a fact for one of them brings
   * it up to date at once, so answers are never stale.
   */
  startWakeups(): void {
    this.scheduleWake();
  }

  /** Waits for a running compaction, if any. */
  async settled(): Promise<void> {
    await this.compacting;
  }

  /**
   * Stops every actor and timer and closes the streams at once, then waits for a background
   * compaction still running, so the journal can be closed safely after it. Facts still waiting
   * for an unwritable journal get one last attempt; those it cannot write are lost, with a
   * warning. The journal itself is closed by its owner.
   */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      const unwritten = this.writer.stop();
      if (unwritten > 0) this.warnings.push(`${unwritten} fact${unwritten === 1 ? '' : 's'} could not be written to ${this.parts.journal.location} before the registry closed: lost`);
      markWriterOpen(this.parts.writer, false);
      if (this.wakeTimer) this.parts.clock.clearTimeout(this.wakeTimer.id);
      for (const entry of this.entries.values()) if ('actor' in entry) entry.actor.stop();
      this.healthSubject.complete();
      this.eventsSubject.complete();
    }
    await this.compacting;
  }

  private complete(input: FactInput): HealthFact {
    const at = this.now();
    const common = { v: 1 as const, at, backend: input.backend, writer: this.parts.writer };
    const context = { ...('turnId' in input && input.turnId !== undefined ? { turnId: input.turnId } : {}), ...(input.purpose ? { purpose: input.purpose } : {}) };
    switch (input.type) {
      case 'call.succeeded':
        return { ...common, type: 'call.succeeded', ...context, startedAt: Math.min(input.startedAt ?? at, at) };
      case 'call.failed': {
        const f = input.failure;
        const failure: JournaledFailure = {
          kind: f.kind,
          reason: f.reason,
          // Masked again here: a custom transport or a hand-made failure may not have been.
          ...(f.message !== undefined ? { message: maskSecrets(f.message) } : {}),
          ...(f.status !== undefined ? { status: f.status } : {}),
          ...(f.cooldownHintMs !== undefined ? { cooldownHintMs: f.cooldownHintMs } : {}),
        };
        return { ...common, type: 'call.failed', ...context, startedAt: Math.min(input.startedAt ?? at, at), failure, jitterSample: input.jitterSample ?? this.parts.random() };
      }
      case 'probe.started':
        return { ...common, type: 'probe.started', ...context, ...(input.panic ? { panic: true as const } : {}) };
      case 'probe.abandoned':
        return { ...common, type: 'probe.abandoned', ...context, claimedBy: input.claimedBy, ...(input.claim !== undefined ? { claim: input.claim } : {}) };
      case 'backend.reset':
        return { ...common, type: 'backend.reset', ...context, ...(input.reason !== undefined ? { reason: input.reason } : {}) };
    }
  }

  /**
   * The hot path: does the backend's current state have no transition for a success at all (a
   * healthy backend, or one never seen)? Asked of the chart (the active state nodes' own
   * transitions), cached per snapshot object: snapshots are immutable, so the answer holds until
   * the backend's state changes.
   */
  private ignoresSuccesses(key: string): boolean {
    const snapshot = this.snapshotOf(key);
    if (!snapshot) return true;
    let ignores = this.successCache.get(snapshot);
    if (ignores === undefined) {
      const nodes = (snapshot as unknown as { _nodes: { transitions: Map<string, unknown> }[] })._nodes;
      ignores = !nodes.some((node) => node.transitions.has('call.succeeded'));
      this.successCache.set(snapshot, ignores);
    }
    return ignores;
  }

  /** Would this event make the backend's statechart take a transition? Asked of the chart itself. */
  private wouldChange(key: string, event: BackendHealthEvent): boolean {
    const snapshot = this.snapshotOf(key);
    return snapshot ? snapshot.can(event) : false;
  }

  private snapshotOf(key: string): BackendHealthSnapshot | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if ('actor' in entry) return entry.actor.getSnapshot();
    const deadline = deadlineOf(entry.stored);
    // Its deadline passed (while the process was down, or before the wake-up ran): catch up now.
    if (deadline !== undefined && deadline <= this.now() && this.timerMatters(key, entry)) return this.actorFor(key, this.now()).getSnapshot();
    entry.resolved ??= resolveStored(entry.stored, this.parts.policyFor(key));
    return entry.resolved;
  }

  private actorFor(key: string, at: number): HealthActor {
    const entry = this.entries.get(key);
    if (entry && 'actor' in entry) return entry.actor;
    const policy = this.parts.policyFor(key);
    // The key as id too: the inspector names actors by id, and every health actor runs the same machine.
    const options = { clock: this.parts.clock, id: key, systemId: key, ...(this.parts.inspect ? { inspect: this.parts.inspect } : {}) };
    const actor = entry
      ? createActor(backendHealthMachine, { ...options, snapshot: restoreHealth(entry.stored, policy), input: { key, policy } })
      : createActor(backendHealthMachine, { ...options, input: { key, policy, at } });
    actor.on('health.changed', (e) => this.healthSubject.next(e));
    this.entries.set(key, { actor });
    actor.start();
    // A restored actor has no timers (XState does not persist them): re-enter its state to arm them.
    if (entry) actor.send({ type: 'health.rearm', at: this.now() });
    return actor;
  }

  /** Whether stored health has a timer that would change it (asked of the chart: an `after` it can take). */
  private timerMatters(key: string, entry: { stored: StoredHealth; resolved?: BackendHealthSnapshot }): boolean {
    const snapshot = (entry.resolved ??= resolveStored(entry.stored, this.parts.policyFor(key)));
    const nodes = (snapshot as unknown as { _nodes: { after?: { eventType: string }[] }[] })._nodes;
    return nodes.flatMap((node) => node.after ?? []).some((t) => snapshot.can({ type: t.eventType } as unknown as BackendHealthEvent));
  }

  private scheduleWake(): void {
    const next = this.wakeups.peek();
    if (!next || this.closed) return;
    if (this.wakeTimer && this.wakeTimer.due <= next.due) return;
    if (this.wakeTimer) this.parts.clock.clearTimeout(this.wakeTimer.id);
    const id = this.parts.clock.setTimeout(() => this.wake(), Math.max(0, next.due - this.now()));
    this.wakeTimer = { id, due: next.due };
  }

  /**
   * Stored backends' deadlines came: each gets an actor, whose re-armed timer then fires. At most
   * a batch per tick, so thousands of deadlines that passed during a restart never stall the
   * event loop.
   */
  private wake(): void {
    this.wakeTimer = undefined;
    const now = this.now();
    let handled = 0;
    for (let next = this.wakeups.peek(); next && next.due <= now && handled < WAKE_BATCH; next = this.wakeups.peek()) {
      this.wakeups.pop();
      handled += 1;
      const key = next.value;
      const entry = this.entries.get(key);
      if (entry && !('actor' in entry) && this.timerMatters(key, entry)) this.actorFor(key, now);
    }
    this.scheduleWake();
  }

  /**
   * Forgets a backend whose health holds nothing a never-seen one would not (healthy, level 0, no
   * streak, no timer the chart would still take), so keys made from client input — a gateway
   * `pass_model` route's model names — do not pile up. Health that still matters is kept: it
   * returns whether the key is unknown now. Only this process's memory forgets; the journal keeps
   * the facts until its next compaction.
   */
  forget(key: string): boolean {
    if (!this.entries.has(key)) return true;
    const snapshot = this.snapshotOf(key)!;
    const { status, level, streak, probeAt } = snapshot.context;
    if (status !== 'healthy' || level !== 0 || streak !== 0 || probeAt !== null) return false;
    const nodes = (snapshot as unknown as { _nodes: { after?: { eventType: string }[] }[] })._nodes;
    if (nodes.flatMap((node) => node.after ?? []).some((t) => snapshot.can({ type: t.eventType } as unknown as BackendHealthEvent))) return false;
    const entry = this.entries.get(key)!; // the look above may have woken stored health into an actor
    if ('actor' in entry) entry.actor.stop();
    this.entries.delete(key);
    return true;
  }
}
