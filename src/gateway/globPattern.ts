/**
 * A model-name pattern: `*` matches any run of characters, everything else is literal
 * (case-insensitive, as model names are). Matched without backtracking: a regular expression of
 * several `.*` takes time that grows with a power of the name's length, and the name comes from
 * the client (`a*b*c*d` against a 20 KB name took a second).
 *
 * @example
 * ```ts
 * globPattern('claude-*').test('Claude-Sonnet-4-6'); // true
 * ```
 */
export function globPattern(glob: string): { test(name: string): boolean } {
  const parts = glob.toLowerCase().split('*');
  const first = parts[0]!;
  const last = parts.length > 1 ? parts.at(-1)! : undefined;
  const middle = parts.slice(1, -1);
  return {
    test(name) {
      const text = name.toLowerCase();
      if (last === undefined) return text === first;
      if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
      // Each middle part at its earliest place after the previous one: if any placement works, that one does.
      let from = first.length;
      const end = text.length - last.length;
      for (const part of middle) {
        const found = text.indexOf(part, from);
        if (found === -1 || found + part.length > end) return false;
        from = found + part.length;
      }
      return true;
    },
  };
}
