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
  /** Bearer tokens clients must send; empty: no authentication (the gateway listens on 127.0.0.1). */
  readonly authTokens: readonly string[];
  readonly maxBodyBytes: number;
  readonly limits: { readonly firstTokenTimeoutMs: number; readonly idleTimeoutMs: number; readonly attemptTimeoutMs: number; readonly requestTimeoutMs: number };
  /** The port from the config (`--port` wins), if given. */
  readonly port?: number;
}

/** Defaults a client never waits past: a first token well under 15 s, a stall well under 30 s. */
export const GATEWAY_DEFAULTS = Object.freeze({
  maxBodyBytes: 8 * 1024 * 1024,
  firstTokenTimeoutMs: 10_000,
  idleTimeoutMs: 20_000,
  attemptTimeoutMs: 120_000,
  requestTimeoutMs: 300_000,
});

const GATEWAY_FIELDS = ['port', 'auth_tokens', 'auth_tokens_env', 'max_body_bytes', 'first_token_timeout_ms', 'idle_timeout_ms', 'attempt_timeout_ms', 'request_timeout_ms'];
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
  const limits: { firstTokenTimeoutMs: number; idleTimeoutMs: number; attemptTimeoutMs: number; requestTimeoutMs: number } = { firstTokenTimeoutMs: d.firstTokenTimeoutMs, idleTimeoutMs: d.idleTimeoutMs, attemptTimeoutMs: d.attemptTimeoutMs, requestTimeoutMs: d.requestTimeoutMs };
  const out = { authTokens: [] as string[], maxBodyBytes: d.maxBodyBytes as number, limits, port: undefined as number | undefined };
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
  out.limits.firstTokenTimeoutMs = int('first_token_timeout_ms', 100, 600_000) ?? out.limits.firstTokenTimeoutMs;
  out.limits.idleTimeoutMs = int('idle_timeout_ms', 100, 600_000) ?? out.limits.idleTimeoutMs;
  out.limits.attemptTimeoutMs = int('attempt_timeout_ms', 1_000, 3_600_000) ?? out.limits.attemptTimeoutMs;
  out.limits.requestTimeoutMs = int('request_timeout_ms', 1_000, 3_600_000) ?? out.limits.requestTimeoutMs;
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
