/** Small timing helpers for the benchmarks: wall time with warm-up, best of several rounds. */

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `fn(iterations)` for `rounds` rounds after a warm-up and returns the best ns per iteration. */
export function nsPerOp(iterations: number, fn: (n: number) => void, rounds = 5): number {
  fn(Math.min(iterations, 10_000));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    fn(iterations);
    const ns = Number(process.hrtime.bigint() - start) / iterations;
    best = Math.min(best, ns);
  }
  return best;
}

/** Milliseconds an async step takes, best of `rounds` (each round builds its own input with `prepare`). */
export async function bestMs<T>(rounds: number, prepare: () => Promise<T> | T, run: (input: T) => Promise<unknown> | unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const input = await prepare();
    gc();
    const start = performance.now();
    await run(input);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
