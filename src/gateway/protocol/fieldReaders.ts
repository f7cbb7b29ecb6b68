import { isRecord } from '../../util/isRecord.js';
import { invalid, missing } from './fieldErrors.js';

// Clients send `null` for "not set" as often as they leave a field out (the openai SDK's types
// allow it for most options), so every optional reader treats the two alike.

/**
 * The object at `path`, or a refusal naming it.
 *
 * @example
 * ```ts
 * readRecord(body, ''); // the body, when it is a JSON object
 * ```
 */
export function readRecord(value: unknown, path: string, expected = 'an object'): Record<string, unknown> {
  if (value === undefined || value === null) {
    if (path) missing(path, expected);
    invalid(path, value, expected);
  }
  if (!isRecord(value)) invalid(path, value, expected);
  return value;
}

/**
 * The array at `path` (required), or a refusal naming it.
 *
 * @example
 * ```ts
 * readArray(body['messages'], 'messages', 'a non-empty array of messages');
 * ```
 */
export function readArray(value: unknown, path: string, expected: string): unknown[] {
  if (value === undefined || value === null) missing(path, expected);
  if (!Array.isArray(value)) invalid(path, value, expected);
  return value as unknown[];
}

/**
 * The array at `path`, or `undefined` when it is absent or null.
 *
 * @example
 * ```ts
 * readOptionalArray(body['tools'], 'tools', 'an array of tools') ?? [];
 * ```
 */
export function readOptionalArray(value: unknown, path: string, expected: string): unknown[] | undefined {
  return value === undefined || value === null ? undefined : readArray(value, path, expected);
}

/**
 * The string at `path` (required; `nonEmpty` refuses `""`, as ids and names must not be empty).
 *
 * @example
 * ```ts
 * readString(body['model'], 'model', { nonEmpty: true });
 * ```
 */
export function readString(value: unknown, path: string, options: { nonEmpty?: boolean } = {}): string {
  const expected = options.nonEmpty ? 'a non-empty string' : 'a string';
  if (value === undefined || value === null) missing(path, expected);
  if (typeof value !== 'string' || (options.nonEmpty && value.length === 0)) invalid(path, value, expected);
  return value;
}

/**
 * The string at `path`, or `undefined` when it is absent or null.
 *
 * @example
 * ```ts
 * readOptionalString(tool['description'], 'tools[0].description');
 * ```
 */
export function readOptionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : readString(value, path);
}

/**
 * The integer of at least `min` at `path`, or `undefined` when it is absent or null.
 *
 * @example
 * ```ts
 * readOptionalInteger(body['max_tokens'], 'max_tokens', 1) ?? 4096;
 * ```
 */
export function readOptionalInteger(value: unknown, path: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) invalid(path, value, `an integer of at least ${min}`);
  return value;
}

/**
 * The number from `min` to `max` at `path`, or `undefined` when it is absent or null.
 *
 * @example
 * ```ts
 * readOptionalNumber(body['temperature'], 'temperature', 0, 2);
 * ```
 */
export function readOptionalNumber(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) invalid(path, value, `a number from ${min} to ${max}`);
  return value;
}

/**
 * The boolean at `path`, or `undefined` when it is absent or null.
 *
 * @example
 * ```ts
 * readOptionalBoolean(body['stream'], 'stream') ?? false;
 * ```
 */
export function readOptionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') invalid(path, value, 'true or false');
  return value;
}
