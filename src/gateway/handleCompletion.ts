import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClassifiedFailure } from '../classify/failure.js';
import { RequestLimitError, RoutingError } from '../router/errors.js';
import type { NeutralRequest } from '../transports/neutral.js';
import { clip } from './clip.js';
import { ClientStream } from './clientStream.js';
import type { GatewayConfig, GatewayRoute } from './gatewayConfig.js';
import { internalError, type GatewayLog } from './internalError.js';
import type { GatewayMetrics, RequestOutcome } from './metrics.js';
import { MAX_PASSED_MODEL_NAME, type ModelNameTable, type NameLease } from './modelNames.js';
import { BodyError, ClientGone, readJsonBody } from './readBody.js';
import type { RequestBudget } from './requestBudget.js';
import type { RouterPool } from './routerPool.js';
import type { ErrorDetail, WireProtocol, WireStream } from './wireProtocols.js';

/** What a request handler needs from the running gateway. */
export interface CompletionContext {
  readonly config: GatewayConfig;
  readonly routers: RouterPool;
  readonly streams: WeakMap<NeutralRequest, ClientStream>;
  readonly metrics: GatewayMetrics;
  /** Requests and body bytes in flight, under their caps. */
  readonly budget: RequestBudget;
  /** The model names `pass_model` routes track health for, under their cap. */
  readonly names: ModelNameTable;
  /** Aborted when a drain's grace runs out: what is still in flight ends with a 503 (or a stream error event). */
  readonly shutdown: AbortSignal;
  readonly log: GatewayLog;
  readonly now: () => number;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' } as const;

/** How long a client refused for capacity is asked to wait, in seconds. */
const BUSY_RETRY_AFTER_S = 1;

/**
 * One client request, start to finish: take a place in the gateway's capacity, read and check the
 * body, pick the route for the model asked for, run it as one turn of that route's router, and
 * answer in the client's protocol — as JSON, or as a stream passed through as it arrives.
 * Whatever happens, the client gets an answer or an error in its protocol, and the gateway goes
 * on serving.
 *
 * @example
 * ```ts
 * server.on('request', (req, res) => void handleCompletion(WIRE_PROTOCOLS.openai, req, res, context));
 * ```
 */
export async function handleCompletion(wire: WireProtocol, req: IncomingMessage, res: ServerResponse, ctx: CompletionContext): Promise<void> {
  const started = performance.now();
  let servedBy: string | undefined;
  const finish = (status: number, outcome?: RequestOutcome) => ctx.metrics.request(wire.name, status, (performance.now() - started) / 1000, servedBy, outcome);
  const fail = (status: number, message: string, detail: ErrorDetail = {}, headers: Record<string, string> = {}) => {
    // A body not read to its end cannot be followed by another request on the same connection.
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', ...(req.complete ? {} : { connection: 'close' }), ...headers });
    res.end(JSON.stringify(wire.error(status, message, detail)));
    finish(status);
  };

  const admission = ctx.budget.admit();
  if (!admission) {
    const cap = ctx.config.capacity.requestsInFlight;
    return fail(503, `the gateway is serving as many requests as it may at once (${cap}, gateway.max_requests_in_flight); try again shortly`, {}, { 'retry-after': String(BUSY_RETRY_AFTER_S) });
  }
  let lease: NameLease | undefined;
  try {
    let body: unknown;
    try {
      body = await readJsonBody(req, { maxBytes: ctx.config.maxBodyBytes, timeoutMs: ctx.config.limits.bodyTimeoutMs, reserve: (bytes) => admission.reserve(bytes) });
    } catch (error) {
      if (error instanceof ClientGone) return finish(499, 'client_closed');
      if (error instanceof BodyError) return fail(error.status, error.message, {}, error.status === 503 ? { 'retry-after': String(BUSY_RETRY_AFTER_S) } : {});
      throw error;
    }
    const parsed = wire.parse(body);
    if (!parsed.ok) return fail(parsed.error.status, parsed.error.message);
    const route = ctx.config.routes.find((r) => r.matches(parsed.model));
    if (!route) return fail(404, `no route for model "${clip(parsed.model)}"; this gateway serves ${ctx.config.routes.map((r) => `"${r.match}"`).join(', ')}`, { type: 'not_found_error' });
    if (route.passModel) {
      const held = holdModelName(route, parsed.model, ctx);
      if ('refused' in held) return fail(held.refused.status, held.refused.message, held.refused.status === 400 ? { type: 'invalid_request_error' } : {}, held.refused.headers);
      lease = held.lease;
    }
    await serve(wire, req, res, ctx, route, parsed, finish, fail, (label) => (servedBy = label));
  } finally {
    lease?.release();
    admission.release();
  }
}

type Refusal = { readonly status: number; readonly message: string; readonly headers?: Record<string, string> };

/** A `pass_model` route's hold on the requested name, or why it cannot have one. */
function holdModelName(route: GatewayRoute, model: string, ctx: CompletionContext): { lease: NameLease } | { refused: Refusal } {
  if (model.length > MAX_PASSED_MODEL_NAME) return { refused: { status: 400, message: `model "${clip(model)}": a model name this route passes on has at most ${MAX_PASSED_MODEL_NAME} characters` } };
  let keys: string[];
  try {
    keys = [route.configFor(model).primary.modelKey];
  } catch (error) {
    // A pass_model route builds its backend from the requested name, which can be unusable.
    return { refused: { status: 400, message: `model "${clip(model)}" cannot be routed: ${(error as Error).message}` } };
  }
  const lease = ctx.names.admit(route, model, keys);
  if (lease) return { lease };
  const message = `model "${clip(model)}" is refused: the gateway already tracks the health of ${ctx.names.cap} model names (gateway.max_model_names), each of them unhealthy or in use; a new name is taken once one of them is healthy again and idle, or raise gateway.max_model_names`;
  return { refused: { status: 503, message, headers: { 'retry-after': String(NAME_RETRY_AFTER_S) } } };
}

/** How long a client refused for want of a model-name slot is asked to wait, in seconds (health changes on the scale of cooldowns). */
const NAME_RETRY_AFTER_S = 30;

async function serve(
  wire: WireProtocol,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: CompletionContext,
  route: GatewayRoute,
  parsed: Extract<ReturnType<WireProtocol['parse']>, { ok: true }>,
  finish: (status: number, outcome?: RequestOutcome) => void,
  fail: (status: number, message: string, detail?: ErrorDetail, headers?: Record<string, string>) => void,
  servedBy: (label: string) => void,
): Promise<void> {
  // The client leaving, the request's overall deadline, or a drain running out of time stops whatever is in flight.
  const abort = new AbortController();
  res.on('close', () => !res.writableFinished && abort.abort(new Error('the client closed the connection')));
  const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(ctx.config.limits.requestTimeoutMs), ctx.shutdown]);
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
  // Once the 200 is out, a failure is an error event in the stream: the wire says 200, the outcome says how it ended.
  const failInBand = (message: string, detail: ErrorDetail) => {
    res.end(writer!.error(message, detail));
    finish(200, 'stream_error');
  };

  let router;
  try {
    router = await ctx.routers.routerFor(route, parsed.model);
  } catch (error) {
    return fail(400, `model "${clip(parsed.model)}" cannot be routed: ${(error as Error).message}`, { type: 'invalid_request_error' });
  }
  try {
    const turn = router.startTurn();
    const response = await turn.main(request, { signal });
    turn.end();
    servedBy(response.servedBy);
    if (parsed.stream) {
      res.end(open(response.model).finish(response));
    } else {
      // Rendered before the status goes out: an answer that cannot be written is a 500, never a 200 with an error body.
      const body = JSON.stringify(wire.respond(response, id));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    }
    finish(200);
  } catch (error) {
    if (abort.signal.aborted) return finish(writer ? 200 : 499, 'client_closed'); // nobody is listening any more
    // The router's own request limits (a body larger than limits.maxRequestChars, when max_body_bytes allows one).
    if (error instanceof RequestLimitError) return fail(400, error.message, { type: 'invalid_request_error' });
    if (ctx.shutdown.aborted) {
      const message = 'the gateway is shutting down and this request ran past its grace period (gateway.shutdown_timeout_ms); send it again';
      return writer ? failInBand(message, { type: 'overloaded_error' }) : fail(503, message, {}, { 'retry-after': String(BUSY_RETRY_AFTER_S), connection: 'close' });
    }
    if (!(error instanceof RoutingError)) {
      // Never a silent truncation: an open stream ends with an error event, anything else gets a
      // 500 — naming no file and no stack (those go to the gateway's log).
      const message = internalError(error, ctx.log);
      return writer ? failInBand(message, { type: 'api_error' }) : fail(500, message, { type: 'api_error' });
    }
    const { status, message, detail, headers } = describeFailure(error, stream, ctx.now(), signal.aborted);
    if (writer) failInBand(message, detail);
    else fail(status, message, detail, headers);
  }
}

