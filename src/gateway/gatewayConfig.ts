import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigIssue } from '../config/configError.js';
import { resolveHealthSection } from '../config/healthSection.js';
import { IssueList } from '../config/issueList.js';
import { loadRouterConfig } from '../config/loadRouterConfig.js';
import { parseConfigText } from '../config/parseConfigText.js';
import type { RouterConfig } from '../config/routerConfig.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import { rememberSecret } from '../security/maskSecrets.js';
import { isRecord } from '../util/isRecord.js';
import { globPattern } from './globPattern.js';

/**
 * One route: the model names it answers (an exact name, or a pattern with `*`), and the backends
 * that serve them — a primary and its fallback chain in the library's config format. With
 * `pass_model: true` the requested name goes to the primary as is (a catch-all route forwarding
 * any model to one provider); the fallbacks keep their own models.
 *
 * @example
 * ```ts
 * const route: GatewayRoute = config.routes[0]!;
 * route.matches('claude-sonnet-4-6'); // true for match: 'claude-*'
 * ```
 */
export interface GatewayRoute {
  readonly match: string;
  readonly passModel: boolean;
  matches(model: string): boolean;
  /** The route's config; for `pass_model` routes, built for the requested model. */
  configFor(model: string): RouterConfig;
}

/**
 * Gateway settings: routes, client tokens, limits, and the health policy all routes share.
 *
 * @example
 * ```ts
 * const config = await readGatewayConfig('router.yaml');
 * config.routes.map((r) => r.match); // ['claude-*', '*']
 * ```
 */
export interface GatewayConfig {
  readonly routes: readonly GatewayRoute[];
  readonly health: HealthPolicy;
  /** Bearer tokens clients must send; empty: no authentication, so only same-host callers get in (see `allowedHosts`). */
  readonly authTokens: readonly string[];
  /**
   * `Host` names a request may carry besides the loopback ones (`localhost`, 127.0.0.0/8, `::1`),
   * lowercased, each with or without a port: what keeps a DNS-rebinding web page out.
   */
  readonly allowedHosts: readonly string[];
  /** Browser origins (`scheme://host[:port]`) that may call the gateway; every other `Origin` gets 403. Default none. */
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  /** What the gateway holds at once: requests being served, their body bytes, and model names a `pass_model` route tracks health for. */
  readonly capacity: { readonly requestsInFlight: number; readonly bodyBytesInFlight: number; readonly modelNames: number };
  readonly limits: {
    readonly firstTokenTimeoutMs: number;
    readonly idleTimeoutMs: number;
    readonly attemptTimeoutMs: number;
    readonly requestTimeoutMs: number;
    /** From the end of the headers to the last byte of the body. */
    readonly bodyTimeoutMs: number;
    /** From the connection's first byte of a request to the end of its headers. */
    readonly headersTimeoutMs: number;
    /** How long an idle keep-alive connection stays open. */
    readonly keepAliveTimeoutMs: number;
    /** How long a drain (SIGTERM) lets requests in flight finish. */
    readonly shutdownTimeoutMs: number;
  };
  /** The port from the config (`--port` wins), if given. */
  readonly port?: number;
}

/**
 * Defaults a client never waits past (a first token well under 15 s, a stall well under 30 s),
 * and bounds that keep one client from holding the gateway's memory or connections: see
 * docs/gateway.md for why each value.
 *
 * @example
 * ```ts
 * import { GATEWAY_DEFAULTS } from 'llm-health-router';
 * GATEWAY_DEFAULTS.maxModelNames; // 256: model names pass_model routes track health for
 * ```
 */
export const GATEWAY_DEFAULTS = Object.freeze({
  maxBodyBytes: 8 * 1024 * 1024,
  firstTokenTimeoutMs: 10_000,
  idleTimeoutMs: 20_000,
  attemptTimeoutMs: 120_000,
  requestTimeoutMs: 300_000,
  bodyTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  shutdownTimeoutMs: 30_000,
  maxRequestsInFlight: 128,
  maxBodyBytesInFlight: 64 * 1024 * 1024,
  maxModelNames: 256,
});

