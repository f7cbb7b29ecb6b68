import { describeValue, IdentityError, quote } from './errors.js';

/**
 * Normalize a provider name: trimmed and lower-cased, so `Anthropic` in one config entry and
 * `anthropic` in another name the same provider. Rejected with an {@link IdentityError}: empty
 * names, and names with whitespace or `|` inside (`|` separates the parts of a key, and a
 * provider name with a space is a typo, not a provider).
 *
 * @example
 * ```ts
 * import { normalizeProvider } from 'llm-health-router';
 * normalizeProvider(' OpenRouter '); // 'openrouter'
 * normalizeProvider('');             // throws IdentityError: provider is empty; …
 * ```
 */
export function normalizeProvider(raw: string): string {
  if (typeof raw !== 'string') {
    const shown = describeValue(raw);
    throw new IdentityError('provider', shown, `provider must be a string, got ${quote(shown)}; expected a name like anthropic, openrouter or custom`);
  }
  const provider = raw.trim().toLowerCase();
  if (provider === '') {
    throw new IdentityError('provider', raw, 'provider is empty; expected a name like anthropic, openrouter or custom');
  }
  if (/[\s|]/.test(provider)) {
    throw new IdentityError(
      'provider',
      raw,
      `provider ${quote(raw)} contains whitespace or "|"; expected a name like anthropic, openrouter or custom`,
    );
  }
  return provider;
}

/**
 * Base URLs of the providers whose address is well known, used when a config entry has no
 * `base_url`. Each is written the way its SDK expects it: the Anthropic SDK appends
 * `/v1/messages` (so no `/v1` here), the OpenAI SDK appends `/chat/completions` (so `/v1` is part
 * of the base). Any other provider must say where it lives.
 *
 * @example
 * ```ts
 * import { DEFAULT_BASE_URLS } from 'llm-health-router';
 * DEFAULT_BASE_URLS.openrouter; // 'https://openrouter.ai/api/v1'
 * ```
 */
export const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = Object.freeze({
  anthropic: 'https://api.anthropic.com',
  openai: 'https://api.openai.com/v1',
  openrouter: 'https://openrouter.ai/api/v1',
});

/**
 * The default base URL of a provider (normalized name), or an {@link IdentityError} on the
 * `base_url` field naming the provider when there is none: guessing an address for `custom` or an
 * unknown provider would send requests somewhere the user never configured.
 *
 * @example
 * ```ts
 * import { defaultBaseUrl } from 'llm-health-router';
 * defaultBaseUrl('anthropic'); // 'https://api.anthropic.com'
 * defaultBaseUrl('custom');    // throws IdentityError: provider "custom" has no default base_url; …
 * ```
 */
export function defaultBaseUrl(provider: string): string {
  const known = Object.hasOwn(DEFAULT_BASE_URLS, provider) ? DEFAULT_BASE_URLS[provider] : undefined;
  if (known === undefined) {
    throw new IdentityError(
      'base_url',
      '',
      `provider ${quote(provider)} has no default base_url; set base_url (defaults exist for ${Object.keys(DEFAULT_BASE_URLS).join(', ')})`,
    );
  }
  return known;
}
