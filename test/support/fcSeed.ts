/**
 * One fast-check seed per test file, from FC_SEED or drawn at random, printed so any failure can
 * be replayed exactly: `FC_SEED=<seed> npx vitest run <file>`.
 */
export function fcSeed(label: string, file: string): number {
  const raw = process.env.FC_SEED;
  const seed = raw !== undefined ? Number(raw) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(raw)}`);
  console.log(`[${label}] fast-check seed ${seed} (replay: FC_SEED=${seed} npx vitest run ${file})`);
  return seed;
}
