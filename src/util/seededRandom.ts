/**
 * A tiny seeded pseudo-random generator (mulberry32): cooldown jitter samples that repeat exactly
 * for one seed, so a demo or a benchmark can be run again and give the same figures.
 *
 * @example
 * ```ts
 * const random = seededRandom(1);
 * random(); // always the same first value for seed 1, in [0, 1)
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
