import { isRecord } from '../util/isRecord.js';
import { resolveAuxiliary } from './auxiliary.js';
import { resolveChain, resolveFallbackModel } from './chain.js';
import { ConfigError } from './configError.js';
import { PROVIDER_KEY_ENV } from './credentials.js';
import { resolveDelegation } from './delegation.js';
import type { EntryContext } from './entryContext.js';
import { checkKnownKeys, TOP_LEVEL_FIELDS } from './fields.js';
import { resolveHealthSection } from './healthSection.js';
import { IssueList } from './issueList.js';
import { parseConfigText, type ConfigFormat } from './parseConfigText.js';
import { readEntry } from './rawEntry.js';
import { resolveEntry } from './resolveEntry.js';
import type { BackendEntry, DroppedEntry, RouterConfig } from './routerConfig.js';
import { showValue } from './showValue.js';

/**
 * Options of {@link loadRouterConfig} and `readRouterConfig`.
 *
 * @example
 * ```ts
 * import type { LoadRouterConfigOptions } from 'llm-health-router';
 * const options: LoadRouterConfigOptions = { env: { OPENROUTER_API_KEY: 'sk-or-…' }, file: 'router.yaml' };
 * ```
 */
export interface LoadRouterConfigOptions {
  /** Where `api_key_env` / `key_env` and the provider default variables are looked up (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** How text is parsed (default `yaml`, which reads JSON too). Ignored for an object. */
  readonly format?: ConfigFormat;
  /** The file the text came from, named in errors. */
  readonly file?: string;
}

/**
 * Load a router config in the Hermes format (see `docs/configuration.md`): text (YAML, or JSON) or
 * an already-parsed object. Resolves the primary, the fallback chain (`fallback_providers`, then
 * legacy `fallback_model`, deduplicated), auxiliary tasks, delegation and the `health:` policy.
 * Entries that cannot work (no provider or model, no credentials, unknown provider without
 * `base_url`) are left out and listed in `dropped`. Anything invalid — and a primary that cannot
 * work — throws one {@link ConfigError} listing every problem with its path, value and fix.
 *
 * @example
 * ```ts
 * import { loadRouterConfig } from 'llm-health-router';
 * const config = loadRouterConfig(`
 * model: claude-sonnet-4-6
 * provider: anthropic
 * base_url: http://127.0.0.1:8082
 * fallback_providers:
 *   - { provider: openrouter, model: anthropic/claude-sonnet-4, api_key_env: OPENROUTER_API_KEY }
 * `, { env: { OPENROUTER_API_KEY: 'sk-or-…' } });
 * config.primary.apiMode;                // 'anthropic_messages'
 * config.fallbacks.map((f) => f.label);  // ['fallback_providers[0]']
 * ```
 */
export function loadRouterConfig(source: string | object, options: LoadRouterConfigOptions = {}): RouterConfig {
  const { file } = options;
  const root = typeof source === 'string' ? parseConfigText(source, options.format, file) : source;
  if (!isRecord(root)) {
    const what = root === null || root === undefined ? 'empty' : `${showValue(root)}, not a mapping`;
    throw new ConfigError([{ path: '', message: `the config is ${what}; write a mapping with at least model and provider (e.g. model: claude-sonnet-4-6, provider: anthropic)` }], file);
  }

  const env = options.env ?? process.env;
  const issues = new IssueList(env);
  for (const name of Object.values(PROVIDER_KEY_ENV)) issues.secretVariable(name);
  checkKnownKeys(root, TOP_LEVEL_FIELDS, '', issues);
  const health = resolveHealthSection(root['health'], issues);
  const dropped: DroppedEntry[] = [];
  const ctx: EntryContext = { env, issues, dropped, ...(health.scope !== undefined && { healthScope: health.scope }) };

  const primary = resolvePrimary(root, ctx);
  const chain = resolveChain(root['fallback_providers'], 'fallback_providers', ctx);
  const legacy = resolveFallbackModel(root['fallback_model'], chain, ctx);
  const auxiliary = resolveAuxiliary(root['auxiliary'], ctx);
  const delegation = resolveDelegation(root['delegation'], primary, ctx);

  issues.throwIfAny(file);
  if (primary === undefined) throw new Error('unreachable: a primary that did not resolve always records an issue');
  return Object.freeze({
    primary,
    fallbacks: Object.freeze([...chain, ...legacy]),
    auxiliary: Object.freeze(auxiliary),
    ...(delegation !== undefined && { delegation }),
    health: health.policy,
    dropped: Object.freeze(dropped.map((d) => Object.freeze(d))),
  });
}

/**
 * The primary is the top-level entry (label `model`). It cannot be dropped: what would drop any
 * other entry is a config error here, because without it there is nothing to fall back from.
 */
function resolvePrimary(root: Readonly<Record<string, unknown>>, ctx: EntryContext): BackendEntry | undefined {
  if (isRecord(root['model'])) {
    ctx.issues.add(
      'model',
      'a mapping is not a model name; write the model name here (model: claude-sonnet-4-6) and provider, base_url and api_mode as top-level fields',
    );
    return undefined;
  }
  const before = ctx.issues.size;
  const raw = readEntry(root, '', ctx.issues);
  if (ctx.issues.size > before) return undefined;
  if (raw.model === undefined) ctx.issues.add('model', 'is missing; the primary needs one, e.g. model: claude-sonnet-4-6');
  if (raw.provider === undefined) ctx.issues.add('provider', 'is missing; the primary needs one, e.g. provider: anthropic (or custom with base_url)');
  if (raw.model === undefined || raw.provider === undefined) return undefined;
  return resolveEntry(raw, { label: 'model', prefix: '' }, ctx, { required: true });
}
