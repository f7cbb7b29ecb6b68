/**
 * Providers that are multi-model aggregators: one overloaded or withdrawn model there says nothing
 * about the others, so their answered failures (5xx, 429) are recorded per model by default.
 */
const MULTI_MODEL_PROVIDERS: ReadonlySet<string> = new Set(['openrouter']);

/**
 * The health scope an entry gets when it sets no `health_scope`: the config's `health.scope` when
 * given, else `model` for aggregators (`openrouter`: one model's overload must not jail the
 * hundreds of others behind the same URL) and `endpoint` for everything else (a local facade or a
 * provider's own API is one process or one account, and one of its models failing usually means
 * all of them are about to).
 *
 * @example
 * ```ts
 * import { defaultHealthScope } from 'llm-health-router';
 * defaultHealthScope('openrouter');           // 'model'
 * defaultHealthScope('anthropic');            // 'endpoint'
 * defaultHealthScope('openrouter', 'endpoint'); // 'endpoint' (health.scope given)
 * ```
 */
export function defaultHealthScope(provider: string, configured?: 'endpoint' | 'model'): 'endpoint' | 'model' {
  if (configured !== undefined) return configured;
  return MULTI_MODEL_PROVIDERS.has(provider) ? 'model' : 'endpoint';
}
