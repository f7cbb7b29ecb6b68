import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InspectionEvent } from 'xstate';
import { classifierOptionsFrom } from '../policy/classifierOptions.js';
import type { Journal } from '../journal/journal.js';
import type { Clock } from '../clock/clock.js';
import type { HealthRegistry } from '../registry/healthRegistry.js';
import { openHealthRegistry } from '../registry/openHealthRegistry.js';
import { sdkTransport } from '../transports/sdkTransport.js';
import type { NeutralRequest } from '../transports/neutral.js';
import type { Transport } from '../transports/transport.js';
import { corsHeaders, jsonBodyRefusal, preflightHeaders, screenCaller } from './callerChecks.js';
import { clip } from './clip.js';
import { ClientTokens } from './clientTokens.js';
import type { ClientStream } from './clientStream.js';
import { continuingTransport } from './continuingTransport.js';
import type { GatewayConfig } from './gatewayConfig.js';
import { handleCompletion, type CompletionContext } from './handleCompletion.js';
import { healthBody, SuccessLog } from './healthBody.js';
import { internalError, type GatewayLog } from './internalError.js';
import { GatewayMetrics } from './metrics.js';
import { ModelNameTable } from './modelNames.js';
import { modelsList } from './protocol/index.js';
import { RequestBudget } from './requestBudget.js';
import { RouterPool } from './routerPool.js';
import { WIRE_PROTOCOLS, type ErrorDetail, type WireProtocol } from './wireProtocols.js';

/**
 * How to run a gateway. Only `config` is required.
 *
 * @example
 * ```ts
 * const options: GatewayOptions = { config: await readGatewayConfig('router.yaml'), port: 8787, journal: fileJournal('health.jsonl') };
 * ```
 */
export interface GatewayOptions {
  readonly config: GatewayConfig;
  /** Default: the config's `gateway.port`, else 0 (a free port). */
  readonly port?: number;
  /**
   * Default 127.0.0.1. Listening elsewhere exposes your backends' credentials to whoever can
   * connect; the names clients then use must be in `gateway.allowed_hosts`.
   */
  readonly host?: string;
  /** Where health facts go (default: in memory). Ignored when `registry` is given. */
  readonly journal?: Journal;
  /** A registry to share (tests, or an agent embedding the gateway). */
  readonly registry?: HealthRegistry;
  readonly clock?: Clock;
  /** Default: the real SDKs (`sdkTransport`). */
  readonly transport?: Transport;
  /** One-token probes of backends whose cooldown allows one (default: the config's `health.probe.active`, true unless set false). */
  readonly activeProbes?: boolean;
  readonly inspect?: (event: InspectionEvent) => void;
  /** Where internal errors are written with their detail (default: stderr). Clients only get an id. */
  readonly log?: GatewayLog;
}

/**
 * A running gateway.
 *
 * @example
 * ```ts
 * const gateway = await startGateway({ config });
 * console.log(gateway.url); // http://127.0.0.1:PORT
 * process.once('SIGTERM', () => void gateway.drain());
 * ```
 */
export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly registry: HealthRegistry;
  /** Completion requests being served now. */
  readonly inFlight: number;
  /**
   * Stops taking new work and closes once the work in flight is done: new completion requests get
   * 503 with `retry-after` (the listener stays open so they get an answer, not a refused
   * connection), idle connections are closed, and requests in flight may finish for up to
   * `graceMs` (default `gateway.shutdown_timeout_ms`); what is still running then ends with a
   * 503 or a stream error event. Then everything is closed, as by `close()`.
   */
  drain(graceMs?: number): Promise<void>;
  /** Closes at once: every connection is cut, in-flight requests included. */
  close(): Promise<void>;
}

/** After a drain's grace ran out and in-flight requests were told to stop, how long they get to write their last words. */
const STOP_SETTLE_MS = 1_000;

