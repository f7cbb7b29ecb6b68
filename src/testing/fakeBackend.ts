/**
 * A fake LLM backend on 127.0.0.1 that speaks both wire APIs the router uses:
 *
 * - Anthropic Messages: `POST /v1/messages` (JSON, or SSE when the body has `stream: true`)
 * - OpenAI Chat Completions: `POST /v1/chat/completions` (JSON, or SSE when `stream: true`)
 *
 * Every request is recorded, then answered by the next planned {@link FakeFault} (a FIFO queue),
 * falling back to the default responder (a normal reply unless told otherwise). Faults are
 * described once and rendered in the envelope of whichever API the request used, so one table
 * row can drive both SDKs.
 *
 * The point of the fake is that the real `@anthropic-ai/sdk` and `openai` clients produce the
 * errors under test; nothing here builds an SDK error object. It is public
 * (`llm-health-router/testing`) so an agent's own tests can fail their backends the same way,
 * and the CLI's demo runs on it.
 *
 * @example
 * ```ts
 * const fake = new FakeBackend();
 * const { url, close } = await fake.start();
 * fake.enqueue(faults.crash());
 * const client = new Anthropic({ apiKey: 'x', baseURL: url, maxRetries: 0 });
 * await client.messages.create(request).catch((error) => classifyError(error));
 * fake.count('/v1/messages'); // 1
 * await close();
 * ```
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { isRecord } from '../util/isRecord.js';

/**
 * Which wire API a request used, judged by its path.
 *
 * @example
 * ```ts
 * const apis: WireApi[] = ['anthropic', 'openai'];
 * ```
 */
export type WireApi = 'anthropic' | 'openai';

/**
 * Paths the fake serves, one per wire API.
 *
 * @example
 * ```ts
 * expect(fake.count(FAKE_PATHS.openai)).toBe(1);
 * ```
 */
export const FAKE_PATHS: Readonly<Record<WireApi, string>> = {
  anthropic: '/v1/messages',
  openai: '/v1/chat/completions',
};

/**
 * One request as the fake saw it.
 *
 * @example
 * ```ts
 * fake.requests.filter((r) => r.api === 'openai' && r.stream).length;
 * ```
 */
export interface FakeRequest {
  /** 1-based arrival order across all paths. */
  readonly seq: number;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** `undefined` for a path that belongs to neither API (the fake answers those with 404). */
  readonly api: WireApi | undefined;
  /** Whether the JSON body asked for `stream: true`. */
  readonly stream: boolean;
  readonly model: string | undefined;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A tool call the fake's reply makes (see the `reply` fault's `toolCalls`).
 *
 * @example
 * ```ts
 * fake.enqueue({ type: 'reply', text: 'Reading it.', toolCalls: [{ id: 'call_1', name: 'read_file', input: { path: 'a.txt' } }] });
 * ```
 */
