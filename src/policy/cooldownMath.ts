import type { HealthPolicy } from './healthPolicy.js';

/**
 * The escalation level at which an ejection cooldown reaches `maxMs`. Levels above it would not
 * lengthen anything, so the statechart caps the level here; that keeps decay meaningful (one
 * decay step from the cap already shortens the next cooldown) and the state space finite.
 *
 * @example
 * ```ts
 * import { maxEscalationLevel, DEFAULT_HEALTH_POLICY } from 'llm-health-router';
 * maxEscalationLevel(DEFAULT_HEALTH_POLICY.cooldown); // 5: 30 s, 60 s, 120 s, 240 s, 300 s
 * ```
 */
export function maxEscalationLevel(cooldown: HealthPolicy['cooldown']): number {
  // A multiplier of 1 never lengthens anything; a tiny one stops at 64 levels to keep the state space small.
  if (cooldown.multiplier <= 1) return 1;
  let level = 1;
  while (nominalCooldownMs(cooldown, level) < cooldown.maxMs && level < 64) level += 1;
  return level;
}

/**
 * The cooldown for the `level`-th consecutive ejection (level ≥ 1): `min(base × multiplier^(level−1), max)`,
 * lengthened by `jitter × jitterSample` (a sample in [0, 1) drawn once when the failure is recorded,
 * so a replay of the journal gives the same deadline), never above `maxMs`.
 *
 * @example
 * ```ts
 * import { ejectionCooldownMs, DEFAULT_HEALTH_POLICY } from 'llm-health-router';
 * ejectionCooldownMs(DEFAULT_HEALTH_POLICY.cooldown, 2, 0); // 60000
 * ejectionCooldownMs(DEFAULT_HEALTH_POLICY.cooldown, 9, 0.5); // 300000 (capped)
 * ```
 */
export function ejectionCooldownMs(cooldown: HealthPolicy['cooldown'], level: number, jitterSample = 0): number {
  const nominal = nominalCooldownMs(cooldown, Math.max(1, level));
  if (nominal >= cooldown.maxMs) return cooldown.maxMs;
  const sample = Math.min(Math.max(jitterSample, 0), 1);
  return Math.min(cooldown.maxMs, Math.round(nominal * (1 + cooldown.jitter * sample)));
}

/**
 * A rate-limit cooldown: the provider's hint (already clamped by the classifier, clamped again
 * here so a hand-made event cannot escape the bounds) or, without one, `defaultMs` — or the
 * escalated default the caller passes (see {@link escalatedRateLimitMs}). A hint always wins.
 *
 * @example
 * ```ts
 * import { rateLimitCooldownMs, DEFAULT_HEALTH_POLICY } from 'llm-health-router';
 * rateLimitCooldownMs(DEFAULT_HEALTH_POLICY.rateLimit, 20_000); // 20000
 * rateLimitCooldownMs(DEFAULT_HEALTH_POLICY.rateLimit, undefined); // 60000
 * rateLimitCooldownMs(DEFAULT_HEALTH_POLICY.rateLimit, undefined, 120_000); // 120000
 * ```
 */
export function rateLimitCooldownMs(rateLimit: HealthPolicy['rateLimit'], hintMs: number | undefined, withoutHintMs = rateLimit.defaultMs): number {
  if (hintMs === undefined || !Number.isFinite(hintMs)) return withoutHintMs;
  return Math.min(Math.max(Math.round(hintMs), rateLimit.minMs), rateLimit.maxMs);
}

/**
 * The longest an escalated hintless rate-limit cooldown gets: no longer than an ejection's
 * longest (`cooldown.maxMs`) unless `defaultMs` itself is longer, and never above `rateLimit.maxMs`.
 */
function rateLimitCapMs(policy: Pick<HealthPolicy, 'rateLimit' | 'cooldown'>): number {
  return Math.min(policy.rateLimit.maxMs, Math.max(policy.rateLimit.defaultMs, policy.cooldown.maxMs));
}

/**
 * The cooldown for the `streak`-th rate-limit cooldown in a row (≥ 1) when the provider gave no
 * hint: `defaultMs × multiplier^(streak−1)`, capped at `max(defaultMs, cooldown.maxMs)` (and
 * `rateLimit.maxMs`). A model that only ever answers 429 is thus asked less and less often; the
 * first success clears the streak.
 *
 * @example
 * ```ts
 * import { escalatedRateLimitMs, DEFAULT_HEALTH_POLICY } from 'llm-health-router';
 * [1, 2, 3, 4, 5].map((n) => escalatedRateLimitMs(DEFAULT_HEALTH_POLICY, n)); // [60000, 120000, 240000, 300000, 300000]
 * ```
 */
export function escalatedRateLimitMs(policy: Pick<HealthPolicy, 'rateLimit' | 'cooldown'>, streak: number): number {
  const { defaultMs, multiplier } = policy.rateLimit;
  const nominal = defaultMs * multiplier ** (Math.max(1, streak) - 1);
  return Math.round(Math.min(Math.max(defaultMs, rateLimitCapMs(policy)), nominal));
}

/**
 * The rate-limit streak at which {@link escalatedRateLimitMs} reaches its cap: the statechart
 * counts no further, which keeps its state finite.
 *
 * @example
 * ```ts
 * import { maxRateLimitStreak, DEFAULT_HEALTH_POLICY } from 'llm-health-router';
 * maxRateLimitStreak(DEFAULT_HEALTH_POLICY); // 4: 60 s, 120 s, 240 s, 300 s
 * ```
 */
export function maxRateLimitStreak(policy: Pick<HealthPolicy, 'rateLimit' | 'cooldown'>): number {
  if (policy.rateLimit.multiplier <= 1) return 1;
  const cap = rateLimitCapMs(policy);
  let streak = 1;
  while (policy.rateLimit.defaultMs * policy.rateLimit.multiplier ** (streak - 1) < cap && streak < 64) streak += 1;
  return streak;
}

function nominalCooldownMs(cooldown: HealthPolicy['cooldown'], level: number): number {
  return cooldown.baseMs * cooldown.multiplier ** (level - 1);
}
