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
 * here so a hand-made event cannot escape the bounds) or the policy's default.
 *
 * @example
 * ```ts
 * import { rateLimitCooldownMs, DEFAULT_HEALTH_POLICY } from 'llm-health-router';
 * rateLimitCooldownMs(DEFAULT_HEALTH_POLICY.rateLimit, 20_000); // 20000
 * rateLimitCooldownMs(DEFAULT_HEALTH_POLICY.rateLimit, undefined); // 60000
 * ```
 */
export function rateLimitCooldownMs(rateLimit: HealthPolicy['rateLimit'], hintMs: number | undefined): number {
  if (hintMs === undefined || !Number.isFinite(hintMs)) return rateLimit.defaultMs;
  return Math.min(Math.max(Math.round(hintMs), rateLimit.minMs), rateLimit.maxMs);
}

function nominalCooldownMs(cooldown: HealthPolicy['cooldown'], level: number): number {
  return cooldown.baseMs * cooldown.multiplier ** (level - 1);
}
