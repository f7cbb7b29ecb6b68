import { API_MODES, normalizeApiMode, type ApiMode } from './apiMode.js';
import type { BackendIdentity } from './backendIdentity.js';
import { normalizeBaseUrl } from './baseUrl.js';
import { IdentityError, quote } from './errors.js';
import { modelFamily } from './modelFamily.js';
import { normalizeModelId } from './modelId.js';
import { normalizeProvider } from './provider.js';

/**
 * The key of an endpoint: `provider|apiMode|baseUrl`. The unit of health for failures that
 * concern the whole backend process (crash, refused connection). Used as the health actor's
 * `systemId` and as `backend` in journal events, so its format is stable: change it and old
 * journals no longer name the same backends.
 *
 * @example
 * ```ts
 * import type { EndpointKey } from 'llm-health-router';
 * const key: EndpointKey = 'anthropic|anthropic_messages|http://127.0.0.1:8082';
 * ```
 */
export type EndpointKey = `${string}|${ApiMode}|${string}`;

/**
 * The key of one model on one endpoint: `provider|apiMode|baseUrl|modelId`.
 *
 * @example
 * ```ts
 * import type { ModelKey } from 'llm-health-router';
 * const key: ModelKey = 'openrouter|chat_completions|https://openrouter.ai/api/v1|anthropic/claude-sonnet-4';
 * ```
 */
export type ModelKey = `${EndpointKey}|${string}`;

const SEPARATOR = '|';
const ENDPOINT_EXAMPLE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';

// Keys are computed on every routing decision; a frozen identity (what `identify` returns) cannot
// change, so its key is computed once. Unfrozen literals are re-normalized every time.
const endpointKeys = new WeakMap<BackendIdentity, EndpointKey>();

/**
 * The endpoint key of an identity: `provider|apiMode|baseUrl`, with every part normalized again,
 * so a hand-built identity that differs only by case, default port or trailing slash gets the
 * same key as the one `identify` built. `|` never occurs inside a part (providers reject it,
 * base URLs percent-encode it), which is what makes {@link parseEndpointKey} exact.
 *
 * @example
 * ```ts
 * import { endpointKey, identify } from 'llm-health-router';
 * endpointKey(identify({ provider: 'anthropic', baseUrl: 'HTTP://127.0.0.1:8082/' }));
 * // 'anthropic|anthropic_messages|http://127.0.0.1:8082'
 * ```
 */
export function endpointKey(identity: BackendIdentity): EndpointKey {
  const cached = endpointKeys.get(identity);
  if (cached !== undefined) return cached;
  const provider = normalizeProvider(identity.provider);
  const apiMode = normalizeApiMode(identity.apiMode);
  const baseUrl = normalizeBaseUrl(identity.baseUrl);
  const key: EndpointKey = `${provider}${SEPARATOR}${apiMode}${SEPARATOR}${baseUrl}`;
  if (Object.isFrozen(identity)) endpointKeys.set(identity, key);
  return key;
}

/**
 * The model key: the endpoint key, `|`, and the normalized id of `model` (or the identity's own
 * `model` when omitted). Each model on an endpoint has its own health; models of one family do
 * not share it (see `normalizeModelId` for why). Throws an `IdentityError` on `model` when there
 * is no model (empty, and none in the identity).
 *
 * @example
 * ```ts
 * import { identify, modelKey } from 'llm-health-router';
 * const router = identify({ provider: 'openrouter' });
 * modelKey(router, 'Anthropic/Claude-Sonnet-4');
 * // 'openrouter|chat_completions|https://openrouter.ai/api/v1|anthropic/claude-sonnet-4'
 * ```
 */
export function modelKey(identity: BackendIdentity, model?: string): ModelKey {
  const id = normalizeModelId(model ?? identity.model);
  if (id === undefined) {
    const shown = model ?? '';
    throw new IdentityError('model', shown, `model ${quote(shown)} is empty; a model key needs a model name like claude-sonnet-4-6`);
  }
  return `${endpointKey(identity)}${SEPARATOR}${id}`;
}

