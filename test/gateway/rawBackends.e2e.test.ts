import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CONDITION_BOUND_MS } from '../support/virtualTimers.js';
import { GatewayHarness } from './harness.js';

/** A hand-written OpenAI-compatible backend, for wire faults the fake does not make. */
async function rawBackend(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, server, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

const chunk = (body: object) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'raw-model', ...body })}\n\n`;
const route = (url: string) => `
routes:
  - match: "*"
    model: raw-model
    provider: custom
    base_url: ${url}/v1
    api_mode: chat_completions
gateway:
  first_token_timeout_ms: 600000
  idle_timeout_ms: 600000
`;
// Both limits are the largest the config takes, far past the test timeout (30 s): no test here
// can be ended by them, so whatever does end one (the client's disconnect, a finished stream let
// go) is the behaviour under test, however slow the machine.

describe('gateway against backends that misbehave on the wire', () => {
  const h = new GatewayHarness();
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await h.close();
    for (const s of servers.splice(0)) await s.close();
  });

  it('a client that disconnects mid-stream cancels the backend request', async () => {
    let backendClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (backendClosed = resolve));
    const backend = await rawBackend((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'first words' }, finish_reason: null }] }));
      // …and then nothing more, until the gateway lets go.
      req.on('close', () => backendClosed());
    });
    servers.push(backend);
    const gateway = await h.gateway(route(backend.url));
    const client = new AbortController();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'raw-model', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('first words');
    client.abort();
    await Promise.race([closed, sleep(CONDITION_BOUND_MS).then(() => Promise.reject(new Error(`the backend request was not cancelled within ${CONDITION_BOUND_MS} ms`)))]);
  });

  it('a malformed chunk is skipped and the stream goes on', async () => {
    const backend = await rawBackend((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'one ' }, finish_reason: null }] }));
      res.write('data: {"id":"c1","choices":[{"delta":{"content":"bro\n\n');
      res.write(chunk({ choices: [{ index: 0, delta: { content: 'two' }, finish_reason: 'stop' }] }));
      res.end('data: [DONE]\n\n');
    });
    servers.push(backend);
    const gateway = await h.gateway(route(backend.url));
    const stream = await h.openai(gateway).chat.completions.create({ model: 'raw-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('one two');
  });

  it('a stream that never sends its [DONE] sentinel is finalised promptly after its finish_reason and usage, not at the idle timeout', async () => {
    const backend = await rawBackend((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'all of it' }, finish_reason: null }] }));
      res.write(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
      res.write(chunk({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } }));
      // No [DONE], and the connection stays open.
    });
    servers.push(backend);
    const gateway = await h.gateway(route(backend.url));
    const stream = await h.openai(gateway).chat.completions.create({ model: 'raw-model', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: unknown;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('all of it');
    expect(usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3 });
    // The idle timeout (600 s) is past the test's own timeout: the stream finished at all only because its end was recognised.
  });
});