/**
 * The HTTP status and message a routing failure becomes for the client, with the provider's error
 * code (and, where the client's status is the provider's own kind of answer, its type) unchanged.
 */
function describeFailure(error: RoutingError, stream: ClientStream | undefined, now: number, timedOut: boolean): { status: number; message: string; detail: ErrorDetail; headers?: Record<string, string> } {
  const failure: ClassifiedFailure | null = stream?.interruptedBy ?? error.failure;
  // Real codes and types are short identifiers, passed as they are; a hostile backend's megabyte of "code" is not.
  const code = (f: ClassifiedFailure | null) => (f?.errorCode !== undefined ? { code: clip(f.errorCode) } : {});
  const said = (f: ClassifiedFailure) => ({ ...code(f), ...(f.errorType !== undefined ? { type: clip(f.errorType) } : {}) });
  if (stream?.interruptedBy) {
    // Name the failure that cut the answer, not whatever a fallback said about the continuation.
    const original = stream.interruptedBy;
    const after = timedOut
      ? 'and the request ran out of time'
      : !error.failure || error.failure === original || error.failure.reason === 'declined'
        ? 'and no fallback could continue it'
        : `and continuing it failed too (${describe(error.failure)})`;
    return { status: timedOut ? 504 : 502, message: `the answer was cut by ${describe(original)} after part of it was sent, ${after}`, detail: { type: 'api_error', provider: code(original) } };
  }
  if (timedOut) return { status: 504, message: `the request ran out of time (gateway.request_timeout_ms): ${failure ? describe(failure) : error.message}`, detail: { type: 'api_error', provider: code(failure) } };
  if (failure?.kind === 'request_fault') return { status: 400, message: `the backend refused the request: ${failure.message ?? failure.reason}`, detail: { type: 'invalid_request_error', provider: said(failure) } };
  if (failure?.kind === 'local') return { status: 500, message: `the gateway could not complete the request (its own failure; no backend is blamed): ${failure.message}`, detail: { type: 'api_error' } };
  if (failure === null && error.noHealthyUntil !== null) {
    const seconds = Math.max(1, Math.ceil((error.noHealthyUntil - now) / 1000));
    return { status: 503, message: `no healthy backend for this model; the soonest is back in ${seconds} s`, detail: { type: 'overloaded_error' }, headers: { 'retry-after': String(seconds) } };
  }
  if (failure?.kind === 'rate_limited') {
    const seconds = Math.max(1, Math.ceil((failure.cooldownHintMs ?? 1000) / 1000));
    return { status: 429, message: `every backend for this model is rate limited: ${describe(failure)}`, detail: { type: 'rate_limit_error', provider: said(failure) }, headers: { 'retry-after': String(seconds) } };
  }
  return { status: 502, message: `every backend for this model failed; last: ${failure ? describe(failure) : error.message}`, detail: { type: 'api_error', provider: code(failure) } };
}

const describe = (f: ClassifiedFailure) => `${f.kind} (${f.reason})${f.message ? `: ${f.message}` : ''}`;
