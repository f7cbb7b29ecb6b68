import { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import { APIError as OpenAIAPIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeFault } from '../../src/testing/index.js';
import { GatewayHarness } from './harness.js';

const ask = [{ role: 'user' as const, content: 'hello' }];

/** One route, one backend of the given API, no fallback. */
const route = (url: string, api: 'openai' | 'anthropic') =>
  api === 'openai'
    ? `routes:\n  - match: "*"\n    model: m\n    provider: custom\n    base_url: ${url}/v1\n    api_mode: chat_completions\n`
    : `routes:\n  - match: "*"\n    model: m\n    provider: anthropic\n    base_url: ${url}\n    api_key: k\n`;

describe('gateway: what it reports matches the wire', () => {
  const h = new GatewayHarness();
  afterEach(() => h.close());

  it('a 200 stream that ended with an in-band error is counted as status 200, outcome stream_error (not 502); the provider\'s code reaches the client', async () => {
    const fault: FakeFault = { type: 'streamError', errorType: 'server_error', message: 'the upstream broke', code: 'upstream_broke', afterEvents: 3 };
    const backend = await h.backend(fault);
    const gateway = await h.gateway(route(backend.url, 'openai'));
    const stream = await h.openai(gateway).chat.completions.create({ model: 'm', messages: ask, stream: true });
    const received: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(received.join('')).not.toBe('');
    expect(error).toBeInstanceOf(OpenAIAPIError);
    expect((error as OpenAIAPIError).code).toBe('upstream_broke');
    const anthropicStream = h.anthropic(gateway).messages.stream({ model: 'm', max_tokens: 20, messages: ask });
    const anthropicError = await anthropicStream.finalMessage().catch((e: unknown) => e);
    expect(anthropicError).toBeInstanceOf(AnthropicAPIError);
    expect((anthropicError as AnthropicAPIError).errorCode).toBe('upstream_broke');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('llm_gateway_requests_total{protocol="openai",status="200",outcome="stream_error"} 1');
    expect(metrics).toContain('llm_gateway_requests_total{protocol="anthropic",status="200",outcome="stream_error"} 1');
    expect(metrics).not.toMatch(/llm_gateway_requests_total\{[^}]*status="5\d\d"/);
  });

  for (const api of ['openai', 'anthropic'] as const) {
    it(`a provider's content_policy_violation (${api === 'openai' ? 'OpenAI error.code' : 'Anthropic error.details.error_code'}) reaches both SDK clients unchanged`, async () => {
      const backend = await h.backend({ type: 'apiError', status: 400, errorType: 'invalid_request_error', message: 'Your request was rejected by the safety system.', code: 'content_policy_violation' });
      const gateway = await h.gateway(route(backend.url, api));
      const openaiError = await h.openai(gateway).chat.completions.create({ model: 'm', messages: ask }).catch((e: unknown) => e);
      expect(openaiError).toBeInstanceOf(OpenAIAPIError);
      expect(openaiError).toMatchObject({ status: 400, code: 'content_policy_violation', type: 'invalid_request_error' });
      const anthropicError = await h.anthropic(gateway).messages.create({ model: 'm', max_tokens: 20, messages: ask }).catch((e: unknown) => e);
      expect(anthropicError).toBeInstanceOf(AnthropicAPIError);
      expect(anthropicError).toMatchObject({ status: 400, errorCode: 'content_policy_violation', type: 'invalid_request_error' });
      expect(String((anthropicError as Error).message)).toContain('rejected by the safety system');
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toContain('llm_gateway_requests_total{protocol="openai",status="400",outcome="error"} 1');
    });
  }

  it('an internal error answers 500 with an id and no file path or stack; the detail goes to the gateway\'s log under that id', async () => {
    const lines: string[] = [];
    const secret = '/var/lib/secret-place/health.jsonl';
    const gateway = await h.gateway(route('http://127.0.0.1:9', 'openai'), {
      log: (line) => lines.push(line),
      transport: {
        call: async () => {
          throw new Error(`EROFS: read-only file system, open '${secret}'`);
        },
      },
    });
    for (const [path, body] of [
      ['/v1/chat/completions', { model: 'm', messages: ask }],
      ['/v1/messages', { model: 'm', max_tokens: 5, messages: ask }],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain(secret);
      expect(text).not.toContain('EROFS');
      expect(text).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
      const id = /internal error \(id (err_[0-9a-f]+)\)/.exec(text)?.[1];
      expect(id, text).toBeDefined();
      const logged = lines.find((l) => l.includes(id!));
      expect(logged).toContain(secret);
      expect(logged).toMatch(/\n\s+at /);
    }
    // The catch-all of the server: a failure outside a completion (here: reading the health) is answered the same way.
    (gateway.registry as unknown as { snapshot: () => never }).snapshot = () => {
      throw new Error(`EACCES: permission denied, open '${secret}'`);
    };
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(500);
    const text = await health.text();
    expect(text).not.toContain(secret);
    expect(text).toMatch(/internal error \(id err_[0-9a-f]+\)/);
    expect(lines.at(-1)).toContain(secret);
  });
});