export interface FakeToolCall {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

/**
 * What the fake does with one request. Each variant is rendered in the envelope of the API the
 * request used (Anthropic `{"type":"error","error":{…}}` or OpenAI `{"error":{…}}`).
 *
 * @example
 * ```ts
 * fake.enqueue({ type: 'apiError', status: 429, errorType: 'rate_limit_error', message: 'slow down',
 *                headers: { 'retry-after': '7' } });
 * ```
 */
export type FakeFault =
  /**
   * A 200 answer. The optional fields bend it into a "successful" failure: an empty answer,
   * Anthropic `stop_reason`, OpenAI `finish_reason`, or (streaming only) no terminal event.
   */
  | {
      readonly type: 'reply';
      readonly text?: string;
      readonly stopReason?: string;
      readonly finishReason?: string;
      /** Send no content (Anthropic `content: []`, OpenAI `content: ""`). */
      readonly emptyContent?: boolean;
      /** Streaming only: end the body cleanly without `message_stop` / a `finish_reason` chunk. */
      readonly omitTerminal?: boolean;
      /**
       * The answer's text in pieces: one text delta each when streaming, joined for JSON. Wins over
       * `text`.
       */
      readonly textChunks?: readonly string[];
      /**
       * Tool calls after the text: Anthropic `tool_use` blocks (streamed as `input_json_delta`
       * fragments), OpenAI `tool_calls` (streamed as `arguments` fragments). The stop reason
       * defaults to `tool_use` / `tool_calls` when there are any.
       */
      readonly toolCalls?: readonly FakeToolCall[];
      /** Streaming only: send the headers and the events before the first content, then wait this long. */
      readonly delayBeforeFirstTokenMs?: number;
      /** Streaming only: after the first content event, wait this long before the rest. */
      readonly pauseAfterFirstTokenMs?: number;
      /** Usage to report instead of the defaults (Anthropic input/output tokens, OpenAI prompt/completion tokens). */
      readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
    }
  /** An error status in the API's own error envelope. */
  | {
      readonly type: 'apiError';
      readonly status: number;
      readonly errorType: string;
      readonly message: string;
      /** OpenAI `error.code`; Anthropic `error.details.error_code`. */
      readonly code?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** A verbatim body (FastAPI `{"detail":…}`, HTML, truncated JSON …), whatever the API. */
  | {
      readonly type: 'raw';
      readonly status: number;
      readonly body: string;
      readonly contentType?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /**
   * A 200 SSE stream that sends `afterEvents` normal events, then the API's error event. Meant
   * for stream requests; a non-stream request gets the same SSE text as its 200 body (a server
   * that ignores `stream: false`), which the SDKs return as a string.
   */
  | {
      readonly type: 'streamError';
      readonly errorType: string;
      readonly message: string;
      readonly code?: string;
      readonly afterEvents?: number;
    }
  /**
   * A 200 whose socket is destroyed mid-body: after `afterEvents` SSE events for a stream
   * request, after half of the JSON for a non-stream one.
   */
  | { readonly type: 'cutStream'; readonly afterEvents?: number }
  /**
   * A 200 that stops sending but keeps the socket open: after `afterEvents` SSE events for a
   * stream request, after half of the JSON for a non-stream one. (The SDKs' `timeout` only
   * covers the wait for headers, so only the caller's signal or `close()` ends such a call.)
   */
  | { readonly type: 'stall'; readonly afterEvents?: number }
  /** Close the socket (FIN) before sending any byte of a response. */
  | { readonly type: 'destroy' }
  /** Reset the connection (TCP RST) before sending any byte of a response. */
  | { readonly type: 'reset' }
  /** Never answer; the socket stays open until the client gives up or the fake closes. */
  | { readonly type: 'hang' };

/**
 * A planned answer: a fixed fault, or a function of the request (to pick the envelope by API,
 * or to assert on what the client sent).
 *
 * @example
 * ```ts
 * const plan: FaultPlan = (request) => (request.stream ? faults.cutStream() : faults.crash());
 * ```
 */
export type FaultPlan = FakeFault | ((request: FakeRequest) => FakeFault);

/**
 * Options for {@link FakeBackend}.
 *
 * @example
 * ```ts
 * const fake = new FakeBackend({ fallback: faults.crash() }); // every request crashes
 * ```
 */
export interface FakeBackendOptions {
  /** What to do when the queue is empty. Default: a normal reply. */
  readonly fallback?: FaultPlan;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/**
 * What {@link FakeBackend.start} returns.
 *
 * @example
 * ```ts
 * const { url, close } = await fake.start();
 * new OpenAI({ apiKey: 'x', baseURL: `${url}/v1`, maxRetries: 0 });
 * ```
 */
export interface StartedFakeBackend {
  /** `http://127.0.0.1:PORT` (or `https://…`), without a trailing slash and without `/v1`. */
  readonly url: string;
  readonly port: number;
  /** Destroys every socket (hanging ones included) and stops listening. Idempotent. */
  close(): Promise<void>;
}

/**
 * A programmable fake LLM server. See the module comment.
 *
 * @example
 * ```ts
 * const fake = new FakeBackend();
 * const { url, close } = await fake.start();
 * fake.enqueue(faults.overloaded(), faults.ok('second try works'));
 * ```
 */
export class FakeBackend {
  /** Every request received since start (or the last {@link reset}), in arrival order. */
  readonly requests: FakeRequest[] = [];

  private readonly queue: FaultPlan[] = [];
  private readonly sockets = new Set<Socket>();
  private server: http.Server | undefined;
  private closing: Promise<void> | undefined;
  private fallback: FaultPlan;

  constructor(private readonly options: FakeBackendOptions = {}) {
    this.fallback = options.fallback ?? faults.ok();
  }

  /**
   * Plans the answers to the next requests, in order.
   *
   * @example
   * ```ts
   * fake.enqueue(faults.hang());
   * ```
   */
  enqueue(...plans: FaultPlan[]): this {
    this.queue.push(...plans);
    return this;
  }

  /**
   * Sets what happens once the queue is empty.
   *
   * @example
   * ```ts
   * fake.setFallback(faults.unauthorized());
   * ```
   */
  setFallback(plan: FaultPlan): this {
    this.fallback = plan;
    return this;
  }

  /**
   * How many requests arrived, on one path or on all.
   *
   * @example
   * ```ts
   * expect(fake.count('/v1/chat/completions')).toBe(1);
   * ```
   */
  count(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length;
  }

  /**
   * Forgets recorded requests and planned faults (between table rows that share one server).
   *
   * @example
   * ```ts
   * beforeEach(() => fake.reset());
   * ```
   */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
  }

  /**
   * Listens on 127.0.0.1 on a free port.
   *
   * @example
   * ```ts
   * const { url, port, close } = await new FakeBackend().start();
   * ```
   */
  async start(): Promise<StartedFakeBackend> {
    if (this.server) throw new Error('FakeBackend already started');
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.handle(req, res);
    };
    const server = this.options.tls
      ? https.createServer({ key: this.options.tls.key, cert: this.options.tls.cert }, handler)
      : http.createServer(handler);
    this.server = server;
    // A TLS server's 'connection' carries the raw TCP socket; tracking those covers both schemes.
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Errors on a socket we destroyed on purpose are expected noise.
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const scheme = this.options.tls ? 'https' : 'http';
    return { url: `${scheme}://127.0.0.1:${port}`, port, close: () => this.close() };
  }

  private close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    this.closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const api = apiOf(path);
    const body = parseJson(raw);
    const record = isRecord(body) ? body : {};
    const request: FakeRequest = {
      seq: this.requests.length + 1,
      method: req.method ?? 'GET',
      path,
      api,
      stream: record['stream'] === true,
      model: typeof record['model'] === 'string' ? record['model'] : undefined,
      body,
      headers: req.headers,
    };
    this.requests.push(request);
    if (api === undefined || request.method !== 'POST') {
      sendJson(res, 404, { detail: 'Not Found' });
      return;
    }
    const plan = this.queue.shift() ?? this.fallback;
    try {
      const fault = typeof plan === 'function' ? plan(request) : plan;
      render(fault, request, api, req, res);
    } catch (error) {
      // A broken plan must fail the test visibly, not leave the client hanging.
      if (!res.headersSent) sendJson(res, 599, { detail: `FakeBackend plan threw: ${String(error)}` });
      else res.destroy();
    }
  }
}

/**
 * Ready-made faults, each shaped like what the named provider or facade really sends. Functions
 * pick the envelope from the request's API.
 *
 * @example
 * ```ts
 * fake.enqueue(faults.rateLimited({ 'retry-after': '7' }), faults.ok());
 * ```
 */
export const faults = {
  /** A normal answer. */
  ok: (text = 'Hello from the fake.'): FakeFault => ({ type: 'reply', text }),
  /** A facade whose backing process died: FastAPI `{"detail": …}` (claude-code-proxy style). */
  crash: (detail = 'Claude Code process exited with code 1', status = 500): FakeFault => ({
    type: 'raw',
    status,
    body: JSON.stringify({ detail }),
  }),
  /** A plain 5xx in the API's envelope. */
  serverError:
    (status = 500): FaultPlan =>
    (r) =>
      r.api === 'anthropic'
        ? { type: 'apiError', status, errorType: 'api_error', message: 'Internal server error' }
        : { type: 'apiError', status, errorType: 'server_error', message: 'The server had an error while processing your request.' },
  /** Overloaded: Anthropic 529 `overloaded_error`, OpenAI 503 `server_error` (either status can be forced). */
  overloaded:
    (status?: number): FaultPlan =>
    (r) =>
      r.api === 'anthropic'
        ? { type: 'apiError', status: status ?? 529, errorType: 'overloaded_error', message: 'Overloaded' }
        : {
            type: 'apiError',
            status: status ?? 503,
            errorType: 'server_error',
            message: 'The engine is currently overloaded, please try again later.',
          },
  /** A 429 throttle with the given headers: Anthropic `rate_limit_error`, OpenAI `rate_limit_exceeded`. */
  rateLimited:
    (headers: Readonly<Record<string, string>> = {}): FaultPlan =>
    (r) =>
      r.api === 'anthropic'
        ? {
            type: 'apiError',
            status: 429,
            errorType: 'rate_limit_error',
            message: 'This request would exceed the rate limit for your organization.',
            headers,
          }
        : {
            type: 'apiError',
            status: 429,
            errorType: 'requests',
            code: 'rate_limit_exceeded',
            message: 'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.',
            headers,
          },
  /** Billing, not throttling: OpenAI `insufficient_quota`, Anthropic `enforced_spend_limit_reached`. */
  quotaExhausted: (): FaultPlan => (r) =>
    r.api === 'anthropic'
      ? {
          type: 'apiError',
          status: 429,
          errorType: 'rate_limit_error',
          code: 'enforced_spend_limit_reached',
          message: 'Your organization has reached its monthly usage limit.',
          headers: { 'retry-after': '60' },
        }
      : {
          type: 'apiError',
          status: 429,
          errorType: 'insufficient_quota',
          code: 'insufficient_quota',
          message: 'You exceeded your current quota, please check your plan and billing details.',
        },
  /** 401 with a bad key. */
  unauthorized: (): FaultPlan => (r) =>
    r.api === 'anthropic'
      ? { type: 'apiError', status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' }
      : { type: 'apiError', status: 401, errorType: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided: x.' },
  /** 403 without any content-policy meaning. */
  forbidden: (): FaultPlan => (r) =>
    r.api === 'anthropic'
      ? { type: 'apiError', status: 403, errorType: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' }
      : { type: 'apiError', status: 403, errorType: 'permission_error', message: 'You are not allowed to access this project.' },
  /** OpenRouter-style 403 moderation refusal (a fault of the request, not of the key). */
  moderated: (): FakeFault => ({
    type: 'raw',
    status: 403,
    body: JSON.stringify({
      error: {
        code: 403,
        message: 'Your chosen model requires moderation and your input was flagged for "violence".',
        metadata: { reasons: ['violence'], flagged_input: 'abc', provider_name: 'fake', model_slug: 'fake/model' },
      },
    }),
  }),
  /** 404 naming the requested model. */
  modelNotFound: (): FaultPlan => (r) =>
    r.api === 'anthropic'
      ? { type: 'apiError', status: 404, errorType: 'not_found_error', message: `model: ${r.model ?? 'unknown'}` }
      : {
          type: 'apiError',
          status: 404,
          errorType: 'invalid_request_error',
          code: 'model_not_found',
          message: `The model \`${r.model ?? 'unknown'}\` does not exist or you do not have access to it.`,
        },
  /** 400 context length: Anthropic "prompt is too long", OpenAI `context_length_exceeded`. */
  contextLength: (): FaultPlan => (r) =>
    r.api === 'anthropic'
      ? { type: 'apiError', status: 400, errorType: 'invalid_request_error', message: 'prompt is too long: 215000 tokens > 200000 maximum' }
      : {
          type: 'apiError',
          status: 400,
          errorType: 'invalid_request_error',
          code: 'context_length_exceeded',
          message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 140000 tokens.",
        },
  /** A 200 whose answer was withheld: Anthropic `stop_reason: "refusal"`, OpenAI `finish_reason: "content_filter"`. */
  contentFiltered: (): FaultPlan => (r) =>
    r.api === 'anthropic'
      ? { type: 'reply', emptyContent: true, stopReason: 'refusal' }
      : { type: 'reply', emptyContent: true, finishReason: 'content_filter' },
  /** A 200 with an error event mid-stream (Anthropic `event: error`, OpenAI `data: {"error":…}`). */
  streamError:
    (errorType = 'overloaded_error', message = 'Overloaded'): FaultPlan =>
    () => ({ type: 'streamError', errorType, message, afterEvents: 2 }),
  /** A 200 stream whose socket is destroyed after a few events. */
  cutStream: (afterEvents = 2): FakeFault => ({ type: 'cutStream', afterEvents }),
  /** A 200 stream that ends cleanly without its terminal event. */
  truncatedStream: (): FakeFault => ({ type: 'reply', omitTerminal: true }),
  /** A 200 with an HTML page (a captive portal, a misrouted proxy). */
  html: (status = 200): FakeFault => ({
    type: 'raw',
    status,
    body: '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>',
    contentType: 'text/html; charset=utf-8',
  }),
  /** A 200 JSON body cut in the middle. */
  truncatedJson: (): FakeFault => ({ type: 'raw', status: 200, body: '{"id":"msg_1","type":"message","content":[{"type":"te' }),
  /** A 200 with no content. */
  emptyContent: (): FakeFault => ({ type: 'reply', emptyContent: true }),
  /** A LiteLLM-style Anthropic answer that says `stop_reason: "error"` and still ends with `message_stop`. */
  stopReasonError: (): FakeFault => ({ type: 'reply', emptyContent: true, stopReason: 'error', finishReason: 'error' }),
  /** Close the socket before any response byte. */
  destroy: (): FakeFault => ({ type: 'destroy' }),
  /** Reset the TCP connection before any response byte. */
  reset: (): FakeFault => ({ type: 'reset' }),
  /** Never answer. */
  hang: (): FakeFault => ({ type: 'hang' }),
  /** Send the status line and a little of the body, then nothing more. */
  stall: (afterEvents = 1): FakeFault => ({ type: 'stall', afterEvents }),
} as const;

function render(fault: FakeFault, request: FakeRequest, api: WireApi, req: IncomingMessage, res: ServerResponse): void {
  switch (fault.type) {
    case 'reply':
      if (request.stream) void streamReply(res, api, request, fault);
      else sendJson(res, 200, jsonReply(api, request, fault));
      return;
    case 'apiError':
      sendJson(res, fault.status, errorEnvelope(api, fault.errorType, fault.message, fault.code), fault.headers);
      return;
    case 'raw':
      res.writeHead(fault.status, {
        'content-type': fault.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(fault.body),
        ...fault.headers,
      });
      res.end(fault.body);
      return;
    case 'streamError': {
      const events = streamEvents(api, request, { type: 'reply' }).slice(0, fault.afterEvents ?? 2);
      startSse(res);
      for (const event of events) res.write(event);
      res.end(streamErrorEvent(api, fault.errorType, fault.message, fault.code));
      return;
    }
    case 'cutStream': {
      if (!request.stream) {
        // A JSON answer cut mid-body: the status line and half the body arrive, then the socket dies.
        const text = JSON.stringify(jsonReply(api, request, { type: 'reply' }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
        return;
      }
      const events = streamEvents(api, request, { type: 'reply' }).slice(0, fault.afterEvents ?? 2);
      startSse(res);
      for (const event of events) res.write(event);
      // Destroy only after the written events have left, so the client sees them before the cut.
      res.write('', () => req.socket.destroy());
      return;
    }
    case 'stall': {
      if (!request.stream) {
        const text = JSON.stringify(jsonReply(api, request, { type: 'reply' }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        return;
      }
      startSse(res);
      for (const event of streamEvents(api, request, { type: 'reply' }).slice(0, fault.afterEvents ?? 1)) res.write(event);
      return;
    }
    case 'destroy':
      req.socket.destroy();
      return;
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      return;
  }
}

function errorEnvelope(api: WireApi, errorType: string, message: string, code: string | undefined): unknown {
  if (api === 'anthropic') {
    return {
      type: 'error',
      error: { type: errorType, message, ...(code ? { details: { error_code: code } } : {}) },
      request_id: 'req_fake',
    };
  }
  return { error: { message, type: errorType, param: null, code: code ?? null } };
}

function streamErrorEvent(api: WireApi, errorType: string, message: string, code: string | undefined): string {
  const envelope = errorEnvelope(api, errorType, message, code);
  return api === 'anthropic' ? sse('error', envelope) : `data: ${JSON.stringify(envelope)}\n\n`;
}

type Reply = Extract<FakeFault, { type: 'reply' }>;

function jsonReply(api: WireApi, request: FakeRequest, fault: Reply): unknown {
  const text = replyText(fault);
  const model = request.model ?? 'fake-model';
  const tools = fault.toolCalls ?? [];
  if (api === 'anthropic') {
    // Without tool calls the text block is always there (even empty) unless `emptyContent`, as before.
    const textBlock = text || (!fault.emptyContent && tools.length === 0);
    const content: unknown[] = [
      ...(textBlock ? [{ type: 'text', text }] : []),
      ...tools.map((t) => ({ type: 'tool_use', id: t.id, name: t.name, input: t.input })),
    ];
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: fault.stopReason ?? (tools.length > 0 ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: {
        input_tokens: fault.usage?.inputTokens ?? 3,
        output_tokens: fault.usage?.outputTokens ?? (fault.emptyContent ? 0 : 5),
      },
    };
  }
  const toolCalls = tools.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.input) } }));
  const prompt = fault.usage?.inputTokens ?? 3;
  const completion = fault.usage?.outputTokens ?? 5;
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: tools.length > 0 && !text ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: fault.finishReason ?? (tools.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

function replyText(fault: Reply): string {
  if (fault.emptyContent) return '';
  return fault.textChunks ? fault.textChunks.join('') : (fault.text ?? 'Hello from the fake.');
}

function textPieces(fault: Reply): string[] {
  if (fault.emptyContent) return [];
  return (fault.textChunks ?? [fault.text ?? 'Hello from the fake.']).filter((piece) => piece.length > 0);
}

/** A tool call's JSON input in two fragments, so clients must join the deltas. */
function jsonFragments(input: unknown): [string, string] {
  const json = JSON.stringify(input);
  const half = Math.floor(json.length / 2);
  return [json.slice(0, half), json.slice(half)];
}

function streamEvents(api: WireApi, request: FakeRequest, fault: Reply): string[] {
  return streamPlan(api, request, fault).events;
}

/** The SSE events of a streamed reply, and the index of the first one that carries content. */
interface StreamPlan {
  readonly events: string[];
  /** `events.length` when no event carries content. */
  readonly firstContent: number;
}

function streamPlan(api: WireApi, request: FakeRequest, fault: Reply): StreamPlan {
  const pieces = textPieces(fault);
  const tools = fault.toolCalls ?? [];
  const model = request.model ?? 'fake-model';
  const hasContent = pieces.length > 0 || tools.length > 0;
  if (api === 'anthropic') {
    const blocks: string[] = [];
    let index = 0;
    // An empty text block still opens and closes, as before, when there are no tool calls.
    if (pieces.length > 0 || tools.length === 0) {
      blocks.push(
        sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
        sse('ping', { type: 'ping' }),
        ...pieces.map((text) => sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } })),
        sse('content_block_stop', { type: 'content_block_stop', index }),
      );
      index += 1;
    }
    for (const tool of tools) {
      blocks.push(
        sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} } }),
        ...jsonFragments(tool.input).map((partial_json) =>
          sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }),
        ),
        sse('content_block_stop', { type: 'content_block_stop', index }),
      );
      index += 1;
    }
    const events = [
      sse('message_start', {
        type: 'message_start',
        message: {
          id: 'msg_fake', type: 'message', role: 'assistant', model, content: [],
          stop_reason: null, stop_sequence: null, usage: { input_tokens: fault.usage?.inputTokens ?? 3, output_tokens: 0 },
        },
      }),
      ...blocks,
      sse('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: fault.stopReason ?? (tools.length > 0 ? 'tool_use' : 'end_turn'), stop_sequence: null },
        usage: { output_tokens: fault.usage?.outputTokens ?? (hasContent ? 5 : 0) },
      }),
    ];
    const firstContent = events.findIndex((e) => e.startsWith('event: content_block_delta') || e.includes('"type":"tool_use"'));
    const withTerminal = fault.omitTerminal ? events : [...events, sse('message_stop', { type: 'message_stop' })];
    return { events: withTerminal, firstContent: firstContent === -1 ? withTerminal.length : firstContent };
  }
  const chunk = (delta: unknown, finishReason: string | null): string =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    })}\n\n`;
  const toolChunks = tools.flatMap((tool, index) => {
    const [first, second] = jsonFragments(tool.input);
    return [
      chunk({ tool_calls: [{ index, id: tool.id, type: 'function', function: { name: tool.name, arguments: first } }] }, null),
      chunk({ tool_calls: [{ index, function: { arguments: second } }] }, null),
    ];
  });
  const events = [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces.map((content) => chunk({ content }, null)),
    ...toolChunks,
  ];
  const firstContent = hasContent ? 1 : events.length;
  if (fault.omitTerminal) return { events, firstContent };
  const options = isRecord(request.body) ? request.body['stream_options'] : undefined;
  // Only a client that asked for usage gets the usage chunk (as OpenAI does), so older callers see
  // exactly the stream they always did.
  const usageChunk =
    isRecord(options) && options['include_usage'] === true
      ? [
          `data: ${JSON.stringify({
            id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [],
            usage: {
              prompt_tokens: fault.usage?.inputTokens ?? 3,
              completion_tokens: fault.usage?.outputTokens ?? 5,
              total_tokens: (fault.usage?.inputTokens ?? 3) + (fault.usage?.outputTokens ?? 5),
            },
          })}\n\n`,
        ]
      : [];
  return {
    events: [...events, chunk({}, fault.finishReason ?? (tools.length > 0 ? 'tool_calls' : 'stop')), ...usageChunk, 'data: [DONE]\n\n'],
    firstContent,
  };
}

async function streamReply(res: ServerResponse, api: WireApi, request: FakeRequest, fault: Reply): Promise<void> {
  const { events, firstContent } = streamPlan(api, request, fault);
  startSse(res);
  for (const [index, event] of events.entries()) {
    if (index === firstContent && fault.delayBeforeFirstTokenMs) await pause(res, fault.delayBeforeFirstTokenMs);
    if (index === firstContent + 1 && fault.pauseAfterFirstTokenMs) await pause(res, fault.pauseAfterFirstTokenMs);
    // The client gave up (or the fake closed) during a pause: nothing more to send.
    if (res.destroyed) return;
    res.write(event);
  }
  res.end();
}

/** Waits `ms`, or less if the connection closes first (so a closing fake leaves no timer behind). */
function pause(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // Push the headers now: the client must be reading the stream before a cut or an error.
  res.flushHeaders();
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function apiOf(path: string): WireApi | undefined {
  if (path === FAKE_PATHS.anthropic) return 'anthropic';
  if (path === FAKE_PATHS.openai) return 'openai';
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that gives up mid-upload still counts as a request; answer nothing.
    const settle = (): void => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('error', settle);
    req.on('close', settle);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

