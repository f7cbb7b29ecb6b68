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
import type { ClientStream } from './clientStream.js';
import { continuingTransport } from './continuingTransport.js';
import type { GatewayConfig } from './gatewayConfig.js';
import { handleCompletion, type CompletionContext } from './handleCompletion.js';
import { healthBody, SuccessLog } from './healthBody.js';
import { GatewayMetrics } from './metrics.js';
import { modelsList } from './protocol/index.js';
import { RouterPool } from './routerPool.js';
import { WIRE_PROTOCOLS, type WireProtocol } from './wireProtocols.js';

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
  /** Default 127.0.0.1. Listening elsewhere exposes your backends' credentials to whoever can connect. */
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
}

/**
 * A running gateway.
 *
 * @example
 * ```ts
 * const gateway = await startGateway({ config });
 * console.log(gateway.url); // http://127.0.0.1:PORT
 * await gateway.close();
 * ```
 */
export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly registry: HealthRegistry;
  close(): Promise<void>;
}

/**
 * Starts the HTTP gateway: `POST /v1/chat/completions` (OpenAI), `POST /v1/messages` (Anthropic),
 * `GET /v1/models`, `GET /health`, `GET /metrics`. Every request is one turn of its route's router;
 * all routes share one health registry, so a backend's cooldown holds for every request.
 *
 * @example
 * ```ts
 * import { readGatewayConfig, startGateway } from 'llm-health-router';
 * const gateway = await startGateway({ config: await readGatewayConfig('router.yaml'), port: 8787 });
 * ```
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
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
  const ctx: CompletionContext = { config, routers, streams, metrics, now: () => registry.now() };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // A bug must cost one request, never the gateway.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `internal error: ${(error as Error).message}` } }));
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const wire: WireProtocol | undefined = path === '/v1/chat/completions' ? WIRE_PROTOCOLS.openai : path === '/v1/messages' ? WIRE_PROTOCOLS.anthropic : undefined;
    if (req.method === 'GET' && path === '/health') return json(res, 200, healthBody(registry, successes));
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return void res.end(metrics.render());
    }
    const anthropicClient = req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined;
    const protocol = wire ?? (anthropicClient ? WIRE_PROTOCOLS.anthropic : WIRE_PROTOCOLS.openai);
    if (!authorized(req, config.authTokens)) return json(res, 401, protocol.error(401, 'missing or wrong gateway token: send Authorization: Bearer <token> (or x-api-key)', 'authentication_error'));
    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, modelsList(config.routes.filter((r) => !r.match.includes('*')).map((r) => ({ id: r.match })), protocol.name));
    }
    if (wire && req.method === 'POST') return handleCompletion(wire, req, res, ctx);
    return json(res, wire ? 405 : 404, protocol.error(wire ? 405 : 404, wire ? `${req.method} ${path}: use POST` : `no such endpoint: ${req.method} ${path}`, 'not_found_error'));
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
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    registry,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      metrics.stop();
      await routers.close();
      if (ownsRegistry) await registry.close();
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** No tokens configured: open (the gateway listens on 127.0.0.1). Otherwise a bearer token or an x-api-key from the list. */
function authorized(req: IncomingMessage, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return true;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const key = req.headers['x-api-key'];
  return tokens.some((t) => t === bearer || t === key);
}
