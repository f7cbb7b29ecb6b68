import { resolveApiMode } from './apiMode.js';
import type { BackendIdentity } from './backendIdentity.js';
import { normalizeBaseUrl } from './baseUrl.js';
import { modelFamily } from './modelFamily.js';
import { normalizeModelId } from './modelId.js';
import { defaultBaseUrl, normalizeProvider } from './provider.js';

/**
 * A config entry as {@link identify} reads it (camel-cased; the config layer maps `base_url`
 * and `api_mode`).
 *
 * @example
 * ```ts
 * import type { IdentifyInput } from 'llm-health-router';
 * const entry: IdentifyInput = { provider: 'custom', baseUrl: 'http://127.0.0.1:11434/v1', apiMode: 'chat_completions', model: 'qwen3:32b' };
 * ```
 */
export interface IdentifyInput {
  readonly provider: string;
  /** Optional (`null` too) for providers with a well-known address (`DEFAULT_BASE_URLS`); required otherwise. `''` is an error. */
  readonly baseUrl?: string | null | undefined;
  /** Config `api_mode`; when set it always wins. `null` means "not set"; `''` is an error. */
  readonly apiMode?: string | null | undefined;
  readonly model?: string | null | undefined;
}

/**
 * Turn a config entry into its normalized, frozen {@link BackendIdentity}: provider normalized,
 * base URL defaulted for known providers and normalized, api mode resolved (explicit wins),
 * model id normalized (see `normalizeModelId`) and its family derived. Throws an `IdentityError`
 * naming the field for anything invalid, including a provider without a default address and no
 * `base_url`.
 *
 * @example
 * ```ts
 * import { identify, endpointKey } from 'llm-health-router';
 * const p = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
 * const alias = identify({ provider: 'Anthropic', baseUrl: 'HTTP://127.0.0.1:8082/', model: 'claude-sonnet-4-6' });
 * endpointKey(p) === endpointKey(alias); // true: same backend (Hermes scenario 5)
 * identify({ provider: 'openrouter' }).baseUrl; // 'https://openrouter.ai/api/v1'
 * ```
 */
export function identify(input: IdentifyInput): BackendIdentity {
  const provider = normalizeProvider(input.provider);
  const configured = input.baseUrl;
  const baseUrl = normalizeBaseUrl(configured === undefined || configured === null ? defaultBaseUrl(provider) : configured);
  const { apiMode } = resolveApiMode({ provider, baseUrl, apiMode: input.apiMode });
  const model = normalizeModelId(input.model);
  const identity: BackendIdentity =
    model === undefined ? { provider, apiMode, baseUrl } : { provider, apiMode, baseUrl, model, modelFamily: modelFamily(model) };
  return Object.freeze(identity);
}
