import type { WireError } from './wireError.js';

/**
 * Thrown by the request readers at the first bad field and caught by {@link collectWireError}:
 * a request is refused whole, so unwinding to the parser's edge is all that is needed, and the
 * readers stay free of result plumbing.
 *
 * @example
 * ```ts
 * throw new InvalidField({ status: 400, message: 'n: 2 is not supported …', param: 'n' });
 * ```
 */
export class InvalidField extends Error {
  constructor(readonly wireError: WireError) {
    super(wireError.message);
    this.name = 'InvalidField';
  }
}

const MAX_SHOWN = 80;

/**
 * A value as a client would recognise it in an error message: its JSON, cut short so a huge
 * prompt does not come back in the error.
 *
 * @example
 * ```ts
 * describeValue(42); // '42'
 * describeValue({ type: 'image_url' }); // '{"type":"image_url"}'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN)}…` : json;
}

/**
 * The path of a field inside `path`, in the bracket style clients use for JSON paths
 * (`messages[2].content`); the root is the empty path.
 *
 * @example
 * ```ts
 * at(at('messages', 2), 'content'); // 'messages[2].content'
 * ```
 */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Refuses a field whose value has the wrong shape.
 *
 * @example
 * ```ts
 * invalid('temperature', 3, 'a number from 0 to 2'); // throws: 'temperature: expected a number from 0 to 2, got 3'
 * ```
 */
export function invalid(path: string, value: unknown, expected: string): never {
  const where = path || 'body';
  throw new InvalidField({ status: 400, message: `${where}: expected ${expected}, got ${describeValue(value)}`, param: where });
}

/**
 * Refuses a required field that is absent (or null).
 *
 * @example
 * ```ts
 * missing('max_tokens', 'an integer of at least 1'); // throws: 'max_tokens: required field is missing (expected an integer of at least 1)'
 * ```
 */
export function missing(path: string, expected: string): never {
  throw new InvalidField({ status: 400, message: `${path}: required field is missing (expected ${expected})`, param: path });
}

/**
 * Refuses a well-formed value the gateway cannot honour without changing what the client asked
 * for; `why` tells the client what to do instead.
 *
 * @example
 * ```ts
 * unsupported('n', 2, 'the gateway returns exactly one choice; send n: 1 or leave it out'); // throws
 * ```
 */
export function unsupported(path: string, value: unknown, why: string): never {
  throw new InvalidField({ status: 400, message: `${path}: ${describeValue(value)} is not supported by this gateway (${why})`, param: path });
}

/**
 * Runs a parser built on the throwing readers and turns the first refusal into a result.
 *
 * @example
 * ```ts
 * collectWireError(() => ({ model: 'm' })); // { ok: true, value: { model: 'm' } }
 * ```
 */
export function collectWireError<T>(parse: () => T): { ok: true; value: T } | { ok: false; error: WireError } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof InvalidField) return { ok: false, error: error.wireError };
    throw error;
  }
}
