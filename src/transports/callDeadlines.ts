import type { ClassifiedFailure } from '../classify/failure.js';
import { makeFailure } from '../classify/makeFailure.js';
import { trackRequest } from './requestProgress.js';
import { timerDelay } from './sdkTimeout.js';
import type { CallLimits } from './transport.js';

/**
 * Which deadline cut a call: the whole call (`timeout`), no content in time
 * (`first_token_timeout`), or a stream that went silent (`stream_stall`).
 *
 * @example
 * ```ts
 * const reason: DeadlineReason = 'stream_stall';
 * ```
 */
export type DeadlineReason = 'timeout' | 'first_token_timeout' | 'stream_stall';

/**
 * The deadlines of one call, enforced through one internal `AbortSignal` that also follows the
 * caller's signal. The SDKs' own `timeout` covers only the wait for response headers, so a body
 * that stalls after them would hang without these.
 *
 * @example
 * ```ts
 * const deadlines = startDeadlines(limits, callerSignal, true);
 * const stream = await client.messages.create(params, { signal: deadlines.signal });
 * deadlines.headers();
 * for await (const event of stream) deadlines.event(isContent(event));
 * deadlines.dispose();
 * ```
 */
export interface CallDeadlines {
  /** Give this to the SDK: it aborts when a deadline passes or the caller aborts. */
  readonly signal: AbortSignal;
  /** The deadline that cut the call, if one did (and the caller had not aborted first). */
  readonly fired: DeadlineReason | undefined;
  /** True once a finished stream was let go after its quiet tail (see `settle`): not a failure. */
  readonly settled: boolean;
  /** Whether the SDK handed the request to `fetch` (see `noteSends`): what the call threw before that never left the process. */
  readonly sent: boolean;
  /**
   * The stream's terminal event arrived: from now on, a quiet spell of `SETTLE_MS` (or the idle
   * timeout, if shorter) ends it as finished — a backend that never sends its closing sentinel,
   * or never closes the connection, must not hold the answer until the idle timeout.
   */
  settle(): void;
  /** The response headers arrived: the idle timer starts. */
  headers(): void;
  /** An event arrived: the idle timer restarts; the first one with content ends the first-token wait. */
  event(content: boolean): void;
  /**
   * Runs the SDK call so the deadlines learn whether its request was written to a connected
   * socket: a deadline that cuts such a call is `connected` (a hung model, not a dead address).
   */
  track<T>(send: () => T): T;
  /** The failure for the deadline that fired, or `undefined`. */
  failure(): ClassifiedFailure | undefined;
  /** Clears every timer and stops following the caller's signal. Idempotent. */
  dispose(): void;
}

/**
 * Starts a call's deadlines: the overall `timeoutMs` always; for a stream, also the first-token
 * wait (from the start of the call, so a backend that never sends headers is cut by it too) and,
 * once headers arrived, the idle timer, restarted by every event (pings included: a backend that
 * sends them is alive). Each deadline that passes aborts the call as a `backend_fault` that is not
 * retried on the same backend: a backend that stayed silent that long will likely do it again.
 * Limits that are `0`, negative or not finite arm no timer.
 *
 * @example
 * ```ts
 * const deadlines = startDeadlines({ timeoutMs: 60_000, firstTokenTimeoutMs: 10_000, idleTimeoutMs: 20_000 }, signal, true);
 * ```
 */
/** How long a stream that already sent its terminal event may stay quiet (for a trailing usage chunk) before it is let go. */
export const SETTLE_MS = 500;

export function startDeadlines(limits: CallLimits, callerSignal: AbortSignal | undefined, streaming: boolean): CallDeadlines {
  const controller = new AbortController();
  const timers = new Map<DeadlineReason | 'settle', NodeJS.Timeout>();
  let fired: DeadlineReason | undefined;
  let settled = false;
  let settling = false;
  let answered = false;
  const progress = { handed: false, connected: false };
  let contentSeen = false;

  const trip = (reason: DeadlineReason): void => {
    // The first cause wins: a caller's abort stays an abort even if a timer passes afterwards.
    if (controller.signal.aborted) return;
    fired = reason;
    controller.abort(new Error(`deadline passed: ${reason}`));
  };
  const arm = (reason: DeadlineReason, ms: number): void => {
    clear(reason);
    const delay = timerDelay(ms);
    if (delay !== undefined && !controller.signal.aborted) timers.set(reason, setTimeout(() => trip(reason), delay));
  };
  const clear = (reason: DeadlineReason | 'settle'): void => {
    const timer = timers.get(reason);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(reason);
  };
  const followCaller = (): void => controller.abort(callerSignal?.reason);

  if (callerSignal?.aborted) followCaller();
  else callerSignal?.addEventListener('abort', followCaller, { once: true });
  arm('timeout', limits.timeoutMs);
  if (streaming) arm('first_token_timeout', limits.firstTokenTimeoutMs);

  return {
    signal: controller.signal,
    get fired() {
      return fired;
    },
    get settled() {
      return settled;
    },
    get sent() {
      return progress.handed;
    },
    settle() {
      if (!streaming || controller.signal.aborted) return;
      settling = true;
      clear('stream_stall');
      clear('settle');
      const delay = timerDelay(Math.min(SETTLE_MS, limits.idleTimeoutMs));
      if (delay !== undefined) {
        timers.set(
          'settle',
          setTimeout(() => {
            if (controller.signal.aborted) return;
            settled = true;
            controller.abort(new Error('the stream finished (terminal event seen) and went quiet'));
          }, delay),
        );
      }
    },
    headers() {
      answered = true;
      if (streaming) arm('stream_stall', limits.idleTimeoutMs);
    },
    event(content) {
      if (!streaming || controller.signal.aborted) return;
      if (settling) this.settle();
      else arm('stream_stall', limits.idleTimeoutMs);
      if (content && !contentSeen) {
        contentSeen = true;
        clear('first_token_timeout');
      }
    },
    track(send) {
      return trackRequest(progress, send);
    },
    failure() {
      if (fired === undefined) return undefined;
      return makeFailure({ kind: 'backend_fault', reason: fired, message: describe(fired, limits), answered, connected: answered || progress.connected, retrySameBackend: false });
    },
    dispose() {
      for (const reason of [...timers.keys()]) clear(reason);
      callerSignal?.removeEventListener('abort', followCaller);
    },
  };
}

function describe(reason: DeadlineReason, limits: CallLimits): string {
  switch (reason) {
    case 'timeout':
      return `no complete answer within ${limits.timeoutMs} ms (call timeout)`;
    case 'first_token_timeout':
      return `no content within ${limits.firstTokenTimeoutMs} ms of the request (first-token timeout)`;
    case 'stream_stall':
      return `the stream sent nothing for ${limits.idleTimeoutMs} ms (idle timeout)`;
  }
}
