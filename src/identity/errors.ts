/**
 * The one error type of `src/identity`. Identity is computed from user config at load time, so
 * every error names the config field, the offending value and what would have been accepted:
 * the message is meant to be shown to the person who wrote the config, unchanged.
 *
 * `value` is safe to print and journal: a base URL that carried credentials is stored redacted.
 *
 * @example
 * ```ts
 * import { identify, IdentityError } from 'llm-health-router';
 * try {
 *   identify({ provider: 'custom', baseUrl: 'ftp://x' });
 * } catch (error) {
 *   if (error instanceof IdentityError) console.error(error.field, error.value, error.message);
 *   // base_url ftp://x base_url "ftp://x" is not an http(s) URL; expected e.g. http://127.0.0.1:8082
 * }
 * ```
 */
export class IdentityError extends Error {
  /** The config field the value came from, spelled as in the config file (`base_url`, `api_mode` …). */
  readonly field: string;
  /** The offending value as given (redacted when it contained credentials). */
  readonly value: string;

  constructor(field: string, value: string, message: string) {
    super(message);
    this.name = 'IdentityError';
    this.field = field;
    this.value = value;
  }
}

/**
 * Quote a value for an error message. JSON quoting keeps control characters visible and the
 * cap keeps a pasted blob from flooding a log line.
 *
 * @internal
 * @example
 * ```ts
 * quote('a\tb'); // '"a\\tb"'
 * ```
 */
export function quote(value: string): string {
  const capped = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return JSON.stringify(capped);
}

/**
 * A printable form of a value that may not be a string (config is read from YAML, where a number
 * or `null` can end up where a string was expected).
 *
 * @internal
 * @example
 * ```ts
 * describeValue(8082); // '8082'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
