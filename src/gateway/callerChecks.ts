import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { clip } from './clip.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Who may call, beyond same-host callers without a browser: the config's allow-lists. */
export interface CallerAccess {
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
}

/** Why a caller is turned away before anything is read or routed: HTTP status and a message saying what to configure. */
export interface CallerRefusal {
  readonly status: 400 | 403 | 415;
  readonly message: string;
}

/**
 * A `Host` header split into its name (lowercase; an IPv6 address keeps its brackets) and port;
 * `undefined` for a value no client sends.
 */
function parseHost(value: string): { name: string; port?: string } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), ...(match[2] !== undefined ? { port: match[2] } : {}) };
}

/**
 * Whether a host name (as in a `Host` header, without the port) names this machine's loopback:
 * `localhost`, an address in 127.0.0.0/8, `::1` (also IPv4-mapped). A DNS name that merely
 * resolves to 127.0.0.1 is not one: that is what a DNS-rebinding page uses.
 *
 * @example
 * ```ts
 * isLoopbackHost('localhost'); // true
 * isLoopbackHost('[::1]'); // true
 * isLoopbackHost('evil.example'); // false
 * ```
 */
export function isLoopbackHost(name: string): boolean {
  // The names clients use nearly always, answered without parsing an address.
  if (name === 'localhost' || name === '127.0.0.1' || name === '[::1]') return true;
  const address = name.startsWith('[') ? name.slice(1, -1) : name;
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The checks every request passes before its token or body is looked at, whether or not client
 * tokens are configured:
 *
 * - `Host` must be a loopback name or address, or one of `gateway.allowed_hosts` (an entry with a
 *   port matches that port only). A page on a DNS name rebound to 127.0.0.1 sends its own name.
 * - An `Origin` header (a browser sends one with every cross-origin request and every POST) must
 *   be one of `gateway.allowed_origins` (default none): a web page must not drive the gateway.
 *
 * @example
 * ```ts
 * const refusal = screenCaller(req, { allowedHosts: [], allowedOrigins: [] });
 * if (refusal) return send(refusal.status, refusal.message);
 * ```
 */
export function screenCaller(req: IncomingMessage, access: CallerAccess): CallerRefusal | undefined {
  const host = req.headers.host;
  if (host === undefined || host.trim() === '') return { status: 403, message: 'the request has no Host header; send the host you connect to (e.g. Host: 127.0.0.1:8787)' };
  // Node keeps the first of several Host lines; a proxy in front may route by another one. RFC 9112 §3.2: 400.
  if (hostLines(req) > 1) return { status: 400, message: 'the request has more than one Host header; send exactly one' };
  const parsed = parseHost(host);
  const allowed =
    parsed !== undefined &&
    (isLoopbackHost(parsed.name) || access.allowedHosts.some((entry) => entry === parsed.name || (parsed.port !== undefined && entry === `${parsed.name}:${parsed.port}`)));
  if (!allowed) {
    return {
      status: 403,
      message: `the Host header "${clip(host)}" is not a loopback name or address (localhost, 127.0.0.1, [::1]); to reach the gateway by this name, add it to gateway.allowed_hosts`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, access)) {
    return {
      status: 403,
      message: `requests from the web origin "${clip(origin)}" are refused: web pages may not call this gateway; to let a browser app at that origin call it, add the origin to gateway.allowed_origins`,
    };
  }
  return undefined;
}

function hostLines(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') count += 1;
  return count;
}

function originAllowed(origin: string, access: CallerAccess): boolean {
  return access.allowedOrigins.includes(origin.trim().toLowerCase());
}

/**
 * A body-carrying request must say `content-type: application/json` (parameters such as
 * `charset=utf-8` are fine). The forms a browser may send cross-origin without asking first
 * (`text/plain`, form encodings, or no type at all) are refused: that is the "simple request"
 * a page would use to post to the gateway blind.
 *
 * @example
 * ```ts
 * jsonBodyRefusal(req); // undefined for 'application/json; charset=utf-8'
 * ```
 */
export function jsonBodyRefusal(req: IncomingMessage): CallerRefusal | undefined {
  const type = req.headers['content-type'];
  const media = type?.split(';')[0]?.trim().toLowerCase();
  if (media === 'application/json') return undefined;
  return {
    status: 415,
    message: `${type === undefined ? 'the request has no content-type' : `content-type "${clip(type)}" is not accepted`}: send the JSON body with content-type: application/json`,
  };
}

/**
 * The CORS headers an allowed browser origin gets on every answer (so its page can read it);
 * none for any other caller.
 *
 * @example
 * ```ts
 * res.writeHead(200, { ...corsHeaders(req, access), 'content-type': 'application/json' });
 * ```
 */
export function corsHeaders(req: IncomingMessage, access: CallerAccess): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || !originAllowed(origin, access)) return {};
  return { 'access-control-allow-origin': origin.trim().toLowerCase(), vary: 'origin', 'access-control-expose-headers': 'retry-after' };
}

/**
 * The answer to a CORS preflight (`OPTIONS`) from an allowed origin: the methods and the headers
 * it asked for. A foreign origin never gets here (it is refused by {@link screenCaller}), so it
 * gets no CORS allowance.
 *
 * @example
 * ```ts
 * if (req.method === 'OPTIONS') { res.writeHead(204, preflightHeaders(req, access)); res.end(); }
 * ```
 */
export function preflightHeaders(req: IncomingMessage, access: CallerAccess): Record<string, string> {
  const cors = corsHeaders(req, access);
  if (!cors['access-control-allow-origin']) return { allow: 'GET, POST, OPTIONS' };
  const asked = req.headers['access-control-request-headers'];
  return {
    ...cors,
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': typeof asked === 'string' && asked.trim() !== '' ? asked : 'authorization, content-type, x-api-key, anthropic-version',
    'access-control-max-age': '600',
  };
}
