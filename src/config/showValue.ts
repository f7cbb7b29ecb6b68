import { isRecord } from '../util/isRecord.js';

/**
 * What a message shows instead of a value that is, or may be, a secret.
 *
 * @internal
 * @example
 * ```ts
 * `api_key: ${HIDDEN} is not text; quote the value`; // 'api_key: (hidden) is not text; quote the value'
 * ```
 */
export const HIDDEN = '(hidden)';

/**
 * A value as an error message shows it: strings JSON-quoted (control characters visible), other
 * scalars as written, mappings and lists summarized rather than dumped (they may hold keys), long
 * strings capped so a pasted blob cannot flood a log line.
 *
 * @internal
 * @example
 * ```ts
 * showValue('anthropic'); // '"anthropic"'
 * showValue(4.1);         // '4.1'
 * showValue({ a: 1 });    // 'a mapping'
 * ```
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`;
}
