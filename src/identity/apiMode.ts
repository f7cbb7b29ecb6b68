import { parseBaseUrl } from './baseUrl.js';
import { describeValue, IdentityError, quote } from './errors.js';
import { normalizeProvider } from './provider.js';

/**
 * The wire protocol a backend speaks, which decides the path a call is POSTed to:
 * `anthropic_messages` → `{base}/v1/messages`, `chat_completions` → `{base}/chat/completions`,
 * `responses` → `{base}/responses`.
 *
 * @example
 * ```ts
 * import type { ApiMode } from 'llm-health-router';
 * const mode: ApiMode = 'anthropic_messages';
 * ```
 */
export type ApiMode = 'anthropic_messages' | 'chat_completions' | 'responses';

/**
 * Every api mode, in a stable order (validation messages, tables).
 *
 * @example
 * ```ts
 * import { API_MODES } from 'llm-health-router';
 * API_MODES.includes('responses'); // true
 * ```
 */
export const API_MODES: readonly ApiMode[] = Object.freeze(['anthropic_messages', 'chat_completions', 'responses'] as const);

/**
 * Which rule decided an api mode, so a log line can say why a backend is called the way it is:
 * `explicit` (config `api_mode`), `provider` (`provider: anthropic`), `host` (`api.anthropic.com`),
 * `path` (base path ends in `/anthropic` or `/anthropic/v1`), `default` (none of these).
 *
 * @example
 * ```ts
 * import type { ApiModeSource } from 'llm-health-router';
 * const guessed = (s: ApiModeSource) => s !== 'explicit';
 * ```
 */
export type ApiModeSource = 'explicit' | 'provider' | 'host' | 'path' | 'default';

/**
 * The outcome of {@link resolveApiMode}: the mode and the rule that chose it.
 *
 * @example
 * ```ts
 * import type { ApiModeResolution } from 'llm-health-router';
 * const r: ApiModeResolution = { apiMode: 'chat_completions', source: 'default' };
 * ```
 */
export interface ApiModeResolution {
  readonly apiMode: ApiMode;
  readonly source: ApiModeSource;
}

/**
 * What {@link resolveApiMode} reads from a config entry.
 *
 * @example
 * ```ts
 * import type { ApiModeInput } from 'llm-health-router';
 * const entry: ApiModeInput = { provider: 'custom', baseUrl: 'http://127.0.0.1:9000', apiMode: 'anthropic_messages' };
 * ```
 */
export interface ApiModeInput {
  readonly provider: string;
  /** Absent means "no address to inspect": only the explicit and provider rules can apply. */
  readonly baseUrl?: string | undefined;
  /** Config `api_mode`. `undefined` and `null` mean "not set"; any other value is validated (`''` is an error). */
  readonly apiMode?: string | null | undefined;
}

/**
 * Validate an explicit api mode: trimmed, lower-cased, one of {@link API_MODES}; anything else is
 * an {@link IdentityError} naming `api_mode`, the value and the allowed values. Unknown values
 * are rejected rather than ignored because ignoring them falls back to guessing, which is the
 * bug explicit `api_mode` exists to avoid.
 *
 * @example
 * ```ts
 * import { normalizeApiMode } from 'llm-health-router';
 * normalizeApiMode(' Anthropic_Messages '); // 'anthropic_messages'
 * normalizeApiMode('messages'); // throws IdentityError: api_mode "messages" is not one of …
 * ```
 */
export function normalizeApiMode(raw: string): ApiMode {
  const allowed = API_MODES.join(', ');
  if (typeof raw !== 'string') {
    const shown = describeValue(raw);
    throw new IdentityError('api_mode', shown, `api_mode ${quote(shown)} is not a string; expected one of ${allowed}`);
  }
  const mode = raw.trim().toLowerCase();
  if (!(API_MODES as readonly string[]).includes(mode)) {
    throw new IdentityError('api_mode', raw, `api_mode ${quote(raw)} is not one of ${allowed}`);
  }
  return mode as ApiMode;
}

/** The only host whose name alone says "Anthropic Messages API". Exact match, never a suffix. */
const ANTHROPIC_HOST = 'api.anthropic.com';

/**
 * Paths of Anthropic-compatible gateways (`https://api.example.com/anthropic`), matched on the
 * last one or two path segments only. Case-insensitive because the rule is a heuristic for
 * unlabelled config, and `/Anthropic` is no less an Anthropic gateway.
 */
const ANTHROPIC_PATH = /\/anthropic(\/v1)?$/i;

/**
 * Decide the api mode of a config entry and say why. An explicit `api_mode` always wins, even
 * `chat_completions` on `api.anthropic.com`. Without one, in order: `provider: anthropic`; host
 * exactly `api.anthropic.com` (a trailing root dot is the same host; `api.anthropic.com.example.test`
 * is not); base URL path ending in `/anthropic` or `/anthropic/v1` (on the parsed path, so a query
 * string never matches, nor `/anthropic-proxy`); otherwise `chat_completions`.
 *
 * Invalid inputs throw an {@link IdentityError} (unknown `api_mode`, bad `base_url`, empty `provider`).
 *
 * @example
 * ```ts
 * import { resolveApiMode } from 'llm-health-router';
 * resolveApiMode({ provider: 'custom', baseUrl: 'https://api.minimax.io/anthropic' });
 * // { apiMode: 'anthropic_messages', source: 'path' }
 * resolveApiMode({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', apiMode: 'chat_completions' });
 * // { apiMode: 'chat_completions', source: 'explicit' }
 * ```
 */
export function resolveApiMode(input: ApiModeInput): ApiModeResolution {
  const provider = normalizeProvider(input.provider);
  // Validate the URL even when the explicit mode makes it irrelevant here: a broken base_url must
  // surface at config load, whichever rule decides.
  const parsed = input.baseUrl === undefined ? undefined : parseBaseUrl(input.baseUrl);
  const explicit = input.apiMode;
  if (explicit !== undefined && explicit !== null) {
    return { apiMode: normalizeApiMode(explicit), source: 'explicit' };
  }
  if (provider === 'anthropic') return { apiMode: 'anthropic_messages', source: 'provider' };
  if (parsed !== undefined) {
    if (parsed.hostname === ANTHROPIC_HOST) return { apiMode: 'anthropic_messages', source: 'host' };
    if (ANTHROPIC_PATH.test(parsed.pathname)) return { apiMode: 'anthropic_messages', source: 'path' };
  }
  return { apiMode: 'chat_completions', source: 'default' };
}
