/**
 * Whether a value is a plain JSON-like object (not null, not an array): the first check before
 * reading fields of anything parsed from the wire or from config.
 *
 * @example
 * ```ts
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
