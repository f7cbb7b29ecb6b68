import { maskUrl } from '../security/maskSecrets.js';
import { IdentityError, quote } from './errors.js';

/** What a base URL error message offers as a model of a valid value. */
const BASE_URL_EXAMPLE = 'expected e.g. http://127.0.0.1:8082';

/**
 * A base URL after normalization, with the two parts api-mode detection needs, so callers that
 * need both do not parse twice.
 *
 * @internal
 * @example
 * ```ts
 * parseBaseUrl('HTTPS://Proxy.example:443/anthropic/');
 * // { href: 'https://proxy.example/anthropic', hostname: 'proxy.example', pathname: '/anthropic' }
 * ```
 */
export interface ParsedBaseUrl {
  /** The normalized base URL: `scheme://host[:port][path]`, no trailing `/`. */
  readonly href: string;
  /** Lower-cased host without port; IPv6 keeps its brackets; a DNS name loses its root dot. */
  readonly hostname: string;
  /** The path without trailing slashes (`''` for the root), case preserved. */
  readonly pathname: string;
}

/**
 * Parse and normalize a base URL, or throw an {@link IdentityError} naming `field`.
 *
 * The WHATWG URL parser (the one `fetch` and both SDKs use) does the canonical work: scheme and
 * host lower-cased, IDN hosts to punycode, IPv4/IPv6 literals canonicalized, default ports
 * dropped, `.`/`..` path segments resolved. On top of it:
 * - trailing slashes are removed, because both SDKs append their own `/…` path;
 * - one root dot of a DNS name is removed (`api.anthropic.com.` is the same host);
 * - a raw `|` in the path is percent-encoded, because `|` separates the parts of a key;
 * - a query or fragment is rejected: an SDK appends its path to the base as a string, so
 *   `http://h/v1?x=1` would become `http://h/v1?x=1/chat/completions`, silently misrouted;
 * - credentials (`user:pass@`) are rejected, never stripped: stripping would silently break a
 *   proxy that needs them, and keeping them would put a secret into keys, journals and logs.
 *
 * So a normalized base URL, and every identity key made from it, never holds userinfo or a query.
 * Every error shows the value through `maskUrl`: userinfo, every query value and the fragment
 * masked (`[redacted]`), whichever check failed first.
 *
 * @internal
 * @example
 * ```ts
 * parseBaseUrl('http://[::1]:80/v1//').href; // 'http://[::1]/v1'
 * ```
 */
export function parseBaseUrl(raw: unknown, field = 'base_url'): ParsedBaseUrl {
  if (typeof raw !== 'string') {
    throw new IdentityError(
      field,
      String(raw),
      `${field} must be a string, got ${raw === null ? 'null' : typeof raw}; ${BASE_URL_EXAMPLE}`,
    );
  }
  const input = raw.trim();
  if (input === '') {
    throw new IdentityError(field, raw, `${field} is empty; ${BASE_URL_EXAMPLE}`);
  }
  const scheme = /^https?:\/\//i.exec(input);
  if (scheme === null) {
    // Without an explicit `http://`/`https://`, WHATWG would read `localhost:8082` as a URL with
    // the scheme `localhost:` — a confusing way to fail, so it is caught here by name.
    throw new IdentityError(field, maskUrl(input), `${field} ${quote(maskUrl(input))} is not an http(s) URL; ${BASE_URL_EXAMPLE}`);
  }
  // Whitespace or control characters inside a base URL are a paste error; WHATWG would silently
  // drop tabs/newlines and encode spaces, producing a URL nobody wrote.
  if (/[\u0000-\u0020\u007f]/.test(input)) {
    throw new IdentityError(
      field,
      maskUrl(input),
      `${field} ${quote(maskUrl(input))} contains whitespace or control characters; ${BASE_URL_EXAMPLE}`,
    );
  }
  const afterScheme = input.slice(scheme[0].length);
  if (afterScheme === '' || afterScheme.startsWith('/') || afterScheme.startsWith('\\')) {
    // WHATWG would skip the extra slashes and take the first path segment as the host.
    throw new IdentityError(field, maskUrl(input), `${field} ${quote(maskUrl(input))} has no host; ${BASE_URL_EXAMPLE}`);
  }

  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new IdentityError(field, maskUrl(input), `${field} ${quote(maskUrl(input))} is not a valid URL; ${BASE_URL_EXAMPLE}`);
  }

  if (url.username !== '' || url.password !== '') {
    const shown = maskUrl(input);
    throw new IdentityError(
      field,
      shown,
      `${field} ${quote(shown)} contains credentials; put the key in api_key or api_key_env, not in the URL`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    // The query's values are hidden in the error: it is where keys hide (`?key=…`, `?api-key=…`).
    const shown = maskUrl(input);
    const part = url.search !== '' ? 'query string' : 'fragment';
    throw new IdentityError(
      field,
      shown,
      `${field} ${quote(shown)} has a ${part}; a base URL is a prefix the SDK appends paths to, so it cannot carry one (${BASE_URL_EXAMPLE})`,
    );
  }

  let hostname = url.hostname;
  if (!hostname.startsWith('[')) {
    if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
    // An empty label (`a..b`, `.a`, or `a..` after the root dot went) is not a DNS name; allowing
    // it would also make normalization non-idempotent (`h..` → `h.` → `h`).
    if (hostname === '' || hostname.startsWith('.') || hostname.endsWith('.') || hostname.includes('..')) {
      throw new IdentityError(field, maskUrl(input), `${field} ${quote(maskUrl(input))} has an invalid host ${quote(url.hostname)}; ${BASE_URL_EXAMPLE}`);
    }
  }

  const pathname = url.pathname.replace(/\/+$/, '').replaceAll('|', '%7C');
  const host = url.port === '' ? hostname : `${hostname}:${url.port}`;
  return { href: `${url.protocol}//${host}${pathname}`, hostname, pathname };
}

/**
 * Normalize a base URL into the form used in identity keys and for requests: scheme and host
 * lower-cased, default port (`:80` for http, `:443` for https) and trailing `/` removed, path
 * kept with its case. Rejects what cannot be a base URL with an {@link IdentityError} naming the
 * field, the value and what is accepted: an empty value, a scheme other than http(s), an
 * unparsable URL, credentials in the URL (redacted in the error), a query or a fragment.
 *
 * @param raw - The configured value.
 * @param field - The config field to name in errors (default `base_url`).
 * @returns The normalized URL, idempotent: `normalizeBaseUrl(normalizeBaseUrl(x)) === normalizeBaseUrl(x)`.
 *
 * @example
 * ```ts
 * import { normalizeBaseUrl } from 'llm-health-router';
 * normalizeBaseUrl('HTTP://127.0.0.1:8082/');        // 'http://127.0.0.1:8082'
 * normalizeBaseUrl('https://API.example.com:443/V1/'); // 'https://api.example.com/V1'
 * normalizeBaseUrl('http://[::1]:80');                 // 'http://[::1]'
 * normalizeBaseUrl('ftp://x'); // throws IdentityError: base_url "ftp://x" is not an http(s) URL; …
 * ```
 */
export function normalizeBaseUrl(raw: string, field = 'base_url'): string {
  return parseBaseUrl(raw, field).href;
}
