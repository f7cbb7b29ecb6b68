import type { ApiMode } from './apiMode.js';

/**
 * Which backend a call goes to, normalized so that two configs naming the same backend compare
 * equal (`HTTP://127.0.0.1:8082/` and `http://127.0.0.1:8082` are one backend) and two that do
 * not stay apart (`anthropic` and `custom` on the same URL are two identities). Health is tracked
 * by the keys derived from it, never by the raw model string.
 *
 * Build it with `identify`, which normalizes and freezes it; a hand-built literal is accepted by
 * the key functions, which normalize it again.
 *
 * @example
 * ```ts
 * import { identify, type BackendIdentity } from 'llm-health-router';
 * const primary: BackendIdentity = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
 * // { provider: 'anthropic', apiMode: 'anthropic_messages', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6', modelFamily: 'claude-sonnet' }
 * ```
 */
export interface BackendIdentity {
  /** Trimmed, lower-cased provider name (`anthropic`, `openrouter`, `custom` …). */
  readonly provider: string;
  /** The resolved wire protocol; an explicit config `api_mode` always wins. */
  readonly apiMode: ApiMode;
  /** Normalized base URL: lower-case scheme and host, no default port, no trailing `/`. */
  readonly baseUrl: string;
  /** The normalized model id (see `normalizeModelId`), when a model was given: the model-level health key. */
  readonly model?: string | undefined;
  /** The model family (see `modelFamily`), when a model was given: for display and aliasing. */
  readonly modelFamily?: string | undefined;
}