const GATEWAY_FIELDS = [
  'port',
  'auth_tokens',
  'auth_tokens_env',
  'allowed_hosts',
  'allowed_origins',
  'max_body_bytes',
  'max_body_bytes_in_flight',
  'max_requests_in_flight',
  'max_model_names',
  'first_token_timeout_ms',
  'idle_timeout_ms',
  'attempt_timeout_ms',
  'request_timeout_ms',
  'body_timeout_ms',
  'headers_timeout_ms',
  'keep_alive_timeout_ms',
  'shutdown_timeout_ms',
];
/** What a route may not set: one policy and one set of notices for the whole gateway. */
const NOT_PER_ROUTE = ['health', 'auxiliary', 'delegation', 'routes', 'gateway'];

/**
 * Reads a gateway config: the library's config format (YAML or JSON) plus `routes:` and
 * `gateway:`. Without `routes`, the top-level primary and fallback chain form one catch-all route
 * (the agent's own config works as is). Every problem is reported at once, with its path.
 *
 * @example
 * ```ts
 * import { loadGatewayConfig } from 'llm-health-router';
 * const config = loadGatewayConfig('routes:\n  - match: "*"\n    model: qwen3:32b\n    provider: custom\n    base_url: http://127.0.0.1:11434/v1\n');
 * ```
 */
export function loadGatewayConfig(text: string, options: { env?: NodeJS.ProcessEnv; file?: string } = {}): GatewayConfig {
  const { file } = options;
  const env = options.env ?? process.env;
  const root = parseConfigText(text, 'yaml', file);
  if (!isRecord(root)) throw new ConfigError([{ path: '', message: 'the config is not a mapping; write routes: or a model and provider' }], file);
  const issues: ConfigIssue[] = [];
  const { routes: rawRoutes, gateway: rawGateway, ...library } = root;
  const gateway = gatewaySection(rawGateway, env, issues);
  let routes: GatewayRoute[] = [];
  let health: HealthPolicy | undefined;
  if (rawRoutes === undefined) {
    const config = collect(issues, '', () => loadRouterConfig(library, { env }));
    if (config) {
      routes = [{ match: '*', passModel: false, matches: () => true, configFor: () => config }];
      health = config.health;
    }
  } else {
    health = collect(issues, '', () => {
      // The same resolution (and messages) the library config gives its own health: section.
      const found = new IssueList(env);
      const { policy } = resolveHealthSection(library['health'], found);
      found.throwIfAny();
      return policy;
    });
    for (const key of Object.keys(library)) if (key !== 'health') issues.push({ path: key, message: 'with routes:, backends are configured per route; move this into a route' });
    if (!Array.isArray(rawRoutes) || rawRoutes.length === 0) issues.push({ path: 'routes', message: 'a list of routes, each with match, model, provider …' });
    // A bad health: section is reported once, at its own path, not again under every route.
    else routes = rawRoutes.flatMap((raw, i) => route(raw, `routes[${i}]`, health !== undefined ? library['health'] : undefined, env, issues));
  }
  if (issues.length > 0) throw new ConfigError(issues, file);
  return { routes, health: health!, ...gateway };
}

/**
 * {@link loadGatewayConfig} from a file; a missing file is named.
 *
 * @example
 * ```ts
 * const config = await readGatewayConfig('router.yaml');
 * ```
 */
export async function readGatewayConfig(path: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the gateway config ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return loadGatewayConfig(text, { ...options, file: path });
}

function route(raw: unknown, path: string, health: unknown, env: NodeJS.ProcessEnv, issues: ConfigIssue[]): GatewayRoute[] {
  if (!isRecord(raw)) {
    issues.push({ path, message: 'a route: a mapping with match, model, provider …' });
    return [];
  }
  const { match, pass_model: passModel, ...entry } = raw;
  for (const key of NOT_PER_ROUTE) if (key in entry) issues.push({ path: `${path}.${key}`, message: `not allowed in a route; ${key === 'health' ? 'set health: once at the top level' : 'the gateway serves one call per request'}` });
  if (typeof match !== 'string' || match.trim() === '') issues.push({ path: `${path}.match`, message: 'the model name this route answers, or a pattern with * (e.g. "claude-*", or "*" for every model)' });
  if (passModel !== undefined && typeof passModel !== 'boolean') issues.push({ path: `${path}.pass_model`, message: `true or false, not ${JSON.stringify(passModel)}` });
  const doc = (model?: string) => ({ ...entry, ...(model !== undefined ? { model } : {}), ...(health !== undefined ? { health } : {}) });
  // The model a pass_model route forwards comes with each request; check the rest with a stand-in.
  const checked = collect(issues, path, () => loadRouterConfig(doc(passModel === true ? 'requested-model' : undefined), { env }));
  if (!checked || typeof match !== 'string') return [];
  const pattern = globPattern(match.trim());
  const built = new Map<string, RouterConfig>();
  return [
    {
      match: match.trim(),
      passModel: passModel === true,
      matches: (model) => pattern.test(model),
      configFor(model) {
        if (passModel !== true) return checked;
        let config = built.get(model);
        if (!config) {
          config = loadRouterConfig(doc(model), { env });
          // Bounded: a client asking for endless model names must not grow this for ever.
          if (built.size >= 256) built.delete(built.keys().next().value!);
          built.set(model, config);
        }
        return config;
      },
    },
  ];
}