/**
 * Starts the HTTP gateway: `POST /v1/chat/completions` (OpenAI), `POST /v1/messages` (Anthropic),
 * `GET /v1/models`, `GET /health`, `GET /metrics`. Every request is one turn of its route's router;
 * all routes share one health registry, so a backend's cooldown holds for every request. Only
 * same-host callers get in unless the config allows more (see docs/security.md): the `Host` must
 * be a loopback name or an allowed one, a browser `Origin` must be allowed, a body must be JSON.
 *
 * @example
 * ```ts
 * import { readGatewayConfig, startGateway } from 'llm-health-router';
 * const gateway = await startGateway({ config: await readGatewayConfig('router.yaml'), port: 8787 });
 * ```
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const ownsRegistry = options.registry === undefined;
  const registry =
    options.registry ??
    (await openHealthRegistry({ policy: config.health, ...(options.journal ? { journal: options.journal } : {}), ...(options.clock ? { clock: options.clock } : {}), ...(options.inspect ? { inspect: options.inspect } : {}) }));
  const streams = new WeakMap<NeutralRequest, ClientStream>();
  const successes = new SuccessLog(() => registry.now());
  const transport = continuingTransport(successes.wrap(options.transport ?? sdkTransport({ classify: classifierOptionsFrom(config.health) })), streams);
  const limits = { timeoutMs: config.limits.attemptTimeoutMs, firstTokenTimeoutMs: config.limits.firstTokenTimeoutMs, idleTimeoutMs: config.limits.idleTimeoutMs };
  const routers = new RouterPool(registry, (routeConfig) => ({
    config: routeConfig,
    transport,
    limits,
    ...(options.activeProbes !== undefined ? { activeProbes: options.activeProbes } : {}),
    ...(options.inspect ? { inspect: options.inspect } : {}),
  }));
  const metrics = new GatewayMetrics(registry);
  // A name's health, metric series and last success go together, and only when its health holds nothing.
  const forget = (key: string) => {
    if (!registry.forget(key)) return false;
    metrics.forgetBackend(key);
    successes.forget(key);
    return true;
  };
  const names = new ModelNameTable(config.capacity.modelNames, forget, (route, model) => routers.forget(route, model));
  const budget = new RequestBudget({ requests: config.capacity.requestsInFlight, bytes: config.capacity.bodyBytesInFlight });
  const shutdown = new AbortController();
  const ctx: CompletionContext = { config, routers, streams, metrics, budget, names, shutdown: shutdown.signal, log, now: () => registry.now() };
  const tokens = new ClientTokens(config.authTokens);
  const access = { allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins };
  let draining = false;

  const { headersTimeoutMs, bodyTimeoutMs, keepAliveTimeoutMs } = config.limits;
  const server = createServer(
    {
      // Node cuts a client still sending its headers after this (408 and close); the check runs
      // every connectionsCheckingInterval, so that is kept a fraction of the bound.
      headersTimeout: headersTimeoutMs,
      // A backstop only: the gateway's own body timer answers first, in the client's protocol.
      requestTimeout: headersTimeoutMs + bodyTimeoutMs + 5_000,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => {
      const protocol = protocolOf(req);
      route(req, res, protocol).catch((error: unknown) => {
        // A bug must cost one request, never the gateway; its detail is for the operator only.
        const message = internalError(error, log);
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(protocol.error(500, message, { type: 'api_error' })));
      });
    },
  );
  server.keepAliveTimeout = keepAliveTimeoutMs;

  async function route(req: IncomingMessage, res: ServerResponse, protocol: WireProtocol): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const wire: WireProtocol | undefined = path === '/v1/chat/completions' ? WIRE_PROTOCOLS.openai : path === '/v1/messages' ? WIRE_PROTOCOLS.anthropic : undefined;
    const refuse = (status: number, message: string, detail: ErrorDetail = {}, headers: Record<string, string> = {}) => {
      // A body left unread cannot be followed by another request on this connection.
      res.writeHead(status, { 'content-type': 'application/json', ...(req.complete ? {} : { connection: 'close' }), ...headers });
      res.end(JSON.stringify(protocol.error(status, message, detail)));
      if (wire) metrics.request(protocol.name, status, 0);
    };
    const screened = screenCaller(req, access);
    if (screened) return refuse(screened.status, screened.message, { type: screened.status === 400 ? 'invalid_request_error' : 'permission_error' });
    for (const [name, value] of Object.entries(corsHeaders(req, access))) res.setHeader(name, value);
    // A body nobody reads (a GET or OPTIONS that carries one) would otherwise be drained after the
    // answer to keep the connection: a trickled one held it until Node's backstop, ~45 s.
    if (draining || (!wire && declaresBody(req))) res.setHeader('connection', 'close');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, preflightHeaders(req, access));
      return void res.end();
    }
    if (req.method === 'GET' && path === '/health') return json(res, 200, healthBody(registry, successes));
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return void res.end(metrics.render());
    }
    if (!tokens.admits(req)) return refuse(401, 'missing or wrong gateway token: send Authorization: Bearer <token> (or x-api-key) with one of gateway.auth_tokens', { type: 'authentication_error' });
    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, modelsList(config.routes.filter((r) => !r.match.includes('*')).map((r) => ({ id: r.match })), protocol.name));
    }
    if (wire && req.method === 'POST') {
      const notJson = jsonBodyRefusal(req);
      if (notJson) return refuse(notJson.status, notJson.message);
      if (draining) return refuse(503, 'the gateway is shutting down and takes no new requests; send it again (to this gateway once restarted, or another)', {}, { 'retry-after': '1', connection: 'close' });
      return handleCompletion(wire, req, res, ctx);
    }
    const shown = clip(path);
    return refuse(wire ? 405 : 404, wire ? `${clip(req.method ?? '')} ${shown}: use POST` : `no such endpoint: ${clip(req.method ?? '')} ${shown}`, { type: 'not_found_error' });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? config.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    // Nothing listens: release what was opened for it (a caller may retry on another port).
    metrics.stop();
    if (ownsRegistry) await registry.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      metrics.stop();
      await routers.close();
      if (ownsRegistry) await registry.close();
    })());
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    registry,
    get inFlight() {
      return budget.inFlight;
    },
    async drain(graceMs = config.limits.shutdownTimeoutMs) {
      draining = true;
      server.closeIdleConnections();
      if (!(await settles(budget.whenIdle(), graceMs))) {
        shutdown.abort(new Error('the gateway is shutting down'));
        await settles(budget.whenIdle(), STOP_SETTLE_MS);
      }
      await close();
    },
    close,
  };
}

/** Whether `promise` settled within `ms`. */
async function settles(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The protocol to answer in: the endpoint's, else the one the client's headers suggest. */
function protocolOf(req: IncomingMessage): WireProtocol {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/v1/chat/completions') return WIRE_PROTOCOLS.openai;
  if (path === '/v1/messages') return WIRE_PROTOCOLS.anthropic;
  return req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined ? WIRE_PROTOCOLS.anthropic : WIRE_PROTOCOLS.openai;
}

/** Whether a request says a body follows (a length above 0, or chunked). */
function declaresBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
