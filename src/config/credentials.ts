import type { RawEntry } from './rawEntry.js';
import { isLocalAddress } from './localAddress.js';
import type { Unusable } from './unusable.js';

/**
 * The environment variable each known provider's key is read from when an entry names none,
 * the same ones the providers' own SDKs read.
 *
 * @example
 * ```ts
 * import { PROVIDER_KEY_ENV } from 'llm-health-router';
 * PROVIDER_KEY_ENV.openrouter; // 'OPENROUTER_API_KEY'
 * ```
 */
export const PROVIDER_KEY_ENV: Readonly<Record<string, string>> = Object.freeze({
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
});

/**
 * The outcome of {@link resolveCredentials}: a key, no key needed (`apiKey` absent), or why the
 * entry cannot work.
 *
 * @internal
 * @example
 * ```ts
 * const keyless: Credentials = { ok: true };
 * ```
 */
export type Credentials = { readonly ok: true; readonly apiKey?: string } | { readonly ok: false; readonly unusable: Unusable };

/**
 * Decide an entry's key, first match wins:
 * 1. `api_key` (a literal);
 * 2. `api_key_env` or `key_env`: the named variable — unset or empty makes the entry unusable, because
 *    the user said where the key lives and it is not there;
 * 3. the provider's default variable ({@link PROVIDER_KEY_ENV}) when set;
 * 4. no key, for `provider: custom` or a local address (see `isLocalAddress`): local facades and
 *    servers accept anything;
 * 5. otherwise the entry is unusable: a cloud provider without a key can only answer 401.
 *
 * `secret` is called with every key read, so the loader can keep it out of every message.
 *
 * @internal
 * @example
 * ```ts
 * resolveCredentials({ anySet: true, keyEnv: { field: 'api_key_env', name: 'OPENROUTER_API_KEY' } }, 'openrouter', 'https://openrouter.ai/api/v1', {}, () => {});
 * // { ok: false, unusable: { field: 'api_key_env', problem: 'OPENROUTER_API_KEY is not set', fix: … } }
 * ```
 */
export function resolveCredentials(
  raw: RawEntry,
  provider: string,
  baseUrl: string,
  env: NodeJS.ProcessEnv,
  secret: (value: string) => void,
): Credentials {
  if (raw.apiKey !== undefined) return { ok: true, apiKey: raw.apiKey };
  if (raw.keyEnv !== undefined) {
    const { field, name } = raw.keyEnv;
    const value = env[name];
    if (value === undefined) {
      return { ok: false, unusable: { field, problem: `${name} is not set`, fix: `export ${name} before starting, or set api_key` } };
    }
    if (value.trim() === '') {
      secret(value);
      return { ok: false, unusable: { field, problem: `${name} is empty`, fix: `put the key in ${name}, or set api_key` } };
    }
    secret(value);
    return { ok: true, apiKey: value.trim() };
  }
  const defaultName = Object.hasOwn(PROVIDER_KEY_ENV, provider) ? PROVIDER_KEY_ENV[provider] : undefined;
  const fromDefault = defaultName === undefined ? undefined : env[defaultName]?.trim();
  if (fromDefault !== undefined && fromDefault !== '') {
    secret(fromDefault);
    return { ok: true, apiKey: fromDefault };
  }
  if (provider === 'custom' || isLocalAddress(baseUrl)) return { ok: true };
  if (defaultName !== undefined) {
    return {
      ok: false,
      unusable: {
        field: 'api_key',
        problem: `is missing and ${defaultName} (the default for provider ${provider}) is not set`,
        fix: `export ${defaultName}, or set api_key_env to the variable that holds the key`,
      },
    };
  }
  return {
    ok: false,
    unusable: {
      field: 'api_key',
      problem: `is missing and provider ${JSON.stringify(provider)} has no default key variable`,
      fix: 'set api_key_env to the variable that holds the key (only custom providers and local addresses may go without one)',
    },
  };
}
