/** How much of a client's own string an error message repeats back. */
export const ECHO_LIMIT = 200;

/**
 * A client-supplied string as an error message repeats it: whole when short, else its start and a
 * marker saying how much was left out — a 1 MB model name must not come back whole in a 404.
 *
 * @example
 * ```ts
 * clip('gpt-4o'); // 'gpt-4o'
 * clip('x'.repeat(1_000_000)); // 'xxx…x… (999800 more characters)'
 * ```
 */
export function clip(text: string, limit = ECHO_LIMIT): string {
  if (text.length <= limit) return text;
  // Never cut a character in two (a lone surrogate would make the JSON of the message odd).
  const end = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}
