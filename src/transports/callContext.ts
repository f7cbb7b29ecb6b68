import type { ClassifyOptions } from '../classify/options.js';
import type { CallLimits } from './transport.js';

/**
 * What one call needs besides the entry and the request: its limits, the caller's signal, the
 * text callback and the classifier options.
 *
 * @example
 * ```ts
 * const context: CallContext = { limits: { timeoutMs: 60_000, firstTokenTimeoutMs: 10_000, idleTimeoutMs: 20_000 } };
 * ```
 */
export interface CallContext {
  readonly limits: CallLimits;
  readonly signal?: AbortSignal | undefined;
  readonly onText?: ((delta: string) => void) | undefined;
  readonly classify?: ClassifyOptions | undefined;
}
