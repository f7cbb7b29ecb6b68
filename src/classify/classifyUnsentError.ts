import { classifyError } from './classifyError.js';
import type { ClassifiedFailure } from './failure.js';
import { localFailure } from './localFailure.js';
import { DEFAULT_CLASSIFY_OPTIONS, type ClassifyOptions } from './options.js';

/**
 * Classifies what a call threw when the request is known never to have been handed to the
 * network (the SDK failed while building or serializing it, or the transport while translating
 * it): the caller's abort stays `aborted` and a request the SDK refuses by its own rule stays a
 * `request_fault` (Anthropic's "Streaming is required"); anything else is `local` / `not_sent`,
 * which is recorded against no backend. `sdkTransport` knows whether a request was sent (it
 * tags each attempt and sees it reach `fetch`); code that does not should use
 * {@link classifyError}.
 *
 * @example
 * ```ts
 * classifyUnsentError(new RangeError('Maximum call stack size exceeded'));
 * // { kind: 'local', reason: 'not_sent', message: 'not sent: RangeError: Maximum call stack size exceeded', answered: false, … }
 * ```
 */
export function classifyUnsentError(error: unknown, options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS): ClassifiedFailure {
  const failure = classifyError(error, options);
  if (failure.kind === 'aborted' || failure.kind === 'request_fault') return failure;
  return localFailure(error, 'not_sent');
}
