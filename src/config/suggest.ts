/**
 * The known name a mistyped one most likely meant, or `undefined`. Names are compared without
 * case, `_`, `-` or spaces (so `baseUrl`, `base-url` and `BASE_URL` all mean `base_url`), then by
 * edit distance with transpositions (`modle` → `model`), allowing 1 edit for names under 5
 * characters and 2 from 5 on: close enough to catch typos, far enough that an unrelated section
 * (`toolsets`) gets the list of known fields instead of a misleading guess.
 *
 * @internal
 * @example
 * ```ts
 * suggest('fallback_provider', ['fallback_providers', 'fallback_model']); // 'fallback_providers'
 * suggest('apiKeyEnv', ['api_key', 'api_key_env']);                        // 'api_key_env'
 * suggest('toolsets', ['model', 'provider']);                             // undefined
 * ```
 */
export function suggest(word: string, known: readonly string[]): string | undefined {
  const target = squash(word);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(target, squash(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = target.length >= 5 ? 2 : 1;
  return bestDistance <= allowed ? best : undefined;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
