import { z } from 'zod';

const DAY_MS = 86_400_000;

/** A whole number of milliseconds in `[min, max]`, with a message that says so. */
function millis(min: number, max: number) {
  const expected = `a whole number of milliseconds from ${min} to ${max}`;
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

/** Like `millis`, or `null` to turn the feature off (or whatever `nullMeans` says null does). */
function optionalMillis(min: number, max: number, nullMeans = 'off') {
  const expected = `a whole number of milliseconds from ${min} to ${max}, or null for ${nullMeans}`;
  return z.union([millis(min, max), z.null()], { error: expected });
}

function count(min: number, max: number) {
  const expected = `a whole number from ${min} to ${max}`;
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

function ratio(min: number, max: number) {
  const expected = `a number from ${min} to ${max}`;
  return z.number({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

/**
 * The shape of a user's (partial) health policy. Every object is strict, so a misspelt field is
 * an error instead of a silently ignored setting. Cross-field rules live in `resolveHealthPolicy`,
 * where the defaults are known. Internal: use `resolveHealthPolicy`.
 *
 * @example
 * ```ts
 * healthPolicyInputSchema.safeParse({ cooldown: { baseMs: 10_000 } }).success; // true
 * ```
 */
export const healthPolicyInputSchema = z
  .object({
    thresholds: z
      .object({ backend_fault: count(1, 100), unreachable: count(1, 100) }, { error: 'an object' })
      .partial()
      .strict(),
    streakWindowMs: millis(1_000, DAY_MS),
    cooldown: z
      .object(
        { baseMs: millis(1_000, DAY_MS), multiplier: ratio(1, 10), maxMs: millis(1_000, 7 * DAY_MS), jitter: ratio(0, 1) },
        { error: 'an object' },
      )
      .partial()
      .strict(),
    decayIntervalMs: millis(1_000, 7 * DAY_MS),
    rateLimit: z
      .object({ defaultMs: millis(0, 7 * DAY_MS), minMs: millis(0, 7 * DAY_MS), maxMs: millis(0, 7 * DAY_MS), multiplier: ratio(1, 10) }, { error: 'an object' })
      .partial()
      .strict(),
    down: z.object({ probeIntervalMs: millis(1_000, 7 * DAY_MS) }, { error: 'an object' }).partial().strict(),
    probe: z
      .object(
        { timeoutMs: millis(100, DAY_MS), intervalMs: optionalMillis(1_000, DAY_MS), active: z.boolean({ error: 'true or false' }), trafficWindowMs: optionalMillis(1_000, 7 * DAY_MS, 'no limit') },
        { error: 'an object' },
      )
      .partial()
      .strict(),
    crashSignatures: z.array(z.string({ error: 'a non-empty string' }).trim().min(1, { error: 'a non-empty string' }), {
      error: 'a list of non-empty strings',
    }),
    scope: z.enum(['endpoint', 'model'], { error: '"endpoint" or "model"' }),
  }, { error: 'an object of health policy settings' })
  .partial()
  .strict();
