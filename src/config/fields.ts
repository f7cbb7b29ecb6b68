import type { IssueList } from './issueList.js';
import { suggest } from './suggest.js';

/**
 * The fields of one backend entry (the primary at the top level, a fallback, an auxiliary task,
 * delegation), spelled as in the Hermes config.
 *
 * @example
 * ```ts
 * import { ENTRY_FIELDS } from 'llm-health-router';
 * ENTRY_FIELDS.includes('api_key_env'); // true
 * ```
 */
export const ENTRY_FIELDS: readonly string[] = Object.freeze([
  'provider',
  'model',
  'base_url',
  'api_mode',
  'api_key',
  'api_key_env',
  'key_env',
  'context_window',
  'health_scope',
]);

/**
 * The top-level fields: the primary's entry fields plus the sections.
 *
 * @example
 * ```ts
 * import { TOP_LEVEL_FIELDS } from 'llm-health-router';
 * TOP_LEVEL_FIELDS.includes('fallback_providers'); // true
 * ```
 */
export const TOP_LEVEL_FIELDS: readonly string[] = Object.freeze([
  ...ENTRY_FIELDS,
  'fallback_providers',
  'fallback_model',
  'auxiliary',
  'delegation',
  'health',
]);

/**
 * The fields of `delegation`: an entry plus the child's own `fallback_providers`.
 *
 * @example
 * ```ts
 * import { DELEGATION_FIELDS } from 'llm-health-router';
 * DELEGATION_FIELDS.includes('fallback_providers'); // true
 * ```
 */
export const DELEGATION_FIELDS: readonly string[] = Object.freeze([...ENTRY_FIELDS, 'fallback_providers']);

/**
 * Report every key of `record` that is not in `known`, with a "did you mean" when one is close,
 * else the list of known fields. Unknown keys are errors, not warnings: a misspelt `api_mode`
 * silently ignored would bring back the guessing explicit `api_mode` exists to prevent. The
 * key's value is never shown (a misspelt `api_key` holds a secret).
 *
 * @internal
 * @example
 * ```ts
 * checkKnownKeys({ api_key_enb: 'X' }, ENTRY_FIELDS, 'fallback_providers[0]', issues);
 * // fallback_providers[0].api_key_enb: unknown field; did you mean api_key_env?
 * ```
 */
export function checkKnownKeys(record: Readonly<Record<string, unknown>>, known: readonly string[], prefix: string, issues: IssueList): void {
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const guess = suggest(key, known);
    const fix = guess === undefined ? `known fields here: ${known.join(', ')}` : `did you mean ${guess}?`;
    issues.add(fieldPath(prefix, key), `unknown field; ${fix}`);
  }
}

/**
 * The path of a field under a prefix: `fallback_providers[0]` + `model` → `fallback_providers[0].model`;
 * the primary's fields live at the top level (prefix `''`).
 *
 * @internal
 * @example
 * ```ts
 * fieldPath('', 'base_url');           // 'base_url'
 * fieldPath('delegation', 'api_mode'); // 'delegation.api_mode'
 * ```
 */
export function fieldPath(prefix: string, field: string): string {
  if (prefix === '') return field;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? `${prefix}.${field}` : `${prefix}[${JSON.stringify(field)}]`;
}
