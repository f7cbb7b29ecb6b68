import type { z } from 'zod';
import { DEFAULT_HEALTH_POLICY } from './defaults.js';
import type { HealthPolicy, HealthPolicyInput } from './healthPolicy.js';
import { PolicyError, type PolicyIssue } from './policyError.js';
import { healthPolicyInputSchema } from './schema.js';
import { isRecord } from '../util/isRecord.js';

/**
 * Validates a user's partial policy and fills in the defaults. Throws `PolicyError` naming every
 * bad field, its value and what is allowed; unknown fields are errors too (a typo must not
 * silently keep a default).
 *
 * @param input any subset of `HealthPolicy` (from code, JSON or YAML); `undefined` gives the defaults.
 * @param options.path the prefix used in error messages (default `health`, the config section).
 *
 * @example
 * ```ts
 * import { resolveHealthPolicy } from 'llm-health-router';
 * const policy = resolveHealthPolicy({ cooldown: { baseMs: 10_000, maxMs: 120_000 } });
 * policy.cooldown.multiplier; // 2
 * resolveHealthPolicy({ cooldown: { jitter: 2 } }); // throws: health.cooldown.jitter: got 2; expected a number from 0 to 1
 * ```
 */
export function resolveHealthPolicy(input?: HealthPolicyInput | unknown, options: { path?: string } = {}): HealthPolicy {
  const prefix = options.path ?? 'health';
  const parsed = healthPolicyInputSchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) throw new PolicyError(parsed.error.issues.flatMap((issue) => describeIssue(issue, prefix, input)));
  const given = parsed.data;
  const d = DEFAULT_HEALTH_POLICY;
  const policy: HealthPolicy = {
    thresholds: { ...d.thresholds, ...given.thresholds },
    streakWindowMs: given.streakWindowMs ?? d.streakWindowMs,
    cooldown: {
      ...d.cooldown,
      // The default jitter yields to a small multiplier the user chose, instead of rejecting their choice.
      jitter: Math.min(d.cooldown.jitter, (given.cooldown?.multiplier ?? d.cooldown.multiplier) - 1),
      ...given.cooldown,
    },
    decayIntervalMs: given.decayIntervalMs ?? d.decayIntervalMs,
    rateLimit: { ...d.rateLimit, ...given.rateLimit },
    down: { ...d.down, ...given.down },
    probe: { ...d.probe, ...given.probe },
    crashSignatures: given.crashSignatures ?? d.crashSignatures,
    scope: given.scope ?? d.scope,
  };
  const issues = crossFieldIssues(policy, prefix);
  if (issues.length > 0) throw new PolicyError(issues);
  return policy;
}

/** Rules that relate two fields; checked on the merged policy so a default can be the other side. */
function crossFieldIssues(p: HealthPolicy, prefix: string): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  if (p.cooldown.maxMs < p.cooldown.baseMs) {
    issues.push({ path: `${prefix}.cooldown.maxMs`, value: p.cooldown.maxMs, expected: `at least cooldown.baseMs (${p.cooldown.baseMs})` });
  }
  // Jitter only lengthens a cooldown; bounding it by multiplier − 1 keeps consecutive ejections
  // from ever getting a shorter cooldown than the one before.
  if (p.cooldown.jitter > p.cooldown.multiplier - 1) {
    issues.push({
      path: `${prefix}.cooldown.jitter`,
      value: p.cooldown.jitter,
      expected: `at most cooldown.multiplier − 1 (${round(p.cooldown.multiplier - 1)}), so escalation never shortens a cooldown`,
    });
  }
  if (p.rateLimit.maxMs < p.rateLimit.minMs) {
    issues.push({ path: `${prefix}.rateLimit.maxMs`, value: p.rateLimit.maxMs, expected: `at least rateLimit.minMs (${p.rateLimit.minMs})` });
  }
  if (p.rateLimit.defaultMs < p.rateLimit.minMs || p.rateLimit.defaultMs > p.rateLimit.maxMs) {
    issues.push({
      path: `${prefix}.rateLimit.defaultMs`,
      value: p.rateLimit.defaultMs,
      expected: `within rateLimit.minMs…maxMs (${p.rateLimit.minMs}…${p.rateLimit.maxMs})`,
    });
  }
  return issues;
}

function describeIssue(issue: z.core.$ZodIssue, prefix: string, input: unknown): PolicyIssue[] {
  const path = [prefix, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(input, issue.path);
    const allowed = allowedKeysAt(issue.path);
    return issue.keys.map((key) => ({
      path: `${path}.${key}`,
      value: isRecord(parent) ? parent[key] : undefined,
      expected: `one of the known fields here (${allowed.join(', ')})`,
    }));
  }
  const value = 'input' in issue ? issue.input : valueAt(input, issue.path);
  return [{ path, value, expected: issue.message }];
}

function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let node: unknown = DEFAULT_HEALTH_POLICY;
  for (const key of path) node = isRecord(node) ? node[String(key)] : undefined;
  return isRecord(node) ? Object.keys(node) : [];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) node = isRecord(node) ? node[String(key)] : undefined;
  return node;
}


function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
