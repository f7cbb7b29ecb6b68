import type { WebSocket } from 'ws';
import type { InspectorModules } from './inspectorModules.js';

/**
 * Sends inspection messages to a websocket, reconnecting while it is unreachable. Unlike the
 * adapter in `@statelyai/inspect` 0.7.2, whose retry timer outlives `stop()` (the process never
 * exits once a connection has failed), every timer and socket here ends with `close()`, and the
 * retry timer alone never keeps a process alive.
 *
 * @internal
 * @example
 * ```ts
 * const sender = new SocketSender(modules.ws.WebSocket, { url: 'ws://127.0.0.1:8080' });
 * sender.start();
 * sender.send('{"type":"@xstate.event"}');
 * await sender.close();
 * ```
 */
export class SocketSender {
  private socket: WebSocket | undefined;
  private retry: NodeJS.Timeout | undefined;
  private queued: string[] = [];
  private closed = false;

  constructor(
    private readonly WebSocketClass: InspectorModules['ws']['WebSocket'],
    private readonly options: {
      readonly url: string;
      /** How long to wait before connecting again after a failed or lost connection (default 5 s). */
      readonly retryMs?: number;
      /** Messages kept while disconnected; the oldest go first (default 1000). */
      readonly maxQueued?: number;
    },
  ) {}

  start(): void {
    if (this.closed || this.socket) return;
    const socket = new this.WebSocketClass(this.options.url);
    this.socket = socket;
    socket.on('open', () => {
      for (const message of this.queued.splice(0)) socket.send(message);
    });
    // A refused or broken connection is not the router's problem: try again later, quietly.
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      if (this.closed) return;
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.start();
      }, this.options.retryMs ?? 5_000);
      this.retry.unref();
    });
  }

  send(message: string): void {
    if (this.closed) return;
    if (this.socket?.readyState === this.WebSocketClass.OPEN) {
      this.socket.send(message);
      return;
    }
    this.queued.push(message);
    if (this.queued.length > (this.options.maxQueued ?? 1_000)) this.queued.shift();
  }

  /**
   * Stops retrying and closes the connection, letting what was sent or queued go out first when
   * it is open or still opening, for at most `graceMs`; a short-lived process loses nothing to a
   * connection that was still being set up.
   */
  async close(graceMs = 1_000): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState !== this.WebSocketClass.CLOSED) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => socket.terminate(), graceMs);
        socket.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        const goodbye = () => socket.close(1000, 'inspector stopped');
        // The 'open' listener added by start() runs first and sends the queue.
        if (socket.readyState === this.WebSocketClass.OPEN) goodbye();
        else if (socket.readyState === this.WebSocketClass.CONNECTING) socket.once('open', goodbye);
      });
    }
    this.queued = [];
  }
}
