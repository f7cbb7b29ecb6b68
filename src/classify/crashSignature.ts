/**
 * The first crash signature found in `text` (case-insensitive substring), or `undefined`.
 *
 * Blank signatures are ignored: a stray `''` in a config file would otherwise match every
 * message and send every backend straight to cooldown.
 *
 * @example
 * ```ts
 * findCrashSignature('500 {"detail":"Claude Code Process Exited With Code 1"}', ['process exited with code']);
 * // 'process exited with code'
 * findCrashSignature('500 Internal Server Error', ['process exited with code']); // undefined
 * ```
 */
export function findCrashSignature(text: string, signatures: readonly string[]): string | undefined {
  if (!text) return undefined;
  const haystack = text.toLowerCase();
  return signatures.find((signature) => {
    const needle = signature.trim().toLowerCase();
    return needle.length > 0 && haystack.includes(needle);
  });
}
