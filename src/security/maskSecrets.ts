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

/** The shortest part of a configured key masked on its own: shorter runs match ordinary text by chance. */
const MIN_KNOWN_PART = 12;

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

/** `Bearer …`: the word is rare in ordinary error text, so whatever token-like text follows it goes. */
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

/**
 * `Basic …` / `Token …`: common English words ("Basic authentication failed", "token exceeded"),
 * so what follows is masked only when it looks like a credential (see {@link looksLikeCredential}).
 */
const BASIC_OR_TOKEN = /\b(Basic|Token)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi;

/** `x-api-key: …`, `api_key=…`, `Authorization: …` quoted in error text (a header echoed back). */
const HEADER_VALUE = /\b((?:x-)?api[-_]?key|x-goog-api-key|authorization)(["']?\s*[:=]\s*["']?)(?!\[redacted\]|(?:Bearer|Basic|Token)\s)(?=[^\s"',;&]*[\d_-]|[^\s"',;&]{16})[^\s"',;&]{6,}/gi;

/** `?key=…&token=…` in URLs: the names providers and proxies put secrets under. */
const QUERY_SECRET = /([?&;](?:api[-_]?key|key|token|access[-_]?token|auth|secret|password|passwd|sig|signature|code)=)[^&#\s"']+/gi;

/** `scheme://user:password@host`: the userinfo goes, the host stays (it says which backend). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"']+@/gi;

/** Where a URL's scheme ends, for {@link maskUrl}. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** How many distinct strings one {@link maskSecretsDeep} call remembers the masked form of. */
const DEEP_CACHE_SIZE = 4096;

const knownSecrets = new Set<string>();

/**
 * Remembers a credential this process holds (a configured API key, a client token), so every
 * later {@link maskSecrets} masks it wherever it shows up, whatever its shape. The config loaders
 * and the SDK transport call this for every key they read or send; an embedding agent may call it
 * for keys it adds itself. Values shorter than 8 characters are ignored; surrounding whitespace
 * is not part of a key.
 *
 * @example
 * ```ts
 * import { maskSecrets, rememberSecret } from 'llm-health-router';
 * rememberSecret('local-facade-key-1234');
 * maskSecrets('401: bad key local-facade-key-1234'); // '401: bad key [redacted]'
 * ```
 */
export function rememberSecret(value: string | undefined): void {
  const trimmed = value?.trim();
  if (trimmed !== undefined && trimmed.length >= MIN_KNOWN_LENGTH) knownSecrets.add(trimmed);
}

/**
 * Masks credentials in text that may leave the process: configured keys (those passed in `known`
 * and every one given to {@link rememberSecret}), whole or a recognisable part of them (at least
 * half of the key and 12 characters: a backend that truncates the key it echoes still shows that
 * much), common key
 * shapes (`sk-…`, `AIza…`, JWTs …), bearer and `x-api-key` values, secrets in URL queries and URL
 * userinfo. Everything else is kept, so an error still says what went wrong. Masking is
 * idempotent, and the mask contains no quote or backslash, so masked JSON text stays valid JSON.
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
  // Shapes first: a configured key masked first could cut an unconfigured one in two, and
  // the half after the cut would no longer look like a key.
  let out = text;
  for (const shape of KEY_SHAPES) out = out.replace(shape, (_, prefix: string) => `${prefix}${MASK}`);
  out = out.replace(BEARER, (_, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(BASIC_OR_TOKEN, (match: string, scheme: string, space: string, value: string) =>
    looksLikeCredential(value) ? `${scheme}${space}${MASK}` : match,
  );
  out = out.replace(HEADER_VALUE, (_, name: string, separator: string) => `${name}${separator}${MASK}`);
  out = out.replace(QUERY_SECRET, (_, name: string) => `${name}${MASK}`);
  out = out.replace(URL_USERINFO, (_, scheme: string) => `${scheme}${MASK}@`);
  for (const secret of known) if (secret !== undefined) out = maskKnown(out, secret.trim());
  for (const secret of knownSecrets) out = maskKnown(out, secret);
  return out;
}

/**
 * A copy of a JSON-like value (what `/health`, `status --json` or `replay --json` print) with
 * {@link maskSecrets} applied to every string in it, field names too (a map keyed by backend key
 * carries client-chosen model names); numbers and booleans are kept.
 * Strings that repeat (backend keys, reasons) are masked once per call (the first few thousand
 * distinct ones are remembered, so a huge journal of distinct messages costs no extra memory).
 *
 * @example
 * ```ts
 * import { maskSecretsDeep } from 'llm-health-router';
 * maskSecretsDeep({ lastFailure: { message: 'bad key sk-proj-abcdefghijklmnop', status: 401 } });
 * // { lastFailure: { message: 'bad key sk-[redacted]', status: 401 } }
 * ```
 */
export function maskSecretsDeep<T>(value: T, known: Iterable<string | undefined> = []): T {
  const secrets = [...known];
  const masked = new Map<string, string>();
  const visit = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') {
      let out = masked.get(item);
      if (out === undefined) {
        out = maskSecrets(item, secrets);
        if (masked.size < DEEP_CACHE_SIZE) masked.set(item, out);
      }
      return out;
    }
    // Past this depth it is not the JSON this is for; leave it as it is rather than recurse for ever.
    if (typeof item !== 'object' || item === null || depth > 64) return item;
    if (Array.isArray(item)) return item.map((element) => visit(element, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(item)) copy[visit(key, depth) as string] = visit(field, depth + 1);
    return copy;
  };
  return visit(value, 0) as T;
}

/**
 * A URL (or something meant to be one) as an error message may show it: the userinfo (`user:pass@`,
 * also a bare `TOKEN@`) and every query value and the fragment are masked, whatever their names,
 * since a base URL has no business carrying any; then {@link maskSecrets} for keys in the path.
 * A URL that parses is shown as the WHATWG parser (the one `fetch` uses) reads it. For one that
 * does not, everything up to its last `@` counts as userinfo (hiding a little too much beats
 * printing a password that contains a `/`), and when that swallowed the start of the query, all
 * that follows is masked too.
 *
 * @internal
 * @example
 * ```ts
 * maskUrl('https://user:pass@host/v1?key=secret&x=1');
 * // 'https://[redacted]@host/v1?key=[redacted]&x=[redacted]'
 * ```
 */
export function maskUrl(url: string): string {
  const parsed = parseUrl(url);
  if (parsed !== undefined) {
    // Parsed, the parts are exact (an `@` in the query is no userinfo); shown as the parser normalized them.
    const userinfo = parsed.username !== '' || parsed.password !== '' ? `${MASK}@` : '';
    // The parser writes `/` for an empty path; show none where none was written.
    const path = parsed.pathname === '/' && !/^[^?#]*\/(?:[?#]|$)/.test(url.slice(parsed.protocol.length + 2)) ? '' : parsed.pathname;
    return maskSecrets(`${parsed.protocol}//${userinfo}${parsed.host}${maskQuery(`${path}${parsed.search}${parsed.hash}`)}`);
  }
  const scheme = URL_SCHEME.exec(url)?.[0] ?? '';
  const at = url.lastIndexOf('@');
  let head = scheme;
  let rest = url.slice(scheme.length);
  if (at >= scheme.length) {
    head += `${MASK}@`;
    rest = url.slice(at + 1);
    if (/[?#]/.test(url.slice(scheme.length, at))) return maskSecrets(`${head}${MASK}`);
  }
  return maskSecrets(`${head}${maskQuery(rest)}`);
}

/** The URL when it parses and its scheme is written out (`host:8082` would parse as a scheme). */
function parseUrl(url: string): URL | undefined {
  if (!URL_SCHEME.test(url)) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Masks every query value and the fragment of the part of a URL after its scheme and userinfo. */
function maskQuery(rest: string): string {
  const hash = rest.indexOf('#');
  const beforeHash = hash === -1 ? rest : rest.slice(0, hash);
  const fragment = hash === -1 ? '' : `#${rest.length > hash + 1 ? MASK : ''}`;
  const question = beforeHash.indexOf('?');
  if (question === -1) return `${beforeHash}${fragment}`;
  const params = beforeHash
    .slice(question + 1)
    .split('&')
    .map((param) => {
      const equals = param.indexOf('=');
      if (equals === -1) return param === '' ? '' : MASK;
      return equals === param.length - 1 ? param : `${param.slice(0, equals + 1)}${MASK}`;
    });
  return `${beforeHash.slice(0, question + 1)}${params.join('&')}${fragment}`;
}

/**
 * Masks a configured secret in `text`: every whole occurrence, then every run of at least half of
 * it (and at least 12 characters) that `text` shares with it, widened to all it shares there. A
 * key shorter than 8 characters is not searched for.
 *
 * Runs are found through a few probes instead of every window of the key: the key is cut into
 * consecutive probes of half the shortest run's length, and any shared run that long contains a
 * whole probe. Each probe found is widened both ways while `text` keeps matching the key; only
 * runs that reach the shortest length are masked.
 */
function maskKnown(text: string, secret: string): string {
  if (secret.length < MIN_KNOWN_LENGTH) return text;
  let out = text.includes(secret) ? text.split(secret).join(MASK) : text;
  const shortest = Math.max(MIN_KNOWN_PART, Math.ceil(secret.length / 2));
  if (shortest >= secret.length) return out;
  const probe = Math.floor(shortest / 2);
  for (let start = 0; start + probe <= secret.length; start += probe) {
    const window = secret.slice(start, start + probe);
    for (let found = out.indexOf(window); found !== -1; found = out.indexOf(window, found + 1)) {
      let from = found;
      let to = found + probe;
      for (let s = start; from > 0 && s > 0 && out[from - 1] === secret[s - 1]; s -= 1) from -= 1;
      for (let s = start + probe; to < out.length && s < secret.length && out[to] === secret[s]; s += 1) to += 1;
      if (to - from < shortest) continue;
      out = `${out.slice(0, from)}${MASK}${out.slice(to)}`;
      found = from + MASK.length - 1;
    }
  }
  return out;
}

/**
 * Whether what follows `Basic` / `Token` is a credential rather than a word: it has a digit, an
 * upper-case letter after its first character, or base64 padding. "Basic authentication" stays,
 * `Basic dXNlcjpwYXNz` goes.
 */
function looksLikeCredential(value: string): boolean {
  return /\d/.test(value) || /[A-Z]/.test(value.slice(1)) || value.includes('=');
}
