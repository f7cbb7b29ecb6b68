import type { ClassifiedFailure } from '../classify/failure.js';
import type { ClassifyOptions } from '../classify/options.js';
import type { BackendEntry } from '../config/routerConfig.js';
import type { NeutralRequest, NeutralResponse } from './neutral.js';

/**
 * Limits for one call. Every call has an overall deadline, so nothing hangs.
 *
 * @example
 * ```ts
 * const limits: CallLimits = { timeoutMs: 120_000, firstTokenTimeoutMs: 10_000, idleTimeoutMs: 20_000 };
 * ```
 */
export interface CallLimits {
  /** The whole call, first byte to last. */
  readonly timeoutMs: number;
  /** Streaming: the first content must arrive within this. */
  readonly firstTokenTimeoutMs: number;
  /** Streaming: no gap between events longer than this. */
  readonly idleTimeoutMs: number;
  /**
   * The deepest nesting of objects and arrays a request may have (default 128): a deeper one is
   * refused by the router before anything runs (`RequestLimitError`). Real tool schemas nest a few
   * dozen levels at most; a few thousand overflow the stack of the SDKs' `JSON.stringify`.
   */
  readonly maxRequestDepth?: number;
  /**
   * The largest request, in characters of its JSON text (default 32 MiB, the Anthropic API's own
   * request limit), refused the same way. Counted as a lower bound (see `checkRequestLimits`).
   */
  readonly maxRequestChars?: number;
}

/**
 * What one call ended with: a validated answer, or one classified failure (the error that caused
 * it kept for the caller). A transport never throws for a backend's failure.
 *
 * @example
 * ```ts
 * const outcome = await transport.call(entry, request, { limits });
 * if (!outcome.ok) console.log(outcome.failure.kind);
 * ```
 */
export type CallOutcome =
  | { readonly ok: true; readonly response: NeutralResponse }
  | { readonly ok: false; readonly failure: ClassifiedFailure; readonly error: unknown };

/**
 * Sends a neutral request to one backend entry over its api mode's wire API (the real SDKs, SDK
 * retries off), and validates the answer: empty or non-JSON answers and streams that end without
 * their terminal event are failures, never successes.
 *
 * @example
 * ```ts
 * const outcome = await sdkTransport().call(entry, request, { limits, signal, onText: (t) => process.stdout.write(t) });
 * ```
 */
export interface Transport {
  call(
    entry: BackendEntry,
    request: NeutralRequest,
    options: {
      readonly limits: CallLimits;
      readonly signal?: AbortSignal;
      readonly onText?: (delta: string) => void;
      /** How to classify failures (crash signatures, hint bounds): the router passes its health policy's. */
      readonly classify?: ClassifyOptions;
    },
  ): Promise<CallOutcome>;
}
