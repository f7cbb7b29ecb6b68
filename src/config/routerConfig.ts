import type { ApiMode, ApiModeSource } from '../identity/apiMode.js';
import type { BackendIdentity } from '../identity/backendIdentity.js';
import type { EndpointKey, ModelKey } from '../identity/keys.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';

/**
 * One backend a call can go to, resolved from config: identity, keys, credentials, api mode and
 * why that mode was chosen. Entries that cannot work (no model, missing credentials, unknown
 * provider without a base URL) never become a `BackendEntry`: they are dropped with a reason.
 *
 * @example
 * ```ts
 * const { primary } = loadRouterConfig(yamlText);
 * console.log(primary.label, primary.apiMode, primary.apiModeSource); // 'model' 'anthropic_messages' 'explicit'
 * ```
 */
export interface BackendEntry {
  /** Where it came from in the config, for messages: `model`, `fallback_providers[1]`, `auxiliary.compression` … */
  readonly label: string;
  readonly provider: string;
  /** The model string sent to the backend, exactly as configured. */
  readonly model: string;
  readonly apiMode: ApiMode;
  readonly apiModeSource: ApiModeSource;
  /** Normalized base URL (see `normalizeBaseUrl`). */
  readonly baseUrl: string;
  /** The resolved secret (from `api_key`, or the environment variable named by `api_key_env` / `key_env`). Never logged. */
  readonly apiKey?: string;
  readonly identity: BackendIdentity;
  readonly endpointKey: EndpointKey;
  readonly modelKey: ModelKey;
  /** Where answered failures are recorded: the whole endpoint (default) or only this model (multi-model providers). */
  readonly scope: 'endpoint' | 'model';
  /** The context window in tokens, when configured: after a context-length failure, only an entry declaring a larger one (or declaring none and running another model) is tried. */
  readonly contextWindow?: number;
}

/**
 * What an auxiliary task (title generation, compression …) runs on: `auto` follows the turn's
 * effective runtime, then the auxiliary chain, then the fallback chain; `explicit` is one entry.
 *
 * @example
 * ```ts
 * const title: AuxiliaryRoute = { mode: 'auto' };
 * ```
 */
export type AuxiliaryRoute = { readonly mode: 'auto' } | { readonly mode: 'explicit'; readonly entry: BackendEntry };

/**
 * A config entry that was dropped, and why, so it is never attempted and the user can fix it.
 *
 * @example
 * ```ts
 * for (const d of config.dropped) console.warn(`${d.path}: ${d.reason}`);
 * ```
 */
export interface DroppedEntry {
  readonly path: string;
  readonly reason: string;
}

/**
 * The router's whole configuration, resolved: the primary, the ordered fallback chain
 * (`fallback_providers` then legacy `fallback_model`, deduplicated), auxiliary tasks,
 * delegation, and the health policy.
 *
 * @example
 * ```ts
 * const config: RouterConfig = loadRouterConfig(readFileSync('router.yaml', 'utf8'));
 * config.fallbacks.map((f) => f.label); // ['fallback_providers[0]', 'fallback_model']
 * ```
 */
export interface RouterConfig {
  readonly primary: BackendEntry;
  readonly fallbacks: readonly BackendEntry[];
  readonly auxiliary: Readonly<Record<string, AuxiliaryRoute>>;
  /**
   * Delegated sub-agents: absent = inherit the parent's effective runtime and chain. `entry` pins
   * a runtime; `fallbacks` is the child's own chain when configured (else the parent's, unless pinned).
   */
  readonly delegation?: { readonly entry?: BackendEntry; readonly fallbacks?: readonly BackendEntry[] };
  readonly health: HealthPolicy;
  readonly dropped: readonly DroppedEntry[];
}
