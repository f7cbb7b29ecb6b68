import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { VirtualClock } from './virtualClock.js';

/**
 * The clock of a rehydration: simulated while the journal is replayed (time jumps to each fact's
 * `at`, and every timer due on the way fires in order), then live. `goLive()` fires what fell due
 * between the last fact and now, and hands every still-pending timer over to the live clock at its
 * original due time. Actors keep one clock for life, so this is the one they are created with.
 *
 * @example
 * ```ts
 * import { ReplayClock } from 'llm-health-router';
 * const clock = new ReplayClock(firstFactAt);
 * clock.advanceTo(fact.at); // during replay
 * clock.goLive(); // afterwards: now() is the live clock's
 * ```
 */
export class ReplayClock implements Clock {
  private readonly virtual: VirtualClock;
  private live = false;
  private nextId = 1;
  /** Our timer ids → the callback and the virtual clock's id (while replaying) or the live clock's handle. */
  private readonly handles = new Map<number, { run: () => void; virtual?: number; live?: unknown }>();

  constructor(
    start: number,
    private readonly liveClock: Clock = systemClock,
  ) {
    this.virtual = new VirtualClock(start);
  }

  get isLive(): boolean {
    return this.live;
  }

  now(): number {
    return this.live ? this.liveClock.now() : this.virtual.now();
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = this.nextId++;
    const run = () => {
      this.handles.delete(id);
      fn();
    };
    this.handles.set(id, this.live ? { run, live: this.liveClock.setTimeout(run, timeout) } : { run, virtual: this.virtual.setTimeout(run, timeout) });
    return id;
  }

  clearTimeout(id: unknown): void {
    const handle = this.handles.get(id as number);
    if (!handle) return;
    this.handles.delete(id as number);
    if (handle.virtual !== undefined) this.virtual.clearTimeout(handle.virtual);
    if (handle.live !== undefined) this.liveClock.clearTimeout(handle.live);
  }

  /** Replay only: moves simulated time to `time` (never backwards), firing due timers in order. */
  advanceTo(time: number): void {
    if (this.live) throw new Error('ReplayClock is live: time is no longer simulated');
    this.virtual.advanceTo(Math.max(time, this.virtual.now()));
  }

  /** Ends the replay: catches up to the live clock's now, then moves the pending timers onto it. */
  goLive(): void {
    if (this.live) return;
    this.virtual.advanceTo(Math.max(this.liveClock.now(), this.virtual.now()));
    const idOf = new Map<() => void, number>();
    for (const [id, handle] of this.handles) idOf.set(handle.run, id);
    this.live = true;
    for (const { due, fn } of this.virtual.takePending()) {
      const id = idOf.get(fn);
      if (id === undefined) continue;
      this.handles.set(id, { run: fn, live: this.liveClock.setTimeout(fn, Math.max(0, due - this.liveClock.now())) });
    }
  }
}
