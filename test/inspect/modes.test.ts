import { afterEach, describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { inspectorOptionsFromFlag, startInspector } from '../../src/index.js';
import { loadInspectorModules } from '../../src/inspect/inspectorModules.js';
import { skySession } from '../../src/inspect/skySession.js';
import { SocketSender } from '../../src/inspect/socketSender.js';
import { startInspectorAt } from '../../src/inspect/startInspector.js';
import { refusedPort } from '../support/refusedPort.js';
import { CONDITION_BOUND_MS, until } from '../support/virtualTimers.js';
import { inspectionReceiver } from './support.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

const light = createMachine({ id: 'light', initial: 'green', states: { green: { on: { next: 'red' } }, red: {} } });

describe('--inspect values', () => {
  it('nothing: a local page on a free port; a number: that port; a ws:// or wss:// URL: that inspector; sky: the hosted one', () => {
    expect(inspectorOptionsFromFlag(true)).toEqual({ mode: 'server' });
    expect(inspectorOptionsFromFlag('')).toEqual({ mode: 'server' });
    expect(inspectorOptionsFromFlag('4000')).toEqual({ mode: 'server', port: 4000 });
    expect(inspectorOptionsFromFlag('ws://127.0.0.1:8080')).toEqual({ mode: 'websocket', url: 'ws://127.0.0.1:8080' });
    expect(inspectorOptionsFromFlag('wss://inspect.example/x')).toEqual({ mode: 'websocket', url: 'wss://inspect.example/x' });
    expect(inspectorOptionsFromFlag('sky')).toEqual({ mode: 'sky' });
  });

  it('anything else is refused, naming what is accepted', async () => {
    for (const bad of ['http://127.0.0.1:8080', 'skyy', '70000']) {
      expect(() => inspectorOptionsFromFlag(bad)).toThrow(/a port, a ws:\/\/ or wss:\/\/ URL, or "sky"/);
    }
    await expect(startInspector({ mode: 'websocket', url: 'http://127.0.0.1:1' })).rejects.toThrow(/starts with ws:\/\/ or wss:\/\//);
    await expect(startInspector({ mode: 'server', port: -1 })).rejects.toThrow(/from 0 to 65535/);
  });
});

describe('the websocket inspector', () => {
  it('an inspector that comes up later still gets what was sent while it was down', async () => {
    const port = await refusedPort();
    const { ws } = await loadInspectorModules();
    // Counts the sender's connection attempts that ended, to know it was refused at least once.
    let refused = 0;
    class CountingSocket extends ws.WebSocket {
      constructor(url: string) {
        super(url);
        this.once('close', () => (refused += 1));
      }
    }
    const sender = new SocketSender(CountingSocket as unknown as typeof ws.WebSocket, { url: `ws://127.0.0.1:${port}`, retryMs: 50 });
    open.push({ close: () => sender.close() });
    sender.start();
    sender.send('{"type":"@xstate.event","sessionId":"x:0","event":{"type":"early"}}');
    await until('the sender to be refused at least once', () => refused >= 1);
    const { WebSocketServer } = ws;
    const server = new WebSocketServer({ host: '127.0.0.1', port });
    open.push({
      close: () =>
        new Promise<void>((resolve) => {
          for (const client of server.clients) client.terminate();
          server.close(() => resolve());
        }),
    });
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing arrived within ${CONDITION_BOUND_MS} ms`)), CONDITION_BOUND_MS);
      server.on('connection', (socket) =>
        socket.once('message', (data) => {
          clearTimeout(timer);
          resolve(data.toString());
        }),
      );
    });
    expect(JSON.parse(first)).toMatchObject({ event: { type: 'early' } });
  });
});

describe('the hosted (sky) inspector', () => {
  it('returns the page of its session and sends superjson to that session\'s room (exercised against a local stand-in)', async () => {
    const receiver = await inspectionReceiver();
    open.push(receiver);
    const inspector = await startInspectorAt({ mode: 'sky' }, { socketBase: receiver.url, pageBase: 'https://inspector.test/inspect' });
    open.push({ close: () => inspector.stop() });
    const id = /^https:\/\/inspector\.test\/inspect\/([0-9a-f-]{36})$/.exec(inspector.url ?? '')?.[1];
    expect(id).toBeDefined();
    createActor(light, { inspect: inspector.inspect }).start().send({ type: 'next' });
    const registered = await receiver.inbox.waitFor('the actor registered', () =>
      receiver.inbox.raw.map((text) => JSON.parse(text) as { json?: { type?: string; name?: string } }).find((m) => m.json?.type === '@xstate.actor'),
    );
    expect(registered.json?.name).toBe('light');
    expect(receiver.paths[0]).toMatch(new RegExp(`^/parties/main/inspect-${id}\\?_pk=`));
  });

  it('the real hosted inspector is Stately\'s: a PartyKit room per session, and a stately.ai page of the same id (addresses only; nothing is contacted)', () => {
    const { socketUrl, pageUrl } = skySession('0d5f7a52-5b0e-4c39-9a44-2f3c1c1e8a10');
    expect(socketUrl).toMatch(/^wss:\/\/stately-sky-beta\.mellson\.partykit\.dev\/parties\/main\/inspect-0d5f7a52-5b0e-4c39-9a44-2f3c1c1e8a10\?_pk=[0-9a-f-]{36}$/);
    expect(pageUrl).toBe('https://stately.ai/registry/inspect/0d5f7a52-5b0e-4c39-9a44-2f3c1c1e8a10');
  });
});
