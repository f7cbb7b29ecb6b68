/**
 * The clock interface XState actors accept, plus nothing: `now`, `setTimeout`, `clearTimeout`.
 * The real one is {@link systemClock}; {@link VirtualClock} and {@link ReplayClock} simulate time.
 *
 * @example
 * ```ts
 * import { systemClock, type Clock } from 'llm-health-router';
 * const clock: Clock = systemClock;
 * clock.now(); // Date.now()
 * ```
 */
export interface Clock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * Wall-clock time and Node's timers. Timers are `unref()`ed: a pending cooldown must never keep an
 * agent's process alive after its work is done.
 *
 * @example
 * ```ts
 * import { systemClock } from 'llm-health-router';
 * const id = systemClock.setTimeout(() => console.log('probe now'), 30_000);
 * systemClock.clearTimeout(id);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, timeout) => {
    const handle = setTimeout(fn, timeout);
    handle.unref();
    return handle;
  },
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};
