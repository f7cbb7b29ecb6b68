import type { ClassifiedFailure } from '../classify/failure.js';

/**
 * The `error` of a failed {@link CallOutcome} when nothing was thrown: the answer failed
 * validation (an empty or non-JSON answer, a stream without its terminal event) or a deadline cut
 * the call. It carries the failure, so code that only keeps the error still knows why.
 *
 * @example
 * ```ts
 * const outcome = await transport.call(entry, request, { limits });
 * if (!outcome.ok && outcome.error instanceof TransportError) console.log(outcome.error.failure.reason);
 * ```
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(readonly failure: ClassifiedFailure) {
    super(failure.message);
  }
}
