/**
 * Why an entry cannot work, as found while resolving it: the field at fault, the problem and the
 * fix. A fallback, auxiliary or delegation entry that is unusable is dropped with
 * `"<field> <problem>"` as the reason; the primary cannot be dropped, so for it the same facts
 * become a config error with the fix.
 *
 * @internal
 * @example
 * ```ts
 * const u: Unusable = { field: 'api_key_env', problem: 'OPENROUTER_API_KEY is not set', fix: 'export OPENROUTER_API_KEY, or set api_key' };
 * dropReason(u); // 'api_key_env OPENROUTER_API_KEY is not set'
 * ```
 */
export interface Unusable {
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * The reason recorded in `dropped` for an unusable entry.
 *
 * @internal
 * @example
 * ```ts
 * dropReason({ field: 'model', problem: 'is missing (an entry needs both provider and model)', fix: 'set model' });
 * // 'model is missing (an entry needs both provider and model)'
 * ```
 */
export function dropReason(unusable: Unusable): string {
  return `${unusable.field} ${unusable.problem}`;
}
