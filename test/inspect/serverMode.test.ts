import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { memoryJournal, openHealthRegistry, startInspector, STATELY_INSPECTOR_UI, type RunningInspector } from '../../src/index.js';
import type { HealthRegistry } from '../../src/registry/healthRegistry.js';
import { entry } from '../support/entries.js';
import { connectClient, crash, healthActorOf, topState } from './support.js';
import { CONDITION_BOUND_MS } from '../support/virtualTimers.js';

// The local inspector (`--inspect` with no value): a page on 127.0.0.1 and its websocket.
const T0 = 1_700_000_000_000;
const P = entry('model', 'anthropic', 'claude-sonnet-4-6', 'http://127.0.0.1:8082');
const F1 = entry('fallback_providers[0]', 'custom', 'qwen3:32b', 'http://127.0.0.1:11434/v1', { apiMode: 'chat_completions' });

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function serve(options: { port?: number; ui?: string } = {}): Promise<RunningInspector> {
  const inspector = await startInspector({ mode: 'server', ...options });
  open.push({ close: () => inspector.stop() });
  return inspector;
}

async function inspectedRegistry(inspector: RunningInspector): Promise<HealthRegistry> {
  const registry = await openHealthRegistry({ journal: memoryJournal(), clock: new VirtualClock(T0), inspect: inspector.inspect });
  open.push(registry);
  return registry;
}

const socketUrlOf = (pageUrl: string) => pageUrl.replace(/^http:/, 'ws:');

describe('the local inspector server', () => {
  it('serves its page on 127.0.0.1 (a free port), embedding the hosted Stately inspector UI', async () => {
    const inspector = await serve();
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(inspector.url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    // The page's UI is not local: the browser loads it from stately.ai.
    expect(page).toContain(JSON.stringify(STATELY_INSPECTOR_UI));
    expect((await fetch(new URL('/elsewhere', inspector.url!))).status).toBe(404);
  });

  it('a page opened late is shown what happened before (the health actor and its cooldown), then what happens next', async () => {
    const inspector = await serve();
    const registry = await inspectedRegistry(inspector);
    registry.record({ type: 'call.failed', backend: P.endpointKey, failure: crash, turnId: 't-1', purpose: 'main' });
    expect(registry.health(P.endpointKey).status).toBe('cooldown');
    // Let the inspector's deferred delivery run before anyone is connected: it converts each event
    // on a zero-delay timer, and Node runs timers of one delay in the order they were set, so this
    // one runs after those however busy the machine is.
    await new Promise((resolve) => setTimeout(resolve, 0));

    const page = await connectClient(socketUrlOf(inspector.url!));
    open.push({ close: () => page.socket.terminate() });
    const health = await page.inbox.waitFor('the health actor registered', (m) => healthActorOf(m, P.endpointKey));
    expect(JSON.parse(health.definition!)).toMatchObject({ id: 'backendHealth' });
    await page.inbox.waitFor('its snapshot in cooldown', (m) => m.some((s) => s.type === '@xstate.snapshot' && s.sessionId === health.sessionId && topState(s.snapshot?.value) === 'cooldown'));

    registry.record({ type: 'call.failed', backend: F1.endpointKey, failure: crash, turnId: 't-1', purpose: 'main' });
    await page.inbox.waitFor('the next backend, live', (m) => healthActorOf(m, F1.endpointKey));
  });

  it('another process may send to the same page: what one client sends, the page receives', async () => {
    const inspector = await serve();
    const page = await connectClient(socketUrlOf(inspector.url!));
    open.push({ close: () => page.socket.terminate() });
    const other = await connectClient(socketUrlOf(inspector.url!));
    open.push({ close: () => other.socket.terminate() });
    other.socket.send(JSON.stringify({ type: '@xstate.event', sessionId: 'x:1', event: { type: 'ping' } }));
    await page.inbox.waitFor('the other process\'s event', (m) => m.some((e) => e.event?.type === 'ping'));
  });

  it('refuses a websocket opened by another web site (which could otherwise read the calls)', async () => {
    const inspector = await serve();
    const port = new URL(inspector.url!).port;
    await expect(connectClient(socketUrlOf(inspector.url!), 'https://evil.example')).rejects.toThrow(/403/);
    const fromPage = await connectClient(socketUrlOf(inspector.url!), `http://127.0.0.1:${port}`);
    fromPage.socket.terminate();
  });

  it('a port in use is an error naming it, not a crash', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    open.push({ close: () => new Promise<void>((resolve) => busy.close(() => resolve())) });
    const { port } = busy.address() as AddressInfo;
    await expect(startInspector({ mode: 'server', port })).rejects.toThrow(`127.0.0.1:${port}: the port is in use`);
  });

  it('stop() delivers what is on its way, closes the open pages and the port', async () => {
    const inspector = await serve();
    const page = await connectClient(socketUrlOf(inspector.url!));
    open.push({ close: () => page.socket.terminate() });
    const registry = await inspectedRegistry(inspector);
    registry.record({ type: 'call.failed', backend: P.endpointKey, failure: crash, turnId: 't-1', purpose: 'main' });
    await inspector.stop();
    expect(await page.closed).toBe(1001);
    expect(healthActorOf(page.inbox.messages, P.endpointKey)).toBeDefined();
    await expect(fetch(inspector.url!)).rejects.toThrow();
  });

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // Skipped only on a developer machine without Debian's chromium; CI installs it (.ci/run), so there it always runs.
  it.skipIf(!existsSync(chromium) && process.env.CI !== 'true')('in a browser, the page hands the messages to the inspector UI it embeds once that UI says it is ready', async () => {
    // A stand-in for the hosted UI, on another origin, as the real one is.
    const fakeUi: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script>
        window.received = [];
        addEventListener('message', (e) => { if (e.source === parent) received.push(e.data); });
        parent.postMessage({ type: '@statelyai.connected' }, '*');
      </script>`);
    });
    await new Promise<void>((resolve) => fakeUi.listen(0, '127.0.0.1', () => resolve()));
    open.push({ close: () => new Promise<void>((resolve) => fakeUi.close(() => resolve())) });
    const ui = `http://localhost:${(fakeUi.address() as AddressInfo).port}/`;

    const inspector = await serve({ ui });
    const registry = await inspectedRegistry(inspector);
    registry.record({ type: 'call.failed', backend: P.endpointKey, failure: crash, turnId: 't-1', purpose: 'main' });

    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    open.push({ close: () => browser.close() });
    const tab = await browser.newPage();
    await tab.goto(inspector.url!);
    const frame = tab.frames().find((f) => f.url() === ui) ?? (await (await tab.waitForSelector('iframe')).contentFrame())!;
    await frame.waitForFunction(
      (key) => (globalThis as unknown as { received: { type: string; snapshot?: { context?: { key?: string } } }[] }).received.some((m) => m.type === '@xstate.actor' && m.snapshot?.context?.key === key),
      P.endpointKey,
      { timeout: CONDITION_BOUND_MS },
    );
    expect(await tab.textContent('#status')).toContain('receiving');
  });
});
