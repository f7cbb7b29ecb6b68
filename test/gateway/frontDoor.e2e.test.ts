import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { GatewayHarness, type Backend } from './harness.js';
import { chatBody, messagesBody, rawRequest } from './rawHttp.js';

/** One route to one OpenAI-compatible fake; `gateway` is appended as the config's gateway: section. */
const route = (backend: Backend, gateway = '') => `
routes:
  - match: "*"
    model: qwen3:32b
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
    api_key: upstream-key-that-must-not-be-spent
${gateway ? `gateway:\n${gateway}` : ''}`;

describe('gateway front door: a web page, a forged Host or a wrong token does not get through (real server, raw HTTP as an attacker sends it)', () => {
  const h = new GatewayHarness();
  afterEach(() => h.close());

  it('a forged Host (DNS rebinding: evil.example:8787) gets 403 in the client\'s protocol on every endpoint, and the backend receives nothing', async () => {
    const backend = await h.backend(faults.ok('spent'));
    const gateway = await h.gateway(route(backend));
    const headers = { host: 'evil.example:8787', 'content-type': 'application/json' };
    const openai = await rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers, body: chatBody() });
    expect(openai.status).toBe(403);
    expect(openai.json()).toEqual({
      error: { message: expect.stringContaining('the Host header "evil.example:8787" is not a loopback name or address'), type: 'permission_error', param: null, code: null },
    });
    expect((openai.json() as { error: { message: string } }).error.message).toContain('gateway.allowed_hosts');
    const anthropic = await rawRequest(gateway.url, { method: 'POST', path: '/v1/messages', headers, body: messagesBody() });
    expect(anthropic.status).toBe(403);
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'permission_error', message: expect.stringContaining('gateway.allowed_hosts') } });
    // A rebinding page cannot read the health or the metrics either.
    for (const path of ['/health', '/metrics', '/v1/models']) expect((await rawRequest(gateway.url, { path, headers: { host: 'evil.example:8787' } })).status).toBe(403);
    // A name that merely resolves to 127.0.0.1, a short or decimal form of it, no Host at all: all refused.
    for (const host of ['localtest.me:8787', '127.1', '2130706433', 'localhost.evil.example']) {
      expect((await rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { ...headers, host }, body: chatBody() })).status).toBe(403);
    }
    expect(backend.count()).toBe(0);
  });

  it('loopback names and addresses get in, with or without a port', async () => {
    const backend = await h.backend(faults.ok('served'));
    const gateway = await h.gateway(route(backend));
    for (const host of ['localhost', `localhost:${gateway.port}`, `127.0.0.1:${gateway.port}`, '127.42.0.9:80', '[::1]:8787', '[::ffff:127.0.0.1]']) {
      const response = await rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { host, 'content-type': 'application/json' }, body: chatBody() });
      expect(response.status, host).toBe(200);
    }
    expect(backend.count()).toBe(6);
  });

  it('a browser Origin not in the allow-list gets 403 (another local web app included); its preflight gets no CORS allowance', async () => {
    const backend = await h.backend(faults.ok('spent'));
    const gateway = await h.gateway(route(backend));
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'null']) {
      const response = await rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { host: `127.0.0.1:${gateway.port}`, origin, 'content-type': 'application/json' }, body: chatBody() });
      expect(response.status, origin).toBe(403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect((response.json() as { error: { message: string } }).error.message).toContain('gateway.allowed_origins');
    }
    const preflight = await rawRequest(gateway.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { host: `127.0.0.1:${gateway.port}`, origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(backend.count()).toBe(0);
  });

  it('the blind cross-origin "simple request" (text/plain), a form post and a body with no type get 415; the backend receives nothing; JSON with a charset is fine', async () => {
    const backend = await h.backend(faults.ok('served'));
    const gateway = await h.gateway(route(backend));
    const post = (type: string | undefined, path = '/v1/chat/completions') =>
      rawRequest(gateway.url, { method: 'POST', path, headers: { host: `127.0.0.1:${gateway.port}`, ...(type ? { 'content-type': type } : {}) }, body: path === '/v1/messages' ? messagesBody() : chatBody() });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const response = await post(type);
      expect(response.status, String(type)).toBe(415);
      expect((response.json() as { error: { message: string } }).error.message).toContain('content-type: application/json');
    }
    const anthropic = await post('text/plain', '/v1/messages');
    expect(anthropic.status).toBe(415);
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(backend.count()).toBe(0);
    expect((await post('application/json; charset=utf-8')).status).toBe(200);
    expect((await post('Application/JSON')).status).toBe(200);
    expect(backend.count()).toBe(2);
  });

  it('the allow-lists let exactly the configured host names and browser origins through, with CORS for the allowed origin', async () => {
    const backend = await h.backend(faults.ok('served'));
    const gateway = await h.gateway(route(backend, '  allowed_hosts: [gateway.internal, "other.internal:9999"]\n  allowed_origins: ["http://localhost:5173"]\n'));
    const post = (headers: Record<string, string>) => rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, body: chatBody() });
    expect((await post({ host: 'gateway.internal:8787' })).status).toBe(200);
    expect((await post({ host: 'GATEWAY.internal' })).status).toBe(200);
    expect((await post({ host: 'other.internal:9999' })).status).toBe(200);
    expect((await post({ host: 'other.internal:9998' })).status).toBe(403);
    expect((await post({ host: 'evil.example' })).status).toBe(403);
    const fromApp = await post({ host: `127.0.0.1:${gateway.port}`, origin: 'http://localhost:5173' });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(fromApp.headers.vary).toContain('origin');
    const preflight = await rawRequest(gateway.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { host: `127.0.0.1:${gateway.port}`, origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'http://localhost:5173', 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, authorization' });
    expect((await post({ host: `127.0.0.1:${gateway.port}`, origin: 'http://localhost:5174' })).status).toBe(403);
    expect(backend.count()).toBe(4);
  });

  it('tokens: the right one (bearer or x-api-key) gets in; a wrong one of the same length, of another length, or none gets 401; the Host check still applies', async () => {
    const backend = await h.backend(faults.ok('served'));
    const token = 'secret-token-0123456789';
    const gateway = await h.gateway(route(backend, `  auth_tokens: [${token}, second-token-xyz]\n`));
    const post = (headers: Record<string, string>) =>
      rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { host: `127.0.0.1:${gateway.port}`, 'content-type': 'application/json', ...headers }, body: chatBody() });
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await post({ authorization: 'Bearer second-token-xyz' })).status).toBe(200);
    expect((await post({ 'x-api-key': token })).status).toBe(200);
    const sameLength = token.slice(0, -1) + (token.endsWith('9') ? '8' : '9');
    const wrong: Record<string, string>[] = [{ authorization: `Bearer ${sameLength}` }, { authorization: `Bearer ${token}0` }, { authorization: 'Bearer s' }, { 'x-api-key': token.toUpperCase() }, {}];
    for (const headers of wrong) {
      const response = await post(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect((response.json() as { error: { message: string } }).error.message).toContain('gateway.auth_tokens');
    }
    expect((await post({ authorization: `Bearer ${token}`, host: 'evil.example:8787' })).status).toBe(403);
    expect(backend.count()).toBe(3);
  });

  it('a request with two Host headers gets 400 (RFC 9112: Node keeps the first; a proxy in front may route by the other); the backend receives nothing', async () => {
    const backend = await h.backend(faults.ok('spent'));
    const gateway = await h.gateway(route(backend));
    const body = chatBody();
    const answer = await rawSocket(gateway.port, `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('more than one Host header');
    expect(backend.count()).toBe(0);
  });

  it('GET /health, /metrics or /v1/models carrying a body nobody reads answer with connection: close, so a client trickling that body cannot hold the connection', async () => {
    const backend = await h.backend(faults.ok('served'));
    // Node's own backstop (headers + body timeout + 5 s) would otherwise hold the connection for 2 minutes.
    const gateway = await h.gateway(route(backend, '  headers_timeout_ms: 60000\n  body_timeout_ms: 60000\n'));
    for (const path of ['/health', '/metrics', '/v1/models']) {
      // One chunk of a chunked body, then nothing more: the socket must close once the answer is out.
      const answer = await rawSocket(gateway.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n`);
      expect(answer, path).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer.toLowerCase(), path).toContain('connection: close');
    }
  });
});

/** Sends `bytes` on a fresh connection and resolves with everything received once the server closes it. */
function rawSocket(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received)).on('error', reject);
  });
}
