export type { HealthPolicy, HealthPolicyInput } from './healthPolicy.js';
export { DEFAULT_HEALTH_POLICY } from './defaults.js';
export { resolveHealthPolicy } from './resolvePolicy.js';
export { PolicyError, type PolicyIssue } from './policyError.js';
export { maxEscalationLevel, ejectionCooldownMs, rateLimitCooldownMs, escalatedRateLimitMs, maxRateLimitStreak } from './cooldownMath.js';
export { classifierOptionsFrom } from './classifierOptions.js';
