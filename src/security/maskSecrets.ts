/**
 * What stands in for a credential that was found in text.
 *
 * @example
 * ```ts
 * import { MASK } from 'llm-health-router';
 * 'Incorrect API key provided: sk-…'.includes(MASK); // false: nothing was masked yet
 * ```
 */
export const MASK = '[redacted]';

/** Shorter configured values are not searched for: they would mask ordinary words. */
const MIN_KNOWN_LENGTH = 8;

/**
 * Shapes credentials take in the wild. Each keeps a short, recognisable prefix (so an operator can
 * tell which kind of key leaked) and masks the rest. The suffix classes stop at characters keys
 * never contain, so the text around a key survives.
 */
const KEY_SHAPES: readonly RegExp[] = [
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-…), OpenRouter (sk-or-v1-…), DeepSeek and most compatible servers.
  /\b(sk-)[A-Za-z0-9_-]{12,}/g,
  // Google API keys.
  /\b(AIza)[0-9A-Za-z_-]{30,}/g,
  // Groq, xAI, Hugging Face, Replicate, Perplexity, GitHub tokens.
  /\b(gsk_|xai-|hf_|r8_|pplx-|ghp_|gho_|ghu_|ghs_|github_pat_)[A-Za-z0-9_]{16,}/g,
  // AWS access key ids.
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  // Slack tokens.
  /\b(xox[abprs]-)[A-Za-z0-9-]{10,}/g,
  // JSON Web Tokens (three base64url parts, the first a JSON header).
  /\b(eyJ)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
];

/** `Authorization: Bearer …` / `Basic …`, and `x-api-key: …`-style headers quoted in error text. */
const AUTH_VALUES: readonly RegExp[] = [
  /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b((?:x-)?api[-_]?key|x-goog-api-key|authorization)(["']?\s*[:=]\s*["']?)(?!\[redacted\]|(?:Bearer|Basic|Token)\s)[^\s"',;&]{6,}/gi,
];

/** `?key=…&token=…` in URLs: the names providers and proxies put secrets under. */
const QUERY_SECRET = /([?&;](?:api[-_]?key|key|token|access[-_]?token|auth|secret|password|passwd|sig|signature|code)=)[^&#\s"']+/gi;

/** `scheme://user:password@host`: the userinfo goes, the host stays (it says which backend). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"']+@/gi;

const knownSecrets = new Set<string>();

/**
 * Remembers a credential this process holds (a configured API key, a client token), so every
 * later {@link maskSecrets} masks it wherever it shows up, whatever its shape. The config loaders
 * call this for every key they read; an embedding agent may call it for keys it adds itself.
 * Values shorter than 8 characters are ignored.
 *
 * @example
 * ```ts
 * import { maskSecrets, rememberSecret } from 'llm-health-router';
 * rememberSecret('local-facade-key-1234');
 * maskSecrets('401: bad key local-facade-key-1234'); // '401: bad key [redacted]'
 * ```
 */
export function rememberSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= MIN_KNOWN_LENGTH) knownSecrets.add(value);
}

/**
 * Masks credentials in text that may leave the process: configured keys (those passed in `known`
 * and every one given to {@link rememberSecret}), common key shapes (`sk-…`, `AIza…`, JWTs …),
 * bearer and `x-api-key` values, secrets in URL queries and URL userinfo. Everything else is kept,
 * so an error still says what went wrong. Masking is idempotent.
 *
 * @example
 * ```ts
 * import { maskSecrets } from 'llm-health-router';
 * maskSecrets('Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx');
 * // 'Incorrect API key provided: sk-[redacted]'
 * maskSecrets('GET https://user:pw@example.com/v1?key=abc123def456'); // 'GET https://[redacted]@example.com/v1?key=[redacted]'
 * ```
 */
export function maskSecrets(text: string, known: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of [...known, ...knownSecrets]) {
    if (secret !== undefined && secret.length >= MIN_KNOWN_LENGTH && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const shape of KEY_SHAPES) out = out.replace(shape, (_, prefix: string) => `${prefix}${MASK}`);
  out = out.replace(AUTH_VALUES[0]!, (_, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(AUTH_VALUES[1]!, (_, name: string, separator: string) => `${name}${separator}${MASK}`);
  out = out.replace(QUERY_SECRET, (_, name: string) => `${name}${MASK}`);
  out = out.replace(URL_USERINFO, (_, scheme: string) => `${scheme}${MASK}@`);
  return out;
}