function gatewaySection(raw: unknown, env: NodeJS.ProcessEnv, issues: ConfigIssue[]): Omit<GatewayConfig, 'routes' | 'health'> {
  const d = GATEWAY_DEFAULTS;
  const limits = {
    firstTokenTimeoutMs: d.firstTokenTimeoutMs as number,
    idleTimeoutMs: d.idleTimeoutMs as number,
    attemptTimeoutMs: d.attemptTimeoutMs as number,
    requestTimeoutMs: d.requestTimeoutMs as number,
    bodyTimeoutMs: d.bodyTimeoutMs as number,
    headersTimeoutMs: d.headersTimeoutMs as number,
    keepAliveTimeoutMs: d.keepAliveTimeoutMs as number,
    shutdownTimeoutMs: d.shutdownTimeoutMs as number,
  };
  const capacity = { requestsInFlight: d.maxRequestsInFlight as number, bodyBytesInFlight: d.maxBodyBytesInFlight as number, modelNames: d.maxModelNames as number };
  const out = { authTokens: [] as string[], allowedHosts: [] as string[], allowedOrigins: [] as string[], maxBodyBytes: d.maxBodyBytes as number, capacity, limits, port: undefined as number | undefined };
  if (raw === undefined || raw === null) return withoutPort(out);
  if (!isRecord(raw)) {
    issues.push({ path: 'gateway', message: 'a mapping of gateway settings' });
    return withoutPort(out);
  }
  for (const key of Object.keys(raw)) if (!GATEWAY_FIELDS.includes(key)) issues.push({ path: `gateway.${key}`, message: `unknown field; known: ${GATEWAY_FIELDS.join(', ')}` });
  const int = (key: string, min: number, max: number): number | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      issues.push({ path: `gateway.${key}`, message: `a whole number from ${min} to ${max}, not ${JSON.stringify(v)}` });
      return undefined;
    }
    return v;
  };
  out.port = int('port', 0, 65_535);
  out.maxBodyBytes = int('max_body_bytes', 1024, 1024 ** 3) ?? out.maxBodyBytes;
  limits.firstTokenTimeoutMs = int('first_token_timeout_ms', 100, 600_000) ?? limits.firstTokenTimeoutMs;
  limits.idleTimeoutMs = int('idle_timeout_ms', 100, 600_000) ?? limits.idleTimeoutMs;
  limits.attemptTimeoutMs = int('attempt_timeout_ms', 1_000, 3_600_000) ?? limits.attemptTimeoutMs;
  limits.requestTimeoutMs = int('request_timeout_ms', 1_000, 3_600_000) ?? limits.requestTimeoutMs;
  limits.bodyTimeoutMs = int('body_timeout_ms', 100, 3_600_000) ?? limits.bodyTimeoutMs;
  limits.headersTimeoutMs = int('headers_timeout_ms', 100, 600_000) ?? limits.headersTimeoutMs;
  limits.keepAliveTimeoutMs = int('keep_alive_timeout_ms', 100, 600_000) ?? limits.keepAliveTimeoutMs;
  limits.shutdownTimeoutMs = int('shutdown_timeout_ms', 0, 3_600_000) ?? limits.shutdownTimeoutMs;
  capacity.requestsInFlight = int('max_requests_in_flight', 1, 1_000_000) ?? capacity.requestsInFlight;
  capacity.modelNames = int('max_model_names', 1, 1_000_000) ?? capacity.modelNames;
  const bytesInFlight = int('max_body_bytes_in_flight', 1024, 64 * 1024 ** 3);
  if (bytesInFlight !== undefined && bytesInFlight < out.maxBodyBytes) {
    // Below one full body, a request of the allowed size could never be admitted.
    issues.push({ path: 'gateway.max_body_bytes_in_flight', message: `${bytesInFlight} is less than max_body_bytes (${out.maxBodyBytes}); a body of the allowed size could never be read` });
  } else capacity.bodyBytesInFlight = bytesInFlight ?? Math.max(capacity.bodyBytesInFlight, out.maxBodyBytes);
  out.allowedHosts = list(raw, 'allowed_hosts', issues, hostEntry);
  out.allowedOrigins = list(raw, 'allowed_origins', issues, originEntry);
  const tokens = raw['auth_tokens'];
  if (tokens !== undefined) {
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string' || t.length < 8)) issues.push({ path: 'gateway.auth_tokens', message: 'a list of tokens of at least 8 characters' });
    else out.authTokens.push(...(tokens as string[]));
  }
  const tokensEnv = raw['auth_tokens_env'];
  if (tokensEnv !== undefined) {
    const value = typeof tokensEnv === 'string' ? env[tokensEnv] : undefined;
    if (typeof tokensEnv !== 'string') issues.push({ path: 'gateway.auth_tokens_env', message: 'the name of an environment variable holding comma-separated tokens' });
    else if (!value) issues.push({ path: 'gateway.auth_tokens_env', message: `the environment variable ${tokensEnv} is not set (or empty)` });
    else {
      const fromEnv = value.split(',').map((t) => t.trim()).filter(Boolean);
      // An empty list would open the gateway: a variable meant to hold tokens must hold good ones.
      if (fromEnv.length === 0 || fromEnv.some((t) => t.length < 8)) issues.push({ path: 'gateway.auth_tokens_env', message: `${tokensEnv} must hold comma-separated tokens of at least 8 characters each` });
      else out.authTokens.push(...fromEnv);
    }
  }
  // Client tokens are credentials too: masked wherever a backend or a client echoes one back.
  for (const token of out.authTokens) rememberSecret(token);
  return withoutPort(out);
}

