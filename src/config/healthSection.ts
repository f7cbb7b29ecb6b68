import { DEFAULT_HEALTH_POLICY } from '../policy/defaults.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import { PolicyError } from '../policy/policyError.js';
import { resolveHealthPolicy } from '../policy/resolvePolicy.js';
import { isRecord } from '../util/isRecord.js';
import type { IssueList } from './issueList.js';
import { showValue } from './showValue.js';
import { suggest } from './suggest.js';

/**
 * Resolve the `health:` section with `resolveHealthPolicy` (path `health`), turning its
 * `PolicyError` issues into config issues at the same field paths, so one `ConfigError` lists
 * policy and entry problems together. Absent or `null` gives the defaults. On error the defaults
 * are returned too (the load throws anyway) so the rest of the config is still checked.
 *
 * `scope` is returned apart when the section sets it: it becomes every entry's default
 * `health_scope`, overriding the per-provider default.
 *
 * @internal
 * @example
 * ```ts
 * resolveHealthSection({ cooldown: { baseMs: 10000 } }, issues).policy.cooldown.baseMs; // 10000
 * ```
 */
export function resolveHealthSection(raw: unknown, issues: IssueList): { policy: HealthPolicy; scope?: 'endpoint' | 'model' } {
  if (raw === undefined || raw === null) return { policy: DEFAULT_HEALTH_POLICY };
  try {
    const policy = resolveHealthPolicy(raw, { path: 'health' });
    const given = isRecord(raw) && raw['scope'] !== undefined;
    return given ? { policy, scope: policy.scope } : { policy };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    for (const issue of error.issues) issues.add(issue.path, describe(issue.path, issue.value, issue.expected));
    return { policy: DEFAULT_HEALTH_POLICY };
  }
}

/** The policy's "one of the known fields here (a, b)" becomes the same "unknown field; did you mean" as elsewhere. */
function describe(path: string, value: unknown, expected: string): string {
  const known = /^one of the known fields here \((.*)\)$/.exec(expected);
  if (known === null) return `${showValue(value)} is not allowed; use ${expected}`;
  const fields = (known[1] ?? '').split(', ').filter((f) => f !== '');
  const guess = suggest(path.slice(path.lastIndexOf('.') + 1), fields);
  return `unknown field; ${guess === undefined ? `known fields here: ${fields.join(', ')}` : `did you mean ${guess}?`}`;
}