/**
 * Read an endpoint key back into an identity (no `model` or `modelFamily`), e.g. from a journal. Only
 * canonical keys are accepted — exactly three parts, each already in normalized form — because a
 * key that is not canonical was not written by {@link endpointKey}, and accepting it would let
 * two spellings of one backend live side by side in the registry. Malformed keys throw an
 * `IdentityError` with `field: 'key'`.
 *
 * @example
 * ```ts
 * import { parseEndpointKey } from 'llm-health-router';
 * parseEndpointKey('custom|chat_completions|http://127.0.0.1:11434/v1');
 * // { provider: 'custom', apiMode: 'chat_completions', baseUrl: 'http://127.0.0.1:11434/v1' }
 * parseEndpointKey('custom|chat|http://x'); // throws IdentityError: key "custom|chat|http://x" is not …
 * ```
 */
export function parseEndpointKey(key: string): BackendIdentity {
  const parts = splitKey(key, 3, 'an endpoint key', ENDPOINT_EXAMPLE);
  return parseEndpointParts(key, parts, 'an endpoint key', ENDPOINT_EXAMPLE);
}

/**
 * Read a model key back into an identity with its `model` and `modelFamily`. Same strictness as
 * {@link parseEndpointKey}: the model id must already be in normalized form.
 *
 * @example
 * ```ts
 * import { parseModelKey } from 'llm-health-router';
 * parseModelKey('openrouter|chat_completions|https://openrouter.ai/api/v1|anthropic/claude-sonnet-4').modelFamily; // 'claude-sonnet'
 * ```
 */
export function parseModelKey(key: string): BackendIdentity {
  const example = `${ENDPOINT_EXAMPLE}|claude-sonnet-4-6`;
  const parts = splitKey(key, 4, 'a model key', example);
  const endpoint = parseEndpointParts(key, parts, 'a model key', example);
  const id = parts[3] ?? '';
  if (id === '' || normalizeModelId(id) !== id) {
    throw malformed(key, 'a model key', example, `model ${quote(id)} is not normalized`);
  }
  return Object.freeze({ ...endpoint, model: id, modelFamily: modelFamily(id) });
}

function splitKey(key: string, count: number, what: string, example: string): string[] {
  if (typeof key !== 'string') throw malformed(String(key), what, example, 'it is not a string');
  const parts = key.split(SEPARATOR);
  if (parts.length !== count) {
    throw malformed(key, what, example, `it has ${parts.length} "|"-separated parts, expected ${count}`);
  }
  return parts;
}

function parseEndpointParts(key: string, parts: readonly string[], what: string, example: string): BackendIdentity {
  const [provider = '', apiMode = '', baseUrl = ''] = parts;
  if (provider === '' || !canonical(() => normalizeProvider(provider), provider)) {
    throw malformed(key, what, example, `provider ${quote(provider)} is not normalized`);
  }
  if (!(API_MODES as readonly string[]).includes(apiMode)) {
    throw malformed(key, what, example, `api mode ${quote(apiMode)} is not one of ${API_MODES.join(', ')}`);
  }
  if (!canonical(() => normalizeBaseUrl(baseUrl), baseUrl)) {
    throw malformed(key, what, example, `base URL ${quote(baseUrl)} is not a normalized http(s) URL`);
  }
  return Object.freeze({ provider, apiMode: apiMode as ApiMode, baseUrl });
}

function canonical(normalize: () => string, value: string): boolean {
  try {
    return normalize() === value;
  } catch {
    return false;
  }
}

function malformed(key: string, what: string, example: string, why: string): IdentityError {
  return new IdentityError('key', key, `key ${quote(key)} is not ${what}: ${why}; expected e.g. ${example}`);
}
