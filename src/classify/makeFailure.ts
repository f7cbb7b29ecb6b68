import { maskSecrets } from '../security/maskSecrets.js';
import type { ClassifiedFailure } from './failure.js';

/**
 * The longest `message` a {@link ClassifiedFailure} may carry.
 *
 * @example
 * ```ts
 * classifyError(error).message.length <= MAX_FAILURE_MESSAGE_LENGTH; // always true
 * ```
 */
export const MAX_FAILURE_MESSAGE_LENGTH = 300;

/** How much of a message is masked before it is cut to one short line (whitespace runs shrink to one space). */
const MASKED_PREFIX = 16_384;

/**
 * The fields a classifier row must decide; the rest default to "not answered, not model-specific,
 * do not retry", which is the safe reading when a row forgets one.
 *
 * @example
 * ```ts
 * const input: FailureInput = { kind: 'unreachable', reason: 'econnrefused', message: 'connect ECONNREFUSED' };
 * ```
 */
export type FailureInput = Pick<ClassifiedFailure, 'kind' | 'reason' | 'message'> &
  Partial<Omit<ClassifiedFailure, 'kind' | 'reason' | 'message'>>;

/**
 * Builds a {@link ClassifiedFailure} as plain JSON: optional fields that are `undefined` are left
 * out (so journaled events compare equal after a JSON round trip) and the message is made one
 * line of at most 300 characters. Credentials in the message, the error type and the error code
 * are masked first (`maskSecrets`: every remembered key, common key shapes), before the message
 * is cut, so a key that straddles the cut cannot leave half of itself behind.
 *
 * @example
 * ```ts
 * makeFailure({ kind: 'backend_fault', reason: 'http_500', message: 'HTTP 500', status: 500, answered: true });
 * // { kind: 'backend_fault', reason: 'http_500', message: 'HTTP 500', status: 500, answered: true,
 * //   modelSpecific: false, retrySameBackend: false }
 * ```
 */
export function makeFailure(input: FailureInput): ClassifiedFailure {
  const failure: Record<string, unknown> = {
    kind: input.kind,
    reason: input.reason,
    // Only the start can survive the cut: masking a whole HTML page would cost for nothing.
    message: clampMessage(maskSecrets(input.message.slice(0, MASKED_PREFIX))),
  };
  if (input.status !== undefined) failure['status'] = input.status;
  if (input.errorType !== undefined) failure['errorType'] = maskSecrets(input.errorType);
  if (input.errorCode !== undefined) failure['errorCode'] = maskSecrets(input.errorCode);
  failure['answered'] = input.answered ?? false;
  if (input.connected === true) failure['connected'] = true;
  failure['modelSpecific'] = input.modelSpecific ?? false;
  failure['retrySameBackend'] = input.retrySameBackend ?? false;
  if (input.requestFault !== undefined) failure['requestFault'] = input.requestFault;
  if (input.cooldownHintMs !== undefined) failure['cooldownHintMs'] = input.cooldownHintMs;
  return failure as unknown as ClassifiedFailure;
}

/**
 * Squeezes text onto one line of at most {@link MAX_FAILURE_MESSAGE_LENGTH} characters, ending
 * with `…` when cut. Journals and status tables print it verbatim, so newlines and HTML-sized
 * bodies must not get through.
 *
 * @example
 * ```ts
 * clampMessage('a\n  b'); // 'a b'
 * ```
 */
export function clampMessage(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= MAX_FAILURE_MESSAGE_LENGTH) return oneLine;
  return `${oneLine.slice(0, MAX_FAILURE_MESSAGE_LENGTH - 1)}…`;
}

/**
 * The failure with `known` credentials (the key a call was sent with) masked in its message, error
 * type and error code; the same object when none of them shows up. Transports call it with the
 * entry's key, so a key that reached no config loader (an entry built by hand) is masked as well.
 *
 * @example
 * ```ts
 * maskFailure(failure, [entry.apiKey]).message; // '… Incorrect API key provided: [redacted] …'
 * ```
 */
export function maskFailure(failure: ClassifiedFailure, known: readonly (string | undefined)[]): ClassifiedFailure {
  // Cut again: a mask may be a little longer than a short key it replaced.
  const message = clampMessage(maskSecrets(failure.message, known));
  const errorType = failure.errorType === undefined ? undefined : maskSecrets(failure.errorType, known);
  const errorCode = failure.errorCode === undefined ? undefined : maskSecrets(failure.errorCode, known);
  if (message === failure.message && errorType === failure.errorType && errorCode === failure.errorCode) return failure;
  return {
    ...failure,
    message,
    ...(errorType !== undefined ? { errorType } : {}),
    ...(errorCode !== undefined ? { errorCode } : {}),
  };
}
