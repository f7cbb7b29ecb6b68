/**
 * A tiny HTTP server on 127.0.0.1 for the protocol tests: it answers each request with the next
 * queued reply (a JSON body, or SSE text written chunk by chunk) and records what the client
 * sent, so a real SDK can be pointed at the gateway's writers without a gateway.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';

/**
 * What the server answers one request with: a JSON body (with a status), or SSE text written one
 * chunk per `write`, served as `text/event-stream`.
 *
 * @example
 * ```ts
 * server.reply({ kind: 'json', status: 400, body: openAiError(400, 'bad') });
 * ```
 */
export type WireReply =
  | { readonly kind: 'json'; readonly status?: number; readonly body: unknown }
  | { readonly kind: 'sse'; readonly chunks: readonly string[] };

/**
 * One request as the client sent it.
 *
 * @example
 * ```ts
 * parseOpenAiChatRequest(server.requests[0]?.body);
 * ```
 */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** The body parsed as JSON (`undefined` when there was none). */
  readonly body: unknown;
}

/**
 * A running test server.
 *
 * @example
 * ```ts
 * const server = await startWireServer();
 * new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 });
 * await server.close();
 * ```
 */
export interface WireServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Queues the reply for the next request: fixed, or made from the request as a gateway would. */
  reply(reply: WireReply | ((request: SeenRequest) => WireReply)): void;
  close(): Promise<void>;
}

/**
 * Starts a {@link WireServer} on 127.0.0.1 on a free port. A request with no reply queued gets a
 * 599, so a test that forgot one fails loudly instead of hanging.
 *
 * @example
 * ```ts
 * const server = await startWireServer();
 * server.reply({ kind: 'sse', chunks: [stream.start(), stream.finish(answer)] });
 * ```
 */
export async function startWireServer(): Promise<WireServer> {
  const queue: (WireReply | ((request: SeenRequest) => WireReply))[] = [];
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
      requests.push(seen);
      const next = queue.shift();
      const reply = typeof next === 'function' ? next(seen) : next;
      if (!reply) {
        res.writeHead(599, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'no reply queued' }));
        return;
      }
      if (reply.kind === 'json') {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      // One write per writer call, as the gateway will write them.
      for (const chunk of reply.chunks) res.write(chunk);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (reply) => queue.push(reply),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A fresh {@link WireServer} for every test, closed in `afterEach`.
 *
 * @example
 * ```ts
 * const server = useWireServer();
 * it('…', async () => { server.current.reply(…); });
 * ```
 */
export function useWireServer(): { readonly current: WireServer } {
  let server: WireServer | undefined;
  beforeEach(async () => {
    server = await startWireServer();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    get current(): WireServer {
      if (!server) throw new Error('useWireServer: no server outside a test');
      return server;
    },
  };
}
