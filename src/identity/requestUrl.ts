import { normalizeApiMode } from './apiMode.js';
import type { BackendIdentity } from './backendIdentity.js';
import { normalizeBaseUrl } from './baseUrl.js';

// A base whose last segment is `/v1` already carries the version the Anthropic SDK would append
// again (`…/anthropic/v1` is one of the api-mode path rules); `/v1/v1/messages` is never the
// intended address, so the version is not doubled.
const TRAILING_V1 = /\/v1$/;

/**
 * The URL a call to this identity is POSTed to: `{base}/v1/messages` for `anthropic_messages`
 * (`{base}/messages` when the base already ends in `/v1`), `{base}/chat/completions` for
 * `chat_completions`, `{base}/responses` for `responses`. Transports build their SDK clients from
 * {@link sdkBaseUrl}, so the SDK posts exactly here; tests assert routing against it.
 *
 * @example
 * ```ts
 * import { identify, requestUrl } from 'llm-health-router';
 * requestUrl(identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082' }));
 * // 'http://127.0.0.1:8082/v1/messages'
 * requestUrl(identify({ provider: 'custom', baseUrl: 'http://127.0.0.1:11434/v1' }));
 * // 'http://127.0.0.1:11434/v1/chat/completions'
 * ```
 */
export function requestUrl(identity: BackendIdentity): string {
  const base = normalizeBaseUrl(identity.baseUrl);
  switch (normalizeApiMode(identity.apiMode)) {
    case 'anthropic_messages':
      return TRAILING_V1.test(base) ? `${base}/messages` : `${base}/v1/messages`;
    case 'chat_completions':
      return `${base}/chat/completions`;
    case 'responses':
      return `${base}/responses`;
  }
}

/**
 * The `baseURL` to give the SDK for this identity, such that the SDK posts to
 * {@link requestUrl}: the Anthropic SDK appends `/v1/messages` itself, so a trailing `/v1` is
 * removed for `anthropic_messages`; the OpenAI SDK appends only `/chat/completions` or
 * `/responses`, so its base is used as is.
 *
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk';
 * import { identify, sdkBaseUrl } from 'llm-health-router';
 * const id = identify({ provider: 'custom', baseUrl: 'https://gw.example/anthropic/v1' });
 * sdkBaseUrl(id); // 'https://gw.example/anthropic'
 * const client = new Anthropic({ apiKey: 'x', baseURL: sdkBaseUrl(id), maxRetries: 0 });
 * ```
 */
export function sdkBaseUrl(identity: BackendIdentity): string {
  const base = normalizeBaseUrl(identity.baseUrl);
  if (normalizeApiMode(identity.apiMode) === 'anthropic_messages') return base.replace(TRAILING_V1, '');
  return base;
}
