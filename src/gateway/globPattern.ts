/**
 * A model-name pattern: `*` matches any run of characters, everything else is literal
 * (case-insensitive, as model names are).
 *
 * @example
 * ```ts
 * globPattern('claude-*').test('Claude-Sonnet-4-6'); // true
 * ```
 */
export function globPattern(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}
