import type { FailureKind } from './failure.js';

/**
 * The errors behind an error: the error itself, then its `cause` chain, with the members of any
 * `AggregateError` on the way (Node's happy-eyeballs connect reports one failure per address
 * that way). Depth-limited and cycle-safe, because causes are arbitrary user data.
 *
 * @example
 * ```ts
 * const inner = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
 * causeChain(new Error('fetch failed', { cause: inner })).length; // 2
 * ```
 */
export function causeChain(error: unknown, maxDepth = 8): unknown[] {
  const seen = new Set<unknown>();
  const chain: unknown[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (value === undefined || value === null || depth > maxDepth || seen.has(value)) return;
    seen.add(value);
    chain.push(value);
    if (typeof value !== 'object') return;
    const errors = (value as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const member of errors) visit(member, depth + 1);
    visit((value as { cause?: unknown }).cause, depth + 1);
  };
  visit(error, 0);
  return chain;
}

/**
 * How one low-level network failure is classified.
 *
 * @example
 * ```ts
 * const row: NetworkFailure = { kind: 'unreachable', reason: 'econnrefused', answered: false,
 *   retrySameBackend: false, code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 127.0.0.1:8082' };
 * ```
 */
export interface NetworkFailure {
  readonly kind: FailureKind;
  /** The classification table's reason code (`econnrefused`, `stream_cut`, `tls` …). */
  readonly reason: string;
  /** Whether the server had already sent a status line (true only for a cut body). */
  readonly answered: boolean;
  readonly retrySameBackend: boolean;
  /** The system or undici code that matched, when there was one. */
  readonly code?: string;
  /**
   * What happened, for people: a fixed phrase for the row, then the innermost message that
   * explains it (`connection refused: connect ECONNREFUSED 127.0.0.1:8082`).
   */
  readonly detail: string;
}

type Row = Omit<NetworkFailure, 'code' | 'detail'> & { readonly label: string };

const row = (kind: FailureKind, reason: string, retrySameBackend: boolean, label: string, answered = false): Row => ({
  kind,
  reason,
  answered,
  retrySameBackend,
  label,
});

// Nobody at the address: the endpoint is down, a retry on the same route cannot help now.
const unreachable = (reason: string, label: string): Row => row('unreachable', reason, false, label);

const CODE_TABLE: Readonly<Record<string, Row>> = {
  ECONNREFUSED: unreachable('econnrefused', 'connection refused'),
  EHOSTUNREACH: unreachable('ehostunreach', 'host unreachable'),
  ENETUNREACH: unreachable('enetunreach', 'network unreachable'),
  EHOSTDOWN: unreachable('ehostdown', 'host down'),
  // A temporary resolver failure: the name may exist, the network path to DNS does not.
  EAI_AGAIN: unreachable('eai_again', 'DNS lookup failed temporarily'),
  // The name does not exist: a typo in the base URL, fixed only by reconfiguring.
  ENOTFOUND: row('auth_config', 'enotfound', false, 'host name not found'),
  // The peer dropped the connection: the classic transient fault, worth one more try.
  ECONNRESET: row('backend_fault', 'econnreset', true, 'connection reset before the response'),
  EPIPE: row('backend_fault', 'epipe', true, 'connection broken while sending'),
  ECONNABORTED: row('backend_fault', 'econnaborted', true, 'connection aborted'),
  UND_ERR_SOCKET: row('backend_fault', 'socket_closed', true, 'connection closed before the response'),
  // Timeouts: the backend never answered in time; trying it again only doubles the wait.
  ETIMEDOUT: row('backend_fault', 'connect_timeout', false, 'connect timed out'),
  UND_ERR_CONNECT_TIMEOUT: row('backend_fault', 'connect_timeout', false, 'connect timed out'),
  // A slow handshake is a slow backend, not a certificate problem (checked before the TLS family).
  ERR_TLS_HANDSHAKE_TIMEOUT: row('backend_fault', 'connect_timeout', false, 'TLS handshake timed out'),
  UND_ERR_HEADERS_TIMEOUT: row('backend_fault', 'headers_timeout', false, 'timed out waiting for response headers'),
  UND_ERR_BODY_TIMEOUT: row('backend_fault', 'body_timeout', false, 'timed out waiting for the response body', true),
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
]);

/**
 * Whether a code is a TLS/certificate failure (`CERT_*`, `ERR_TLS_*`, `ERR_SSL_*`, and the
 * OpenSSL verify codes Node passes through, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`).
 *
 * @example
 * ```ts
 * isTlsCode('CERT_HAS_EXPIRED'); // true
 * isTlsCode('ECONNRESET'); // false
 * ```
 */
export function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_');
}

/**
 * The classification row for one system/undici error code, or `undefined` when the code means
 * nothing to the classifier.
 *
 * @example
 * ```ts
 * rowForCode('ECONNREFUSED')?.kind; // 'unreachable'
 * rowForCode('ERR_TLS_CERT_ALTNAME_INVALID')?.reason; // 'tls'
 * ```
 */
