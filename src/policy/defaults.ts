import type { HealthPolicy } from './healthPolicy.js';

/**
 * The default health policy. Each value is argued against the peers in `docs/health.md`
 * ("Policy defaults"): an agent's backends see a handful of calls a minute, so thresholds are
 * small and cooldowns are Envoy's (30 s base, doubling, 300 s cap) rather than LiteLLM's fixed 5 s.
 *
 * @example
 * ```ts
 * import { DEFAULT_HEALTH_POLICY } from 'llm-health-router';
 * DEFAULT_HEALTH_POLICY.thresholds.backend_fault; // 2
 * ```
 */
export const DEFAULT_HEALTH_POLICY: HealthPolicy = Object.freeze({
  thresholds: Object.freeze({ backend_fault: 2, unreachable: 1 }),
  streakWindowMs: 180_000,
  cooldown: Object.freeze({ baseMs: 30_000, multiplier: 2, maxMs: 300_000, jitter: 0.1 }),
  decayIntervalMs: 300_000,
  rateLimit: Object.freeze({ defaultMs: 60_000, minMs: 1_000, maxMs: 3_600_000, multiplier: 2 }),
  down: Object.freeze({ probeIntervalMs: 900_000 }),
  probe: Object.freeze({ timeoutMs: 60_000, intervalMs: 30_000, active: true, trafficWindowMs: 600_000 }),
  crashSignatures: Object.freeze(['process exited with code']),
  scope: 'endpoint',
});
