/**
 * The longest delay `setTimeout` honours; a larger one (or `Infinity`) fires at once, which
 * would turn "no limit" into "fail immediately".
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The SDK client `timeout` used when none is given (`sdkClientFor` without `timeoutMs`): two
 * minutes, instead of the SDKs' ten, so a hung backend is noticed within a turn.
 *
 * @example
 * ```ts
 * const client = await sdkClientFor(entry); // timeout: DEFAULT_SDK_TIMEOUT_MS
 * ```
 */
export const DEFAULT_SDK_TIMEOUT_MS = 120_000;

/**
 * A timer delay from a configured limit, or `undefined` for "no limit" (`0`, negative,
 * `Infinity`, `NaN`): the caller then arms no timer. Values past `setTimeout`'s range count as
 * no limit too, since they would otherwise fire at once.
 *
 * @example
 * ```ts
 * timerDelay(10_000); // 10000
 * timerDelay(Number.POSITIVE_INFINITY); // undefined
 * ```
 */
export function timerDelay(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMER_MS) return undefined;
  return Math.ceil(ms);
}

/**
 * The value for the SDKs' `timeout` option, which must be a positive integer (both SDKs
 * validate it and throw otherwise): the limit rounded up, or the largest timer when the limit
 * means "none".
 *
 * @example
 * ```ts
 * sdkTimeoutMs(1500.5); // 1501
 * sdkTimeoutMs(0); // 2147483647
 * ```
 */
export function sdkTimeoutMs(ms: number): number {
  return timerDelay(ms) ?? MAX_TIMER_MS;
}
