import type { BackendEntry, RouterConfig } from '../../src/config/routerConfig.js';
import { endpointKey, identify, modelKey, resolveApiMode } from '../../src/identity/index.js';
import { DEFAULT_HEALTH_POLICY } from '../../src/policy/index.js';

/** A resolved backend entry built by hand (tests of the router that do not go through the config loader). */
export function entry(label: string, provider: string, model: string, baseUrl: string, extra: { apiMode?: string; contextWindow?: number; scope?: 'endpoint' | 'model' } = {}): BackendEntry {
  const identity = identify({ provider, baseUrl, model, ...(extra.apiMode ? { apiMode: extra.apiMode } : {}) });
  return {
    label,
    provider: identity.provider,
    model,
    apiMode: identity.apiMode,
    apiModeSource: resolveApiMode({ provider, baseUrl, ...(extra.apiMode ? { apiMode: extra.apiMode } : {}) }).source,
    baseUrl: identity.baseUrl,
    apiKey: 'test-key',
    identity,
    endpointKey: endpointKey(identity),
    modelKey: modelKey(identity, model),
    scope: extra.scope ?? 'endpoint',
    ...(extra.contextWindow !== undefined ? { contextWindow: extra.contextWindow } : {}),
  };
}

/** A minimal resolved config: a primary and its fallbacks, auto auxiliaries. */
export function routerConfig(primary: BackendEntry, fallbacks: BackendEntry[], more: Partial<RouterConfig> = {}): RouterConfig {
  return { primary, fallbacks, auxiliary: {}, health: DEFAULT_HEALTH_POLICY, dropped: [], ...more };
}
