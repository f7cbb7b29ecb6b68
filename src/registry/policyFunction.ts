import { DEFAULT_HEALTH_POLICY } from '../policy/defaults.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';

/** The per-key policy function for a registry option: one policy for all, a function, or the default. */
export function policyFunction(policy: HealthPolicy | ((key: string) => HealthPolicy) | undefined): (key: string) => HealthPolicy {
  if (typeof policy === 'function') return policy;
  const fixed = policy ?? DEFAULT_HEALTH_POLICY;
  return () => fixed;
}
