import { withoutFilePaths } from '../util/withoutFilePaths.js';
import type { ClassifiedFailure } from './failure.js';
import { makeFailure } from './makeFailure.js';
import { errorClassNames } from './sdkError.js';

/** The built-in error classes the engine throws for a bug (or a stack overflow), never for a network failure. */
const PROGRAMMING_ERRORS = ['TypeError', 'RangeError', 'ReferenceError', 'EvalError', 'URIError'];

/**
 * Whether an error is a programming error of this process: a `TypeError`, `RangeError`,
 * `ReferenceError` … (a stack overflow is a `RangeError`) that is not undici's network wrapper
 * (`TypeError: fetch failed`, whose cause says what the network did) nor one of its body errors
 * (`TypeError: terminated`, a response cut off). Call it on what is left once network causes,
 * statuses and SDK classes have been ruled out, as {@link classifyError} does.
 *
 * @example
 * ```ts
 * isProgrammingError(new RangeError('Maximum call stack size exceeded')); // true
 * isProgrammingError(new TypeError('fetch failed', { cause })); // false
 * ```
 */
export function isProgrammingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const message = (error as { message?: unknown }).message;
  if (message === 'fetch failed' || message === 'terminated') return false;
  return errorClassNames(error).some((name) => PROGRAMMING_ERRORS.includes(name));
}

/**
 * Whether an error is V8's stack overflow (`RangeError: Maximum call stack size exceeded`): what
 * `JSON.stringify`, or any recursive walk, throws on a value nested thousands of levels deep.
 *
 * @example
 * ```ts
 * isStackOverflow(new RangeError('Maximum call stack size exceeded')); // true
 * isStackOverflow(new RangeError('Invalid array length')); // false
 * ```
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message === 'Maximum call stack size exceeded';
}

/**
 * The `local` failure for an error that happened inside this process: reason `not_sent` when the
 * request is known never to have been handed to the network, `internal_error` for a programming
 * error. Its message is the error's class and message with file system paths replaced by
 * `<path>`, so it can be shown to a client.
 *
 * @example
 * ```ts
 * localFailure(new RangeError('Maximum call stack size exceeded'), 'not_sent').message;
 * // 'not sent: RangeError: Maximum call stack size exceeded'
 * ```
 */
export function localFailure(error: unknown, reason: 'not_sent' | 'internal_error'): ClassifiedFailure {
  const what = describe(error);
  return makeFailure({ kind: 'local', reason, message: reason === 'not_sent' ? `not sent: ${what}` : `internal error: ${what}` });
}

function describe(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null) {
      const name = errorClassNames(error)[0];
      const message = (error as { message?: unknown }).message;
      const text = typeof message === 'string' && message !== '' ? message : 'no message';
      return withoutFilePaths(name && name !== 'Object' ? `${name}: ${text}` : text);
    }
    return withoutFilePaths(String(error));
  } catch {
    return 'an unprintable error';
  }
}
