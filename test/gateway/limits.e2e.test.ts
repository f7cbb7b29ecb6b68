import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { faults, type FakeRequest } from '../../src/testing/index.js';
import { GatewayHarness } from './harness.js';
import { HeldBackend } from './heldBackend.js';
import { chatBody, messagesBody, rawRequest } from './rawHttp.js';

const heldRoute = (url: string, gateway: string) => `
routes:
  - match: "*"
    model: held-model
    provider: custom
    base_url: ${url}/v1
    api_mode: chat_completions
gateway:
  first_token_timeout_ms: 600000
${gateway}`;

/** Sends raw bytes on a socket of its own, keeps trickling `drip` every `everyMs` until the server closes it; returns all it answered. */
function trickle(port: number, head: string, drip: string, everyMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined); // a write after the server hung up
    socket.write(head);
    const timer = setInterval(() => socket.writable && socket.write(drip), everyMs);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    });
  });
}

describe('gateway limits: what one client can make the gateway hold is bounded by configuration', () => {
  const h = new GatewayHarness();
  const held: HeldBackend[] = [];
  afterEach(async () => {
    for (const backend of held.splice(0)) backend.releaseAll();
    await h.close();
    for (const backend of held.splice(0)) await backend.close();
  });
  const heldBackend = async () => {
    const backend = new HeldBackend();
    held.push(backend);
    return { backend, url: await backend.start() };
  };

  it('requests in flight over gateway.max_requests_in_flight get 503 with retry-after at once; the ones in flight finish, and the place is free again', async () => {
    const { backend, url } = await heldBackend();
    const gateway = await h.gateway(heldRoute(url, '  max_requests_in_flight: 2\n'));
    const post = () => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody('m') });
    const first = post();
    const second = post();
    await backend.holding(2);
    const over = await post();
    expect(over.status).toBe(503);
    expect(over.headers.get('retry-after')).toBe('1');
    expect(await over.json()).toMatchObject({ error: { message: expect.stringContaining('gateway.max_requests_in_flight'), type: 'server_error' } });
    const anthropicOver = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: messagesBody('m') });
    expect(anthropicOver.status).toBe(503);
    expect(await anthropicOver.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    expect(backend.received).toHaveLength(2);
    backend.releaseAll();
    for (const response of await Promise.all([first, second])) {
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'answered after being held' } }] });
    }
    const again = post();
    await backend.holding(1);
    backend.releaseAll();
    expect((await again).status).toBe(200);
  });

  it('request bytes in flight over gateway.max_body_bytes_in_flight get 503 with retry-after, declared or chunked, before the backend sees them', async () => {
    const { backend, url } = await heldBackend();
    const gateway = await h.gateway(heldRoute(url, '  max_body_bytes: 2048\n  max_body_bytes_in_flight: 2048\n'));
    const big = chatBody('m', 'x'.repeat(1400));
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024);
    const first = fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    await backend.holding(1);
    const host = `127.0.0.1:${gateway.port}`;
    const declared = await rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, body: big });
    expect(declared.status).toBe(503);
    expect(declared.headers['retry-after']).toBe('1');
    expect((declared.json() as { error: { message: string } }).error.message).toContain('gateway.max_body_bytes_in_flight');
    const chunked = await rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { host, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(503);
    expect(backend.received).toHaveLength(1);
    backend.releaseAll();
    expect((await first).status).toBe(200);
    // Released with the request: the same body gets in now.
    const after = fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    await backend.holding(1);
    backend.releaseAll();
    expect((await after).status).toBe(200);
  });

  it('a body trickled byte by byte is cut at gateway.body_timeout_ms: 408 in the client\'s protocol, then the connection closes', async () => {
    const backend = await h.backend(faults.ok('never'));
    const gateway = await h.gateway(`
routes:
  - match: "*"
    model: m
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
gateway:
  body_timeout_ms: 300
`);
    // Chunked and never finished: only the gateway's bound can end it, however slow the machine.
    const answer = await trickle(gateway.port, `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n`, '1\r\n \r\n', 20);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    const body = JSON.parse(httpBody(answer)) as { type: string; error: { message: string } };
    expect(body).toMatchObject({ type: 'error', error: { message: 'the request body did not arrive within 300 ms (gateway.body_timeout_ms)' } });
    expect(backend.count()).toBe(0);
  });

  it('headers trickled byte by byte are cut at gateway.headers_timeout_ms with 408, and the connection closes', async () => {
    const backend = await h.backend(faults.ok('never'));
    const gateway = await h.gateway(`
routes:
  - match: "*"
    model: m
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
gateway:
  headers_timeout_ms: 200
`);
    // One byte of a header line every 50 ms: 16 KB of headers (Node's 431) would take over 13 minutes.
    const answer = await trickle(gateway.port, `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `, 'a', 50);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(backend.count()).toBe(0);
  });

  it('a 1 MB model name is not echoed whole: the 404 (and a pass_model route\'s 400) is a few hundred bytes; a many-star pattern does not stall on it', async () => {
    const backend = await h.backend(faults.ok('never'));
    const gateway = await h.gateway(`
routes:
  - match: "a*b*c*d"
    model: m
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
  - match: "claude-*"
    model: m
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
  - match: "pass/*"
    pass_model: true
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
`);
    const name = `a${'b'.repeat(1024 * 1024)}`;
    const notFound = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody(name) });
    expect(notFound.status).toBe(404);
    const text = await notFound.text();
    expect(text.length).toBeLessThan(1024);
    expect(text).toContain(`(${name.length - 200} more characters)`);
    const passed = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: messagesBody(`pass/${name}`) });
    expect(passed.status).toBe(400);
    const passedText = await passed.text();
    expect(passedText.length).toBeLessThan(1024);
    expect(passedText).toContain('has at most 256 characters');
    expect(backend.count()).toBe(0);
  });

  it('3,000 invented model names on a pass_model route whose names each go down: 50 tracked (gateway.max_model_names), the rest refused with 503; registry and /metrics stay at 50 names', { timeout: 180_000 }, async () => {
    const primary = await h.backend(faults.modelNotFound());
    const fallback = await h.backend(faults.ok('from the fallback'));
    const gateway = await h.gateway(
      `
routes:
  - match: "*"
    pass_model: true
    provider: custom
    base_url: ${primary.url}/v1
    api_mode: chat_completions
    fallback_providers:
      - { provider: custom, model: fallback-model, base_url: "${fallback.url}/v1", api_mode: chat_completions }
gateway:
  max_model_names: 50
`,
      { activeProbes: false },
    );
    const statuses = await sendNames(gateway.url, 3000, (i) => `invented-${i}`);
    expect(count(statuses, 200)).toBe(50);
    expect(count(statuses, 503)).toBe(2950);
    expect(primary.count()).toBe(50);
    const refused = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody('one-more') });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('gateway.max_model_names');
    // A name already tracked is still served.
    expect((await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody('invented-0') })).status).toBe(200);
    const keys = gateway.registry.all();
    expect(keys.length).toBe(50);
    expect(keys.every((k) => k.status === 'down')).toBe(true);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    console.log(`[3,000 names, each down] registry keys ${keys.length}, /metrics ${metrics.length} bytes`);
    expect(metrics.length).toBeLessThan(64 * 1024);
  });

  it('500 model names that each fail once and recover (health_scope: model): all served, idle healthy names evicted, registry and /metrics stay at most 50 names', { timeout: 180_000 }, async () => {
    const seen = new Set<string>();
    const primary = await h.backend((request: FakeRequest) => {
      const first = !seen.has(request.model ?? '');
      seen.add(request.model ?? '');
      return first ? { type: 'apiError', status: 500, errorType: 'server_error', message: 'transient' } : faults.ok('from the primary');
    });
    const gateway = await h.gateway(
      `
routes:
  - match: "*"
    pass_model: true
    provider: custom
    base_url: ${primary.url}/v1
    api_mode: chat_completions
    health_scope: model
gateway:
  max_model_names: 50
`,
      { activeProbes: false },
    );
    // Each new name costs a router and a config of its own (a few ms): 500 names, ten times the cap, show the eviction.
    const statuses = await sendNames(gateway.url, 500, (i) => `recovering-${i}`);
    expect(count(statuses, 200)).toBe(500);
    // Every name's key went suspect and back: each was in the registry and in /metrics once.
    expect(primary.count()).toBe(1000);
    const keys = gateway.registry.all();
    expect(keys.length).toBeLessThanOrEqual(50);
    expect(keys.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const failureSeries = metrics.split('\n').filter((l) => l.startsWith('llm_gateway_backend_failures_total{'));
    console.log(`[500 names, each recovered] registry keys ${keys.length}, failure series ${failureSeries.length}, /metrics ${metrics.length} bytes`);
    expect(failureSeries.length).toBeLessThanOrEqual(50);
    expect(metrics.length).toBeLessThan(64 * 1024);
  });
});

/** Sends one chat request per name, 25 at a time; returns the statuses. */
async function sendNames(url: string, total: number, name: (i: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < total; start += 25) {
    const batch = Array.from({ length: Math.min(25, total - start) }, (_, j) =>
      fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody(name(start + j)) }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

/** The body of a raw HTTP/1.1 response, chunked or not. */
function httpBody(response: string): string {
  const split = response.indexOf('\r\n\r\n');
  const head = response.slice(0, split).toLowerCase();
  let rest = response.slice(split + 4);
  if (!head.includes('transfer-encoding: chunked')) return rest;
  let body = '';
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return body;
    body += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;
