import { SimulatedClock } from 'xstate';

/**
 * A SimulatedClock that can also reach a time without firing the timers due then, as a busy event
 * loop does in real life: a fact stamped at a deadline can arrive before that deadline's timer.
 * SimulatedClock.set() always flushes, so this reaches into its `_now` field (stable in xstate 5.x).
 */
export class LateTimerClock extends SimulatedClock {
  /** Moves the clock to `time` but leaves every due timer pending until the next set()/increment(). */
  arriveBeforeTimers(time: number): void {
    if (time < this.now()) throw new Error('Unable to travel back in time');
    (this as unknown as { _now: number })._now = time;
  }
}
