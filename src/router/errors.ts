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

/**
 * A request the router refused before anything ran: nested deeper than `limits.maxRequestDepth`
 * or larger than `limits.maxRequestChars` (see `checkRequestLimits`). No backend was called and
 * nothing was recorded; sending it would only fail in this process (a request nested a few
 * thousand levels deep overflows the stack of the SDK's `JSON.stringify`) or be refused by the
 * provider. `field` names where: the too-deep branch, or the largest string of a too-large request.
 *
 * @example
 * ```ts
 * import { RequestLimitError } from 'llm-health-router';
 * try { await turn.main(request); }
 * catch (e) {
 *   if (e instanceof RequestLimitError) console.error(`fix ${e.field}: ${e.message}`); // e.g. tools[0].inputSchema.properties.a…
 * }
 * ```
 */
export class RequestLimitError extends Error {
  override readonly name = 'RequestLimitError';
  constructor(
    message: string,
    /** The field, as a path into the request (`tools[0].inputSchema.properties.a…`), cut to one short line. */
    readonly field: string,
    /** The limit that was crossed, by its option name. */
    readonly limit: 'maxRequestDepth' | 'maxRequestChars',
    /** That limit's value. */
    readonly max: number,
  ) {
    super(message);
  }
}