/** A list of strings, each normalized (or refused with the reason) by `entry`. */
function list(raw: Record<string, unknown>, key: string, issues: ConfigIssue[], entry: (value: string) => string | { error: string }): string[] {
  const value = raw[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path: `gateway.${key}`, message: `a list, not ${JSON.stringify(value)}` });
    return [];
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    const result = typeof item === 'string' ? entry(item.trim()) : { error: `a string, not ${JSON.stringify(item)}` };
    if (typeof result === 'string') out.push(result);
    else issues.push({ path: `gateway.${key}[${i}]`, message: result.error });
  });
  return out;
}

/** A `Host` value as a client sends it: a name or address, optionally with a port; no scheme, path or wildcard. */
function hostEntry(value: string): string | { error: string } {
  const host = value.toLowerCase();
  const example = 'a host name or address as clients send it in Host, with or without a port (e.g. gateway.internal, 10.0.0.5:8787, [fd00::1])';
  if (host === '' || host.includes('*')) return { error: `${example}; ${JSON.stringify(value)} is not one (a wildcard would let any DNS name reach the gateway)` };
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(host)) return { error: `${example}; not ${JSON.stringify(value)}` };
  return host;
}

/** A browser origin, exactly as the `Origin` header carries it: scheme, host and a non-default port, nothing else. */
function originEntry(value: string): string | { error: string } {
  const example = 'a browser origin, scheme://host[:port] (e.g. http://localhost:5173)';
  if (value === '*' || value.includes('*')) return { error: `${example}; a wildcard would let every web page drive the gateway with its backends' keys` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: `${example}; not ${JSON.stringify(value)}` };
  }
  const bare = url.pathname === '/' && !value.endsWith('/') && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) return { error: `${example}, nothing after the port; not ${JSON.stringify(value)}` };
  // As browsers send it: lowercase, the default port left out.
  return url.origin;
}

function withoutPort<T extends { port: number | undefined }>(out: T): Omit<T, 'port'> & { port?: number } {
  const { port, ...rest } = out;
  return port === undefined ? rest : { ...rest, port };
}

/** Runs a library config load, moving its issues under `prefix` instead of throwing. */
function collect<T>(issues: ConfigIssue[], prefix: string, load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) issues.push({ ...issue, path: prefix && issue.path ? `${prefix}.${issue.path}` : prefix || issue.path });
    return undefined;
  }
}
