import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import type { CallOutcome, Transport } from '../../src/transports/transport.js';
import { CONDITION_BOUND_MS } from '../support/virtualTimers.js';

/** One inspection message as an inspector receives it (the fields these tests read). */
export interface Received {
  readonly type: string;
  readonly sessionId: string;
  readonly name?: string;
  readonly definition?: string;
  readonly event?: { readonly type: string; readonly [key: string]: unknown };
  readonly snapshot?: { readonly status?: string; readonly value?: unknown; readonly context?: Record<string, unknown>; readonly output?: unknown };
  readonly [key: string]: unknown;
}

/** Collects what arrives on a socket (or server) and waits, bounded, for something to be there. */
export class Inbox {
  readonly raw: string[] = [];
  private waiters = new Set<() => void>();

  push(text: string): void {
    this.raw.push(text);
    for (const wake of this.waiters) wake();
  }

  get messages(): Received[] {
    return this.raw.map((text) => JSON.parse(text) as Received);
  }

  /**
   * Resolves once `found` returns something for the messages so far; fails after `timeoutMs`
   * naming `what` (a bound that only names a hang: see `CONDITION_BOUND_MS`).
   */
  async waitFor<T>(what: string, found: (messages: Received[]) => T | undefined | false, timeoutMs = CONDITION_BOUND_MS): Promise<T> {
    const check = () => {
      const result = found(this.messages);
      return result === undefined || result === false ? undefined : result;
    };
    const now = check();
    if (now !== undefined) return now;
    return new Promise<T>((resolve, reject) => {
      const wake = () => {
        const result = check();
        if (result === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${this.messages.map(describe).join(', ') || 'nothing'}`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }
}

function describe(m: Received): string {
  return `${m.type}(${m.name ?? m.event?.type ?? JSON.stringify(m.snapshot?.value ?? '')})`;
}

/** A websocket inspector of one's own: a `ws` server on 127.0.0.1 that keeps every text message. */
export async function inspectionReceiver(path = ''): Promise<{ url: string; inbox: Inbox; paths: string[]; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const inbox = new Inbox();
  const paths: string[] = [];
  server.on('connection', (socket, request) => {
    paths.push(request.url ?? '');
    socket.on('message', (data) => inbox.push(data.toString()));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}${path}`,
    inbox,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** A client of a page's websocket, as the browser page is; `origin` as a browser would send it. */
export async function connectClient(url: string, origin?: string): Promise<{ socket: WebSocket; inbox: Inbox; closed: Promise<number> }> {
  const socket = new WebSocket(url, origin ? { origin } : {});
  const inbox = new Inbox();
  socket.on('message', (data) => inbox.push(data.toString()));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, inbox, closed };
}

/** The health actor of `key`: its registration, found by its machine's id and its context. */
export function healthActorOf(messages: Received[], key: string): Received | undefined {
  return messages.find((m) => m.type === '@xstate.actor' && machineId(m) === 'backendHealth' && m.snapshot?.context?.key === key);
}

/** The id of the machine a registration carries (its definition is the machine's config as JSON). */
export function machineId(m: Received): string | undefined {
  return m.definition ? (JSON.parse(m.definition) as { id?: string }).id : undefined;
}

/** The top-level state of a snapshot's value (`{ cooldown: 'resting' }` is in `cooldown`). */
export function topState(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0];
  return undefined;
}

export const crash: ClassifiedFailure = {
  kind: 'crash',
  reason: 'crash_signature',
  message: '500 Claude Code process exited with code 1',
  answered: true,
  modelSpecific: false,
  retrySameBackend: false,
  status: 500,
};

/** An in-process transport: `failing` entries answer with a crash, every other one answers. */
export function crashingTransport(failing: BackendEntry): { transport: Transport; calls: string[] } {
  const calls: string[] = [];
  const transport: Transport = {
    async call(e, req): Promise<CallOutcome> {
      calls.push(e.label);
      if (e === failing) return { ok: false, failure: crash, error: new Error(crash.message) };
      return { ok: true, response: { text: `from ${e.label}: ${req.messages.length}`, toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: e.model, servedBy: e.label } };
    },
  };
  return { transport, calls };
}

export function userRequest(text: string): NeutralRequest {
  return { messages: [{ role: 'user', content: [{ type: 'text', text }] }], maxTokens: 64 };
}
