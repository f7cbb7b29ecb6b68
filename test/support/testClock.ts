import { SimulatedClock } from 'xstate';

type Timeouts = Map<number, { start: number; timeout: number }>;

/**
 * A SimulatedClock that behaves like real time when it jumps far ahead.
 *
 * SimulatedClock.increment(ms) fires every timer due in the span, but a timer scheduled by one of
 * those callbacks starts at the end of the span (and a zero-delay one scheduled by the last callback
 * is not fired at all). `advance(ms)` instead stops at each due time in order, so a chain of timers
 * (decay steps, a re-armed deadline) runs as it would on a real event loop.
 */
export class TestClock extends SimulatedClock {
  advance(ms: number): void {
    const target = this.now() + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.nextDue();
      if (due === undefined || due > target) {
        this.set(target);
        return;
      }
      this.set(Math.max(due, this.now()));
    }
    throw new Error('TestClock.advance: timers keep rescheduling at the same instant');
  }

  /** Moves the clock to `time` but leaves every due timer pending, as a busy event loop does. */
  arriveBeforeTimers(time: number): void {
    if (time < this.now()) throw new Error('Unable to travel back in time');
    (this as unknown as { _now: number })._now = time;
  }

  private nextDue(): number | undefined {
    let soonest: number | undefined;
    for (const t of (this as unknown as { timeouts: Timeouts }).timeouts.values()) {
      const end = t.start + t.timeout;
      if (soonest === undefined || end < soonest) soonest = end;
    }
    return soonest;
  }
}
