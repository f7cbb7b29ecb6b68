import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { bridgePage } from './bridgePage.js';
import type { InspectorModules } from './inspectorModules.js';
import { ReplayMemory } from './replayMemory.js';

/**
 * A running local inspector server.
 *
 * @internal
 * @example
 * ```ts
 * const relay = await startRelayServer(modules.ws, { port: 0, ui: STATELY_INSPECTOR_UI });
 * console.log(`open ${relay.pageUrl}`);
 * relay.publish(JSON.stringify(message));
 * await relay.close();
 * ```
 */
export interface RelayServer {
  /** The page to open in a browser, e.g. `http://127.0.0.1:40123/`. */
  readonly pageUrl: string;
  /** Where other processes can send inspection messages too, e.g. `ws://127.0.0.1:40123/`. */
  readonly socketUrl: string;
  /** Shows a message to every open page (and remembers it for pages opened later). */
  publish(message: string): void;
  /** Closes every page's connection and the server; resolves when nothing is left open. */
  close(): Promise<void>;
}

/**
 * Serves the inspector page on 127.0.0.1 and relays inspection messages to it over a websocket,
 * the way `createInspectorServer` from `@statelyai/inspect/server` does, but built to be embedded:
 * it listens on 127.0.0.1 only (that one listens on every interface), reports the port it got
 * (so port 0 works: that one's page would connect to port 0), opens no browser, turns a busy
 * port into a rejected promise (not an uncaught exception), refuses websockets opened by other
 * web sites (a page on any origin could otherwise read the stream), and closes its clients'
 * connections on `close()` (that one leaves them open, so an open browser tab keeps the
 * process alive). Other processes may send to it too: what one client sends, the others see.
 *
 * @internal
 * @example
 * ```ts
 * const relay = await startRelayServer(modules.ws, { port: 0, ui: STATELY_INSPECTOR_UI });
 * ```
 */
export async function startRelayServer(ws: InspectorModules['ws'], options: { readonly port: number; readonly ui: string }): Promise<RelayServer> {
  const memory = new ReplayMemory();
  let page = '';
  const http = createServer((req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.url !== '/' && req.url !== '/index.html')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : page);
  });
  const sockets = new ws.WebSocketServer({ noServer: true });
  const broadcast = (message: string, from?: WebSocket) => {
    memory.remember(message);
    for (const client of sockets.clients) if (client !== from && client.readyState === ws.WebSocket.OPEN) client.send(message);
  };
  sockets.on('connection', (client: WebSocket) => {
    client.on('error', () => {});
    for (const message of memory.replay()) client.send(message);
    client.on('message', (data, isBinary) => {
      if (!isBinary) broadcast(data.toString(), client);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`the inspector could not listen on 127.0.0.1:${options.port}: the port is in use`, { cause: error }) : error);
    http.once('error', fail);
    http.listen(options.port, '127.0.0.1', () => {
      http.off('error', fail);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  page = bridgePage(options.ui);
  const allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Browsers always send an Origin; only the page itself may listen. Programs send none.
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (client) => sockets.emit('connection', client, req));
  });
  // An error on a connection is that connection's problem; the server keeps serving.
  http.on('clientError', (_error, socket) => socket.destroy());

  return {
    pageUrl: `http://127.0.0.1:${port}/`,
    socketUrl: `ws://127.0.0.1:${port}/`,
    publish: (message) => broadcast(message),
    async close() {
      const closing = [...sockets.clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.readyState === ws.WebSocket.CLOSED) return resolve();
            const force = setTimeout(() => client.terminate(), 1_000);
            client.once('close', () => {
              clearTimeout(force);
              resolve();
            });
            client.close(1001, 'inspector stopped');
          }),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => {
        sockets.close(() => http.close(() => resolve()));
        // A browser keeps its page's HTTP connection alive; close() alone would wait for it.
        http.closeAllConnections();
      });
    },
  };
}
