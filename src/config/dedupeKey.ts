import type { BackendEntry } from './routerConfig.js';

/**
 * The Hermes dedupe key of an entry: `(provider, model, base_url without trailing /)`,
 * case-insensitive. The base URL compared is the resolved one (the provider default when none was
 * written, normalized), so `{ provider: openrouter, model: m }` and the same entry with
 * `base_url: https://openrouter.ai/api/v1/` are one entry, as they are one backend.
 *
 * @example
 * ```ts
 * import { dedupeKey } from 'llm-health-router';
 * dedupeKey({ provider: 'openai', model: 'GPT-4.1', baseUrl: 'https://api.openai.com/v1' });
 * // 'openai|gpt-4.1|https://api.openai.com/v1'
 * ```
 */
export function dedupeKey(entry: Pick<BackendEntry, 'provider' | 'model' | 'baseUrl'>): string {
  return [entry.provider, entry.model.trim(), entry.baseUrl.replace(/\/+$/, '')].map((part) => part.toLowerCase()).join('|');
}
