import { createHash } from 'node:crypto';
import type { HealthPolicy } from '../policy/healthPolicy.js';

/**
 * A short fingerprint of the policies that govern `keys`: stored with a snapshot, compared on
 * restore. One policy for every key (the usual case) is hashed once.
 *
 * @example
 * ```ts
 * policyFingerprint(['k1', 'k2'], () => DEFAULT_HEALTH_POLICY); // 'a3f9…' (16 hex digits)
 * ```
 */
export function policyFingerprint(keys: readonly string[], policyFor: (key: string) => HealthPolicy): string {
  const hash = createHash('sha256');
  const policies = new Map<HealthPolicy, string[]>();
  for (const key of keys) {
    const policy = policyFor(key);
    policies.set(policy, [...(policies.get(policy) ?? []), key]);
  }
  if (policies.size <= 1) {
    hash.update(JSON.stringify([...policies.keys()][0] ?? null));
  } else {
    for (const [policy, ofKeys] of [...policies].sort((a, b) => (a[1][0]! < b[1][0]! ? -1 : 1))) hash.update(JSON.stringify([ofKeys.sort(), policy]));
  }
  return hash.digest('hex').slice(0, 16);
}
