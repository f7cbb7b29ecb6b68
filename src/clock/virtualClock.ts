import { MinHeap } from '../util/minHeap.js';

/**
 * A clock for actors that run on simulated time: a demo compressing minutes into a second,
 * a replay of a journal, a test. It implements the clock interface XState actors accept
 * (`now`, `setTimeout`, `clearTimeout`).
 *
 * Unlike xstate's SimulatedClock, moving it forward stops at every due timer in order, so a timer
 * scheduled by a timer callback starts when that callback ran, as on a real event loop (a chain
 * of decay steps, a deadline re-armed at once).
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { VirtualClock, backendHealthMachine } from 'llm-health-router';
 * const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
 * const actor = createActor(backendHealthMachine, { clock, input: { key: 'k', at: clock.now() } }).start();
 * clock.advanceBy(60_000); // timers due in that minute fire in order
 * ```
 */
export class VirtualClock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; order: number; fn: () => void }>();
  /** Due order of the timers; cleared ones stay in the heap until they surface, then are skipped. */
  private readonly queue = new MinHeap<number>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = this.nextId++;
    const due = this.time + Math.max(0, timeout);
    this.timers.set(id, { due, order: id, fn });
    this.queue.push(due, id);
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  /** Moves to `time`, firing every timer due on the way at its own due time. */
  advanceTo(time: number): void {
    if (time < this.time) throw new RangeError(`VirtualClock cannot go back from ${this.time} to ${time}`);
    for (let fired = 0; ; fired++) {
      if (fired > 1_000_000) throw new Error('VirtualClock: timers keep rescheduling at the same instant');
      const next = this.nextDue();
      if (!next || next.due > time) break;
      this.timers.delete(next.id);
      this.time = Math.max(this.time, next.due);
      next.fn();
    }
    this.time = time;
  }

  /** Moves forward by `ms` (see `advanceTo`). */
  advanceBy(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /**
   * Moves to `time` without firing anything, as a busy event loop reaches a deadline before the
   * deadline's timer has run; the next `advanceTo` fires what is due.
   */
  arriveBeforeTimers(time: number): void {
    if (time < this.time) throw new RangeError(`VirtualClock cannot go back from ${this.time} to ${time}`);
    this.time = time;
  }

  /**
   * Removes and returns every pending timer with its due time, in due order: how a replay hands
   * its still-pending deadlines over to a real clock.
   */
  takePending(): { due: number; fn: () => void }[] {
    const pending = [...this.timers.values()].sort((a, b) => a.due - b.due || a.order - b.order).map(({ due, fn }) => ({ due, fn }));
    this.timers.clear();
    this.queue.clear();
    return pending;
  }

  /** The due times of the pending timers, soonest first (what a test checks armed timers against). */
  dueTimes(): number[] {
    return [...this.timers.values()].map((t) => t.due).sort((a, b) => a - b);
  }

  /** How many timers are pending (a drained clock has none). */
  get pending(): number {
    return this.timers.size;
  }

  private nextDue(): { id: number; due: number; fn: () => void } | undefined {
    for (let head = this.queue.peek(); head; head = this.queue.peek()) {
      const timer = this.timers.get(head.value);
      if (timer) return { id: head.value, due: timer.due, fn: timer.fn };
      this.queue.pop(); // cleared or already fired
    }
    return undefined;
  }
}
