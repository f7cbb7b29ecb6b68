import { resolveApiMode, type ApiMode, type ApiModeSource } from '../identity/apiMode.js';
import type { BackendIdentity } from '../identity/backendIdentity.js';
import { IdentityError } from '../identity/errors.js';
import { identify } from '../identity/identify.js';
import { DEFAULT_BASE_URLS, normalizeProvider } from '../identity/provider.js';
import { fieldPath } from './fields.js';
import type { IssueList } from './issueList.js';
import type { RawEntry } from './rawEntry.js';
import type { BackendEntry } from './routerConfig.js';
import type { Unusable } from './unusable.js';

/**
 * Where an entry's calls go, before credentials: the normalized identity and how its api mode was
 * decided. `inherited` is true when the address came from the parent (delegation), and with it the key.
 *
 * @internal
 * @example
 * ```ts
 * const located = locateEntry({ anySet: true, provider: 'openrouter', model: 'm' }, '', issues);
 * if (located.kind === 'located') located.target.baseUrl; // 'https://openrouter.ai/api/v1'
 * ```
 */
export interface Target {
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string;
  readonly apiMode: ApiMode;
  readonly apiModeSource: ApiModeSource;
  readonly identity: BackendIdentity;
  readonly inherited: boolean;
}

/**
 * The outcome of {@link locateEntry}: located, unusable (drop it), or invalid (issues recorded).
 *
 * @internal
 * @example
 * ```ts
 * const outcome: Located = { kind: 'invalid' };
 * ```
 */
export type Located = { readonly kind: 'located'; readonly target: Target } | { readonly kind: 'unusable'; readonly unusable: Unusable } | { readonly kind: 'invalid' };

const NEEDS_BOTH = '(an entry needs both provider and model)';

/**
 * Resolve an entry's address and api mode with `identify` (explicit `api_mode` always wins).
 * `parent` is the entry a delegation child inherits from: when the child names the same provider
 * and no `base_url`, it takes the parent's address, and the parent's api mode unless it sets its
 * own (Hermes: a child inherits `api_mode` only when its provider equals the parent's). Otherwise
 * `provider: anthropic` for a child of a local Anthropic facade would go to api.anthropic.com.
 *
 * @internal
 * @example
 * ```ts
 * locateEntry({ anySet: true, provider: 'groq', model: 'llama' }, 'fallback_providers[2]', issues);
 * // { kind: 'unusable', unusable: { field: 'base_url', problem: 'is missing and provider "groq" has no default …', … } }
 * ```
 */
export function locateEntry(raw: RawEntry, prefix: string, issues: IssueList, parent?: BackendEntry): Located {
  if (raw.provider === undefined || raw.model === undefined) {
    const missing = raw.provider === undefined ? 'provider' : 'model';
    const problem = raw.provider === undefined && raw.model === undefined ? `and model are missing ${NEEDS_BOTH}` : `is missing ${NEEDS_BOTH}`;
    const fix = missing === 'provider' ? 'set provider (anthropic, openai, openrouter, or custom with base_url)' : 'set model to the model name the backend serves';
    return { kind: 'unusable', unusable: { field: missing, problem, fix } };
  }

  let provider: string;
  try {
    provider = normalizeProvider(raw.provider);
  } catch (error) {
    reportIdentityError(error, prefix, issues);
    return { kind: 'invalid' };
  }
  if (provider === 'auto') {
    issues.add(
      fieldPath(prefix, 'provider'),
      '"auto" is only allowed in auxiliary.<task>; name the provider here (anthropic, openai, openrouter, or custom with base_url)',
    );
    return { kind: 'invalid' };
  }

  // Delegation: the same provider without an address of its own means "where the parent is".
  const inherits = parent !== undefined && parent.provider === provider && raw.baseUrl === undefined;
  const known = Object.hasOwn(DEFAULT_BASE_URLS, provider) ? DEFAULT_BASE_URLS[provider] : undefined;
  const baseUrl = inherits ? parent.baseUrl : (raw.baseUrl ?? known);
  if (baseUrl === undefined) {
    return {
      kind: 'unusable',
      unusable: {
        field: 'base_url',
        problem: `is missing and provider ${JSON.stringify(provider)} has no default (defaults exist for ${Object.keys(DEFAULT_BASE_URLS).join(', ')})`,
        fix: 'set base_url to the address of its API',
      },
    };
  }

  // An explicit api_mode always wins; the parent's mode comes with the parent's address.
  const inheritsMode = inherits && raw.apiMode === undefined;
  const apiMode = inheritsMode ? parent.apiMode : raw.apiMode;
  let identity: BackendIdentity;
  let apiModeSource: ApiModeSource;
  try {
    identity = identify({ provider, baseUrl, apiMode, model: raw.model });
    apiModeSource = inheritsMode ? parent.apiModeSource : resolveApiMode({ provider, baseUrl: identity.baseUrl, apiMode }).source;
  } catch (error) {
    reportIdentityError(error, prefix, issues);
    return { kind: 'invalid' };
  }
  return {
    kind: 'located',
    target: { provider, model: raw.model, baseUrl: identity.baseUrl, apiMode: identity.apiMode, apiModeSource, identity, inherited: inherits },
  };
}

/**
 * Turn an `IdentityError` into a config issue at the entry's field: its message already names the
 * value (redacted where needed) and the fix, after the field name, which becomes the path.
 */
function reportIdentityError(error: unknown, prefix: string, issues: IssueList): void {
  if (!(error instanceof IdentityError)) throw error;
  const lead = `${error.field} `;
  const message = error.message.startsWith(lead) ? error.message.slice(lead.length) : error.message;
  issues.add(fieldPath(prefix, error.field), message);
}
