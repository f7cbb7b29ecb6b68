/**
 * Virtual time for the code that runs on Node's global timers — the transport's call deadlines,
 * the SDKs' own `timeout`, the fake backend's pauses — while the HTTP stays real.
 *
 * A test that wants to show "cut at 200 ms, not before" on real time has to bound how late the
 * cut may come, and a busy machine crosses any such bound. On virtual timers the test moves time
 * itself: it waits (on real time, for as long as it takes) until the request is where it wants
 * it — the fake received it, the headers or the first text arrived — then moves 199 ms and sees
 * the request still open, then 1 ms more and sees it cut. Nothing but the test moves the virtual
 * time, so a slow machine only makes the test slower.
 *
 * Only `setTimeout` / `clearTimeout` are faked: `setImmediate`, `process.nextTick`, `Date` and
 * `node:timers/promises` stay real, so I/O and the waits below run as usual.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * How long a condition wait may take on real time before the test fails naming what it waited
 * for. Not a measurement: anything under the test timeout (30 s, vitest.config.ts) only decides
 * which message a hung test fails with.
 */
export const CONDITION_BOUND_MS = 20_000;

/** Fakes the global timers for each test of the enclosing block (call after the block's other `afterEach`, so real timers are back before they run). */
export function useVirtualTimers(): void {
  beforeEach(() => {
    // A native timer set before the test (a keep-alive socket, the fake's server) may be cleared during it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldClearNativeTimers: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Moves the virtual time forward, firing every timer due on the way, in order. */
export function advance(ms: number): void {
  vi.advanceTimersByTime(ms);
}

/** Lets pending I/O callbacks and the promise chains they start run (one turn of the event loop). */
export async function ioTurn(): Promise<void> {
  await nextTurn();
}

/** Waits on real time until `done()` (checked after each I/O turn and every few ms), failing after {@link CONDITION_BOUND_MS} naming `what`. */
export async function until(what: string, done: () => boolean, boundMs = CONDITION_BOUND_MS): Promise<void> {
  const giveUp = performance.now() + boundMs;
  for (let turn = 0; !done(); turn++) {
    if (performance.now() > giveUp) throw new Error(`waited ${boundMs} ms (real time) for ${what}`);
    // The first checks are immediate (most conditions are one I/O turn away); then poll gently, so a busy machine is not kept busier.
    if (turn < 20) await nextTurn();
    else await sleep(5);
  }
}

/** Whether `promise` has settled yet (read after letting I/O run). */
export function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

/**
 * A `fetch` for an SDK client (`sdkTransport({ fetch })`) that shows the test where each request
 * is: whether its headers arrived, what of its body the SDK has read, and whether its signal was
 * aborted. The signal is the one the SDK gives `fetch`, linked synchronously to the transport's
 * deadline signal: right after `advance()` it says whether a deadline fired.
 */
export interface ObservedFetch {
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Requests sent so far. */
  readonly sent: number;
  /** Responses whose headers arrived so far. */
  readonly answered: number;
  /** The body text the SDK has read so far, over every response. */
  readonly received: string;
  /** Whether the last request's signal was aborted (a deadline fired, or the caller aborted). */
  readonly aborted: boolean;
  /** Every request sent so far: where to, and the signal the SDK gave it. */
  readonly requests: readonly { readonly url: string; readonly signal: AbortSignal | undefined }[];
}

export function observedFetch(): ObservedFetch {
  let answered = 0;
  let received = '';
  const requests: { url: string; signal: AbortSignal | undefined }[] = [];
  const decoder = new TextDecoder();
  return {
    async fetch(input, init) {
      requests.push({ url: input instanceof Request ? input.url : String(input), signal: init?.signal ?? undefined });
      const response = await fetch(input, init);
      answered += 1;
      if (!response.body) return response;
      // Pass every chunk on as the SDK reads it, noting its text.
      const body = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            received += decoder.decode(chunk, { stream: true });
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
    get sent() {
      return requests.length;
    },
    get answered() {
      return answered;
    },
    get received() {
      return received;
    },
    get aborted() {
      return requests.at(-1)?.signal?.aborted ?? false;
    },
    requests,
  };
}
