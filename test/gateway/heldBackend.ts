import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An OpenAI-compatible backend that holds every request open until the test releases it, then
 * answers with a short streamed chat completion: "requests in flight" without any waiting on time.
 */
export class HeldBackend {
  /** Every request received, in order (body as text). */
  readonly received: { path: string; body: string }[] = [];
  private readonly held: ServerResponse[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly watchers: { count: number; resolve: () => void }[] = [];
  private server: Server | undefined;

  constructor(private readonly text = 'answered after being held') {}

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.hold(req, res));
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Resolves once `count` requests are being held. */
  holding(count: number): Promise<void> {
    if (this.held.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  /** Answers every request held now. */
  releaseAll(): void {
    for (const res of this.held.splice(0)) answer(res, this.text);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async hold(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    this.received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
    this.held.push(res);
    for (const watcher of [...this.watchers]) {
      if (this.held.length >= watcher.count) {
        this.watchers.splice(this.watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  }
}

function answer(res: ServerResponse, text: string): void {
  const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'chatcmpl-held', object: 'chat.completion.chunk', created: 0, model: 'held-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(`${chunk({ role: 'assistant', content: text }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
}