export function rowForCode(code: string): (Omit<NetworkFailure, 'code' | 'detail'> & { readonly label: string }) | undefined {
  const known = CODE_TABLE[code];
  if (known) return known;
  // A certificate problem is configuration (wrong host, missing CA), not a flaky backend.
  if (isTlsCode(code)) return row('auth_config', 'tls', false, 'TLS handshake failed');
  return undefined;
}

/**
 * Finds the network failure behind an error by walking its cause chain.
 *
 * Order matters: undici's `TypeError: terminated` (the body was cut after the status line
 * arrived) is checked before the codes, because its cause carries the same `UND_ERR_SOCKET` as
 * a connection closed before any answer, and only the wrapper tells the two apart. Then URLs
 * fetch refuses outright (`bad port`, `unknown scheme`, `ERR_INVALID_URL`), then Node's
 * `socket hang up` (whose code is a plain ECONNRESET), then the first error in the chain with a
 * known code (the outermost explanation).
 *
 * @example
 * ```ts
 * const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8082'), { code: 'ECONNREFUSED' });
 * findNetworkFailure(new TypeError('fetch failed', { cause: refused }))?.reason; // 'econnrefused'
 * ```
 */
export function findNetworkFailure(error: unknown): NetworkFailure | undefined {
  const chain = causeChain(error);
  const cut = chain.find(isUndiciTerminated);
  if (cut !== undefined) return classifyCut(cut);
  // fetch refuses some URLs before touching the network (a blocked "bad port", a scheme other
  // than http/https, an unparsable URL): only a config change fixes those.
  const badUrl = chain.find((link) => codeOf(link) === 'ERR_INVALID_URL' || /^(?:bad port|unknown scheme)$/i.test(messageOf(link)));
  if (badUrl !== undefined) {
    const invalid = row('auth_config', 'invalid_url', false, 'the URL cannot be fetched');
    return finding(invalid, codeOf(badUrl), `${invalid.label}: ${messageOf(badUrl)}`);
  }
  const hangUp = chain.find((link) => /socket hang up/i.test(messageOf(link)));
  if (hangUp !== undefined) {
    // Node's http client tags a hang-up with ECONNRESET; the message is the better explanation.
    const hungUp = row('backend_fault', 'socket_hang_up', true, 'connection closed before the response');
    return finding(hungUp, codeOf(hangUp), `${hungUp.label}: ${messageOf(hangUp)}`);
  }
  for (const link of chain) {
    const code = codeOf(link);
    const known = code === undefined ? undefined : rowForCode(code);
    if (known && code !== undefined) return finding(known, code, `${known.label}: ${detailOf(link, code)}`);
  }
  return undefined;
}

function finding(source: Row, code: string | undefined, detail: string): NetworkFailure {
  const { kind, reason, answered, retrySameBackend } = source;
  return { kind, reason, answered, retrySameBackend, ...(code !== undefined ? { code } : {}), detail };
}

// The body stopped after the status line: the server had answered, then the stream broke.
function classifyCut(cut: unknown): NetworkFailure {
  const inner = causeChain(cut).slice(1);
  const timeout = inner.find((link) => codeOf(link) === 'UND_ERR_BODY_TIMEOUT');
  if (timeout !== undefined) {
    const bodyTimeout = row('backend_fault', 'body_timeout', false, 'timed out waiting for the response body', true);
    return finding(bodyTimeout, 'UND_ERR_BODY_TIMEOUT', `${bodyTimeout.label}: ${messageOf(timeout)}`);
  }
  const coded = inner.find((link) => codeOf(link) !== undefined);
  const code = coded === undefined ? undefined : codeOf(coded);
  const cutRow = row('backend_fault', 'stream_cut', true, 'response cut off mid-body', true);
  return finding(cutRow, code, `${cutRow.label} (terminated)${coded === undefined ? '' : `: ${messageOf(coded)}`}`);
}

/**
 * Whether a value is undici's `TypeError: terminated`, thrown while reading a response body
 * whose connection went away.
 *
 * @example
 * ```ts
 * isUndiciTerminated(new TypeError('terminated')); // true
 * ```
 */
export function isUndiciTerminated(value: unknown): boolean {
  // By name, not instanceof: the error may come from another realm (a worker, a vm context).
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'TypeError' &&
    (value as { message?: unknown }).message === 'terminated'
  );
}

/**
 * The string `code` of an error-like value (`ECONNREFUSED`, `UND_ERR_SOCKET` …).
 *
 * @example
 * ```ts
 * codeOf(Object.assign(new Error('x'), { code: 'EPIPE' })); // 'EPIPE'
 * ```
 */
export function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}

function messageOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  const message = (value as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}

function detailOf(link: unknown, code: string): string {
  const message = messageOf(link);
  if (!message) return code;
  return message.includes(code) ? message : `${code}: ${message}`;
}
