/**
 * Issue 10 ("no disk, client or backend can switch failover off"), from the backend's side: what a
 * broken or hostile backend answers must fail over to the fallback, never end the request with a
 * 500 of the gateway's own, and never grow the gateway's memory without bound. Found by the
 * acceptance pass against the built gateway:
 *
 * - an error body or a stream error event nested 100,000 levels deep overflowed the SDK while it
 *   built its error; read as a programming error of this process (`local`), it was charged to
 *   nobody and ended the request with a 500 — with a healthy fallback right there;
 * - a tool call whose input nested 100,000 deep passed as a success and overflowed the
 *   gateway's own `JSON.stringify` of the answer (a 500, sent with status 200);
 * - an endless error body was read whole by the SDK (1.8 GB in one 10-second first-token wait),
 *   and a stream event that never ended was held whole and searched again on every chunk.
 *
 * The hostile backend is a real HTTP server that writes with backpressure, so "the gateway did
 * not read it all" is what the server saw: its response was closed before it finished writing.
 * The clients are the real SDKs; no timing is measured.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NeutralResponse, Transport } from '../../src/transports/index.js';
import { GatewayHarness, type Backend } from './harness.js';
import { rawRequest, chatBody } from './rawHttp.js';

/** How a hostile backend answers one request. */
type Answer = (res: ServerResponse) => Promise<void> | void;

