import type { ClassifiedFailure } from '../classify/failure.js';

/**
 * The main reply could not be produced. `failure` is the failure to show (a request fault with
 * the provider's reason, an abort, or the last backend failure); `noHealthyUntil` is set when no
 * backend could even be tried, with the soonest time one recovers.
 *
 * @example
 * ```ts
 * try { await turn.main(request); }
 * catch (e) { if (e instanceof RoutingError && e.noHealthyUntil) console.log(`all backends down until ${new Date(e.noHealthyUntil)}`); }
 * ```
 */
export class RoutingError extends Error {
  override readonly name = 'RoutingError';
  constructor(
    message: string,
    readonly failure: ClassifiedFailure | null,
    readonly noHealthyUntil: number | null,
    readonly attempts: readonly { readonly label: string; readonly failure?: ClassifiedFailure }[],
  ) {
    super(message);
  }
}
