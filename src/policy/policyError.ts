/**
 * One thing wrong with a policy: where, what was given, what is allowed.
 *
 * @example
 * ```ts
 * import type { PolicyIssue } from 'llm-health-router';
 * const issue: PolicyIssue = { path: 'health.cooldown.baseMs', value: -1, expected: 'a whole number of ms from 1000 to 86400000' };
 * ```
 */
export interface PolicyIssue {
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;
}

/**
 * Thrown by `resolveHealthPolicy` for an invalid policy. The message lists every issue, each naming
 * the field, the value given and what is allowed, so one run shows everything to fix.
 *
 * @example
 * ```ts
 * import { resolveHealthPolicy, PolicyError } from 'llm-health-router';
 * try { resolveHealthPolicy({ cooldown: { baseMs: -1 } }); }
 * catch (e) { if (e instanceof PolicyError) console.log(e.issues[0]?.path); } // 'health.cooldown.baseMs'
 * ```
 */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(readonly issues: readonly PolicyIssue[]) {
    super(`invalid health policy:\n${issues.map((i) => `  - ${i.path}: got ${show(i.value)}; expected ${i.expected}`).join('\n')}`);
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
