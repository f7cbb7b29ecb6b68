import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClassifiedFailure } from '../classify/failure.js';
import { RequestLimitError, RoutingError } from '../router/errors.js';
import type { NeutralRequest } from '../transports/neutral.js';
import { withoutFilePaths } from '../util/withoutFilePaths.js';
import { ClientStream } from './clientStream.js';
import type { GatewayConfig } from './gatewayConfig.js';
import type { GatewayMetrics } from './metrics.js';
import { BodyError, readJsonBody } from './readBody.js';
import type { RouterPool } from './routerPool.js';
import type { WireProtocol, WireStream } from './wireProtocols.js';

/** What a request handler needs from the running gateway. */
export interface CompletionContext {
  readonly config: GatewayConfig;
  readonly routers: RouterPool;
  readonly streams: WeakMap<NeutralRequest, ClientStream>;
  readonly metrics: GatewayMetrics;
  readonly now: () => number;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' } as const;

/**
 * One client request, start to finish: read and check the body, pick the route for the model
 * asked for, run it as one turn of that route's router, and answer in the client's protocol —
 * as JSON, or as a stream passed through as it arrives. Whatever happens, the client gets an
 * answer or an error in its protocol, and the gateway goes on serving.
 *
 * @example
 * ```ts
 * server.on('request', (req, res) => void handleCompletion(WIRE_PROTOCOLS.openai, req, res, context));
 * ```
 */
export async function handleCompletion(wire: WireProtocol, req: IncomingMessage, res: ServerResponse, ctx: CompletionContext): Promise<void> {
  const started = performance.now();
  let servedBy: string | undefined;
  const finish = (status: number) => ctx.metrics.request(wire.name, status, (performance.now() - started) / 1000, servedBy);
  const fail = (status: number, message: string, type?: string, headers: Record<string, string> = {}) => {
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(wire.error(status, message, type)));
    finish(status);
  };

  let body: unknown;
  try {
    body = await readJsonBody(req, ctx.config.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyError) return fail(error.status, error.message, error.status === 413 ? 'request_too_large' : undefined);
    throw error;
  }
  const parsed = wire.parse(body);
  if (!parsed.ok) return fail(parsed.error.status, parsed.error.message);
  const route = ctx.config.routes.find((r) => r.matches(parsed.model));
  if (!route) return fail(404, `no route for model "${parsed.model}"; this gateway serves ${ctx.config.routes.map((r) => `"${r.match}"`).join(', ')}`, 'not_found_error');

  // The client leaving, or the request's overall deadline, stops whatever is in flight.
  const abort = new AbortController();
  res.on('close', () => !res.writableFinished && abort.abort(new Error('the client closed the connection')));
  const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(ctx.config.limits.requestTimeoutMs)]);
  // Backends are always asked to stream, also for a client that wants one JSON answer: the
  // first-token and stall timeouts then catch a hung backend in seconds, not at the attempt timeout.
  const request: NeutralRequest = { ...parsed.request, stream: true };
  const id = wire.name === 'openai' ? `chatcmpl-${randomUUID()}` : `msg_${randomUUID().replace(/-/g, '')}`;
  // The stream opens with the first delta, naming the model of the backend that sends it.
  let writer: WireStream | undefined;
  const open = (model: string): WireStream => {
    if (writer) return writer;
    writer = wire.stream(id, model, parsed.includeUsage);
    res.writeHead(200, SSE_HEADERS);
    res.write(writer.start());
    return writer;
  };
  const stream = parsed.stream ? new ClientStream((delta, model) => res.write(open(model).text(delta))) : undefined;
  if (stream) ctx.streams.set(request, stream);

  let router;
  try {
    router = await ctx.routers.routerFor(route, parsed.model);
  } catch (error) {
    // A pass_model route builds its backend from the requested name, which can be unusable.
    return fail(400, `model "${parsed.model}" cannot be routed: ${(error as Error).message}`, 'invalid_request_error');
  }
  try {
    const turn = router.startTurn();
    const response = await turn.main(request, { signal });
    turn.end();
    servedBy = response.servedBy;
    if (parsed.stream) {
      res.end(open(response.model).finish(response));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(wire.respond(response, id)));
    }
    finish(200);
  } catch (error) {
    if (abort.signal.aborted) return finish(499); // nobody is listening any more
    // The router's own request limits (a body larger than limits.maxRequestChars, when max_body_bytes allows one).
    if (error instanceof RequestLimitError) return fail(400, error.message, 'invalid_request_error');
    if (!(error instanceof RoutingError)) {
      // Never a silent truncation: an open stream ends with an error event, anything else gets a 500.
      const message = `internal error: ${withoutFilePaths(String((error as Error)?.message ?? error))}`;
      if (writer) {
        res.end(writer.error(message, 'api_error'));
        return finish(500);
      }
      return fail(500, message, 'api_error');
    }
    const { status, message, type, headers } = describeFailure(error, stream, ctx.now(), signal.aborted);
    if (writer) {
      // Part of the answer is out: end the stream with an error the client's SDK raises, never silently.
      res.end(writer.error(message, type ?? 'api_error'));
      finish(status);
    } else fail(status, message, type, headers);
  }
}

/** The HTTP status and message a routing failure becomes for the client. */
function describeFailure(error: RoutingError, stream: ClientStream | undefined, now: number, timedOut: boolean): { status: number; message: string; type?: string; headers?: Record<string, string> } {
  const failure: ClassifiedFailure | null = stream?.interruptedBy ?? error.failure;
  if (stream?.interruptedBy) {
    // Name the failure that cut the answer, not whatever a fallback said about the continuation.
    const original = stream.interruptedBy;
    const after = timedOut
      ? 'and the request ran out of time'
      : !error.failure || error.failure === original || error.failure.reason === 'declined'
        ? 'and no fallback could continue it'
        : `and continuing it failed too (${describe(error.failure)})`;
    return { status: timedOut ? 504 : 502, message: `the answer was cut by ${describe(original)} after part of it was sent, ${after}`, type: 'api_error' };
  }
  if (timedOut) return { status: 504, message: `the request ran out of time (gateway.request_timeout_ms): ${failure ? describe(failure) : error.message}`, type: 'api_error' };
  if (failure?.kind === 'request_fault') return { status: 400, message: `the backend refused the request: ${failure.message ?? failure.reason}`, type: 'invalid_request_error' };
  if (failure?.kind === 'local') return { status: 500, message: `the gateway could not complete the request (its own failure; no backend is blamed): ${failure.message}`, type: 'api_error' };
  if (failure === null && error.noHealthyUntil !== null) {
    const seconds = Math.max(1, Math.ceil((error.noHealthyUntil - now) / 1000));
    return { status: 503, message: `no healthy backend for this model; the soonest is back in ${seconds} s`, type: 'overloaded_error', headers: { 'retry-after': String(seconds) } };
  }
  if (failure?.kind === 'rate_limited') {
    const seconds = Math.max(1, Math.ceil((failure.cooldownHintMs ?? 1000) / 1000));
    return { status: 429, message: `every backend for this model is rate limited: ${describe(failure)}`, type: 'rate_limit_error', headers: { 'retry-after': String(seconds) } };
  }
  return { status: 502, message: `every backend for this model failed; last: ${failure ? describe(failure) : error.message}`, type: 'api_error' };
}

const describe = (f: ClassifiedFailure) => `${f.kind} (${f.reason})${f.message ? `: ${f.message}` : ''}`;