/** An HTTP backend that answers every request with `answer` and records how each response ended. */
class HostileBackend {
  /** Per request: whether its response was written to the end, or closed by the gateway first. */
  readonly endings: ('finished' | 'cut')[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  constructor(private readonly answer: Answer) {}

  async start(): Promise<string> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        res.on('close', () => this.endings.push(res.writableFinished ? 'finished' : 'cut'));
        void Promise.resolve(this.answer(res)).catch(() => undefined);
      });
    });
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Writes `total` bytes of `fill` after `head`, waiting for the socket to drain (a reader that stops reading stops the writer). */
function writeLong(head: string, fill: string, total: number): Answer {
  return async (res) => {
    res.write(head);
    const chunk = Buffer.from(fill.repeat(Math.ceil(65_536 / fill.length)).slice(0, 65_536));
    for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
      if (!res.write(chunk)) await new Promise<void>((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
    }
    res.end();
  };
}

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
/** Two bytes a level: 30,000 levels fit under the 64 KiB an SDK is given of an error body, and still overflow its stack. */
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const sse = (event: string | undefined, data: string) => `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
const json = (status: number, body: string): Answer => (res) => void res.writeHead(status, { 'content-type': 'application/json' }).end(body);
const stream = (body: string): Answer => (res) => void res.writeHead(200, { 'content-type': 'text/event-stream' }).end(body);

/** An Anthropic stream whose one tool_use block's input (as streamed partial JSON) is `input`. */
function anthropicToolStream(input: string): string {
  return [
    sse('message_start', JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'hostile', content: [], usage: { input_tokens: 1, output_tokens: 0 } } })),
    sse('content_block_start', JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: {} } })),
    sse('content_block_delta', JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: input } })),
    sse('content_block_stop', JSON.stringify({ type: 'content_block_stop', index: 0 })),
    sse('message_delta', JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 1 } })),
    sse('message_stop', JSON.stringify({ type: 'message_stop' })),
  ].join('');
}

/** An OpenAI chat stream with one tool call whose arguments are `args`. */
function chatToolStream(args: string): string {
  const chunk = (delta: object, finish: string | null) => sse(undefined, JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'hostile', choices: [{ index: 0, delta, finish_reason: finish }] }));
  return chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: args } }] }, null) + chunk({}, 'tool_calls') + 'data: [DONE]\n\n';
}

describe('gateway: a hostile backend cannot turn failover off or grow the gateway (real servers, both SDKs)', () => {
  const h = new GatewayHarness();
  const hostiles: HostileBackend[] = [];
  afterEach(async () => {
    await h.close();
    for (const hostile of hostiles.splice(0)) await hostile.close();
  });

  async function setUp(answer: Answer, api: 'anthropic' | 'openai') {
    const hostile = new HostileBackend(answer);
    hostiles.push(hostile);
    const url = await hostile.start();
    const fallback = await h.backend();
    const primary =
      api === 'anthropic'
        ? `    provider: anthropic\n    base_url: ${url}\n    api_key: hostile-key-0001`
        : `    provider: custom\n    base_url: ${url}/v1\n    api_mode: chat_completions\n    api_key: hostile-key-0001`;
    const gateway = await h.gateway(
      `
routes:
  - match: "*"
    model: hostile-model
${primary}
    fallback_providers:
      - { provider: custom, model: fallback-model, base_url: ${fallback.url}/v1, api_mode: chat_completions }
gateway:
  first_token_timeout_ms: 600000
  idle_timeout_ms: 600000
`,
      { virtualClock: true, activeProbes: false },
    );
    return { hostile, fallback, gateway, openai: h.openai(gateway), anthropic: h.anthropic(gateway) };
  }

  /** Both SDKs, JSON and streaming: every request answered by the fallback. */
  async function expectFallbackAnswers(setup: Awaited<ReturnType<typeof setUp>>, fallback: Backend): Promise<void> {
    fallback.fake.setFallback({ type: 'reply', text: 'the fallback answered' });
    const json = await setup.openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(json.choices[0]?.message.content).toBe('the fallback answered');
    expect(json.model).toBe('fallback-model');
    let streamed = '';
    const events = await setup.anthropic.messages.create({ model: 'm', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const event of events) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') streamed += event.delta.text;
    expect(streamed).toBe('the fallback answered');
  }

  it.each([
    ['an OpenAI 500 error body', 'openai', json(500, `{"error":{"message":${deepArray(30_000)}}}`)],
    ['an Anthropic 529 error body', 'anthropic', json(529, `{"type":"error","error":{"type":"overloaded_error","message":${deepArray(30_000)}}}`)],
    ['an OpenAI in-stream error', 'openai', stream(sse(undefined, `{"error":${deep(100_000)}}`))],
    ['an Anthropic error event', 'anthropic', stream(sse('error', `{"type":"error","error":${deep(100_000)}}`))],
  ] as const)('%s nested 30,000-100,000 levels deep: the fallback answers (it was a 500 "Maximum call stack size exceeded", charged to nobody)', async (_, api, answer) => {
    const setup = await setUp(answer, api);
    await expectFallbackAnswers(setup, setup.fallback);
    // The backend's answer was malformed: charged to it, so the next requests skip it.
    const health = (await (await fetch(`${setup.gateway.url}/health`)).json()) as { backends: { key: string; lastFailure: { kind: string; reason: string } | null }[] };
    expect(health.backends.map((b) => b.lastFailure)).toContainEqual(expect.objectContaining({ kind: 'backend_fault', reason: 'malformed_body' }));
  });

  it('a 400 whose error body nests 100,000 levels deep is still the provider refusing the request: 400 to the client, nothing charged', async () => {
    const setup = await setUp(json(400, `{"error":{"message":${deep(100_000)}}}`), 'openai');
    const response = await rawRequest(setup.gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: chatBody() });
    expect(response.status).toBe(400);
    expect(response.text).toContain('the backend refused the request');
    expect(response.text.length).toBeLessThan(2_000);
    expect(setup.fallback.count()).toBe(0);
  });

  it.each([
    ['OpenAI tool-call arguments', 'openai', stream(chatToolStream(deep(100_000)))],
    ['Anthropic streamed tool input', 'anthropic', stream(anthropicToolStream(deep(100_000)))],
  ] as const)('%s nested 100,000 levels deep: a malformed answer, and the fallback answers (it was a 500 sent with status 200)', async (_, api, answer) => {
    const setup = await setUp(answer, api);
    await expectFallbackAnswers(setup, setup.fallback);
    const health = (await (await fetch(`${setup.gateway.url}/health`)).json()) as { backends: { lastFailure: { kind: string; reason: string; message: string } | null }[] };
    const failure = health.backends.map((b) => b.lastFailure).find((f) => f !== null);
    expect(failure).toMatchObject({ kind: 'backend_fault', reason: 'malformed_tool_input' });
    expect(failure?.message).toContain('nested deeper than 128 levels');
  });

  it('an error body of 64 MiB is not read: the gateway closes it after the first 64 KiB, and the fallback answers', async () => {
    const setup = await setUp((res) => writeLong('', 'e', 64 * 1024 * 1024)(res.writeHead(500, { 'content-type': 'text/plain' })), 'openai');
    await expectFallbackAnswers(setup, setup.fallback);
    // Each attempt's response was cut by the gateway, not written to the end.
    expect(setup.hostile.endings.length).toBeGreaterThan(0);
    expect(setup.hostile.endings.every((ending) => ending === 'cut')).toBe(true);
  });

  it('a stream event that never ends (64 MiB without a blank line) is refused at 8 Mi characters: malformed_stream, and the fallback answers', async () => {
    const setup = await setUp((res) => writeLong('data: {"choices":[{"delta":{"content":"', 'a', 64 * 1024 * 1024)(res.writeHead(200, { 'content-type': 'text/event-stream' })), 'openai');
    await expectFallbackAnswers(setup, setup.fallback);
    expect(setup.hostile.endings.every((ending) => ending === 'cut')).toBe(true);
    const health = (await (await fetch(`${setup.gateway.url}/health`)).json()) as { backends: { lastFailure: { kind: string; reason: string } | null }[] };
    expect(health.backends.map((b) => b.lastFailure)).toContainEqual(expect.objectContaining({ kind: 'backend_fault', reason: 'malformed_stream' }));
  });

  it('a well-formed stream that never stops sending content is cut at 64 MiB (oversized_answer): the fallback answers, the gateway holds no more', async () => {
    const event = sse(undefined, JSON.stringify({ choices: [{ index: 0, delta: { content: 'a'.repeat(60_000) } }] }));
    // Up to 256 MiB of valid events, as fast as the gateway reads them.
    const endless: Answer = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = Buffer.from(event.repeat(4));
      for (let sent = 0; sent < 256 * 1024 * 1024 && !res.destroyed; sent += chunk.length) {
        if (!res.write(chunk)) await new Promise<void>((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
      }
      res.end();
    };
    const setup = await setUp(endless, 'openai');
    setup.fallback.fake.setFallback({ type: 'reply', text: 'the fallback answered' });
    const answer = await setup.openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]?.message.content).toBe('the fallback answered');
    expect(setup.hostile.endings).toEqual(['cut']);
    const health = (await (await fetch(`${setup.gateway.url}/health`)).json()) as { backends: { lastFailure: { kind: string; reason: string; message: string } | null }[] };
    const failure = health.backends.map((b) => b.lastFailure).find((f) => f !== null);
    expect(failure).toMatchObject({ kind: 'backend_fault', reason: 'oversized_answer' });
    expect(failure?.message).toContain('more than 67108864 bytes');
  });

  it('an answer the gateway cannot write is a 500 with that status on the wire and in /metrics, never a 200 with an error body', async () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const answered: NeutralResponse = { text: '', toolCalls: [{ id: 'call_1', name: 'read_file', input: circular }], stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 1 }, model: 'm', servedBy: 'primary' };
    const transport: Transport = { call: async () => ({ ok: true, response: answered }) };
    const fallback = await h.backend();
    const gateway = await h.gateway(`model: m\nprovider: custom\nbase_url: ${fallback.url}/v1\napi_mode: chat_completions\n`, { transport, activeProbes: false, log: () => undefined });
    const response = await rawRequest(gateway.url, { method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: chatBody() });
    expect(response.status).toBe(500);
    expect(response.json()).toMatchObject({ error: { message: expect.stringMatching(/^internal error \(id err_/) } });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('llm_gateway_requests_total{protocol="openai",status="500",outcome="error"} 1');
    expect(metrics).not.toContain('status="200"');
  });
});
