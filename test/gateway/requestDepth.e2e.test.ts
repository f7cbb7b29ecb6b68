/**
 * Issue 10, item 2, at the gateway: a client cannot put backends into cooldown with a request
 * that never leaves the gateway. Before the fix, two requests whose tool schema nested 5,000
 * deep overflowed the SDK's `JSON.stringify`, were charged to every backend of the chain, and
 * every later client got 503; bodies 100k–1M deep got a 500 "Maximum call stack size exceeded".
 *
 * The clients are the real `openai` and `@anthropic-ai/sdk` SDKs. A body nested 5,000 deep
 * cannot be serialized by any JavaScript client (that is the bug), so it is sent as raw bytes
 * through the SDK's own `post()` — what curl or a Python client would send — and the SDK reads
 * the gateway's answer as it reads any error.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/classifyError.js';
import type { RunningGateway } from '../../src/index.js';
import { sdkTransport, type Transport } from '../../src/transports/index.js';
import { facadeRoute, GatewayHarness } from './harness.js';

const MODEL = 'claude-sonnet-4-6';
const JSON_HEADERS = { 'content-type': 'application/json' };

/** An OpenAI chat body whose one tool's parameters nest `levels` properties deep (compact: about 6 bytes a level). */
function deepOpenAiBody(levels: number): string {
  return `{"model":"${MODEL}","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"t","parameters":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}]}`;
}
/** The same for Anthropic Messages (`tools[].input_schema`). */
function deepAnthropicBody(levels: number): string {
  return `{"model":"${MODEL}","max_tokens":64,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"t","input_schema":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}]}`;
}
/** A message content nested `levels` arrays deep. */
function deepArrayBody(levels: number, anthropic: boolean): string {
  return `{"model":"${MODEL}",${anthropic ? '"max_tokens":64,' : ''}"messages":[{"role":"user","content":${'['.repeat(levels)}${']'.repeat(levels)}}]}`;
}

async function thrown(promise: Promise<unknown>): Promise<{ status?: number; message: string; error?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: number; message: string; error?: unknown };
  }
  throw new Error('expected the request to fail');
}

async function healthOf(gateway: RunningGateway): Promise<{ backends: { key: string; status: string }[] }> {
  return (await (await fetch(`${gateway.url}/health`)).json()) as { backends: { key: string; status: string }[] };
}

describe('gateway: requests nested too deep are refused before routing, and charge nobody', () => {
  const h = new GatewayHarness();
  afterEach(() => h.close());

  async function setUp(options: { transport?: Transport } = {}) {
    const primary = await h.backend();
    const fallback = await h.backend();
    const gateway = await h.gateway(facadeRoute(primary.url, fallback.url), { virtualClock: true, activeProbes: false, ...options });
    return { primary, fallback, gateway, openai: h.openai(gateway), anthropic: h.anthropic(gateway) };
  }

  it('two 5,000-deep tool schemas get 400 naming the field; the next request is a 200 from the primary, not a 503', async () => {
    const { primary, fallback, gateway, openai, anthropic } = await setUp();
    const fromOpenAi = await thrown(openai.post('/chat/completions', { body: Buffer.from(deepOpenAiBody(5_000)), headers: JSON_HEADERS }));
    expect(fromOpenAi).toBeInstanceOf(OpenAI.BadRequestError);
    expect(fromOpenAi.status).toBe(400);
    expect(fromOpenAi.error).toEqual({
      message: 'tools[0].function.parameters.a.a.a.a…: nested deeper than 128 levels of objects and arrays; the gateway refuses JSON nested that deep',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    const fromAnthropic = await thrown(anthropic.post('/v1/messages', { body: Buffer.from(deepAnthropicBody(5_000)), headers: JSON_HEADERS }));
    expect(fromAnthropic).toBeInstanceOf(Anthropic.BadRequestError);
    expect(fromAnthropic.error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'tools[0].input_schema.a.a.a.a.a…: nested deeper than 128 levels of objects and arrays; the gateway refuses JSON nested that deep' },
    });
    expect([primary.count(), fallback.count()]).toEqual([0, 0]);
    expect((await gateway.registry.journal.load()).facts).toEqual([]);

    const reply = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hello' }] });
    expect(reply.choices[0]?.message.content).toBe('Hello from the fake.');
    expect([primary.count(), fallback.count()]).toEqual([1, 0]);
    const message = await anthropic.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the fake.' }]);
    expect([primary.count(), fallback.count()]).toEqual([2, 0]);

    expect((await gateway.registry.journal.load()).facts).toEqual([]);
    const health = await healthOf(gateway);
    expect(health.backends.every((b) => b.status === 'healthy')).toBe(true);
    for (const key of gateway.registry.all().map((b) => b.key)) expect(gateway.registry.routability(key).routable).toBe(true);
  });

  for (const levels of [100_000, 1_000_000]) {
    it(`bodies ${levels.toLocaleString('en-US')} levels deep (objects and arrays, both protocols) get 400; the gateway goes on serving`, async () => {
      const { primary, fallback, gateway, openai } = await setUp();
      const cases = [
        { path: '/v1/chat/completions', body: deepOpenAiBody(levels), field: 'tools[0].function.parameters.a.a.a.a…', shape: 'openai' },
        { path: '/v1/chat/completions', body: deepArrayBody(levels, false), field: 'messages[0].content[0][0][0][0][0]…', shape: 'openai' },
        { path: '/v1/messages', body: deepAnthropicBody(levels), field: 'tools[0].input_schema.a.a.a.a.a…', shape: 'anthropic' },
        { path: '/v1/messages', body: deepArrayBody(levels, true), field: 'messages[0].content[0][0][0][0][0]…', shape: 'anthropic' },
      ] as const;
      for (const c of cases) {
        const response = await fetch(`${gateway.url}${c.path}`, { method: 'POST', headers: JSON_HEADERS, body: c.body });
        expect(response.status, c.path).toBe(400);
        const body = (await response.json()) as Record<string, { message: string; type: string }>;
        const error = c.shape === 'openai' ? body['error']! : (expect(body['type']).toBe('error'), body['error']!);
        expect(error.type).toBe('invalid_request_error');
        expect(error.message).toBe(`${c.field}: nested deeper than 128 levels of objects and arrays; the gateway refuses JSON nested that deep`);
      }
      expect([primary.count(), fallback.count()]).toEqual([0, 0]);
      expect((await gateway.registry.journal.load()).facts).toEqual([]);
      const reply = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'still there?' }] });
      expect(reply.choices[0]?.message.content).toBe('Hello from the fake.');
      expect([primary.count(), fallback.count()]).toEqual([1, 0]);
    });
  }

  it('tool-call arguments that encode JSON 5,000 deep (inside a string, out of the body scan\'s sight) get 400 naming the field the client sent', async () => {
    const { primary, fallback, gateway, openai } = await setUp();
    const args = JSON.stringify(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`);
    const body = `{"model":"${MODEL}","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"t","arguments":${args}}}]},{"role":"tool","tool_call_id":"call_1","content":"ok"}]}`;
    const refused = await thrown(openai.post('/chat/completions', { body: Buffer.from(body), headers: JSON_HEADERS }));
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    const message = (refused.error as { message: string }).message;
    // It used to name the router's neutral field (messages[1].content[0].input.a.a…), which no client sent.
    expect(message).toMatch(/^messages\[1\]\.tool_calls\[0\]\.function\.arguments: expected a JSON object nested at most 128 levels of objects and arrays deep, got /);
    expect(message.length).toBeLessThan(1_000);
    expect([primary.count(), fallback.count()]).toEqual([0, 0]);
    expect((await gateway.registry.journal.load()).facts).toEqual([]);
  });

  it('a request nested as deep as real tool schemas (30 properties) is served', async () => {
    const { primary, openai } = await setUp();
    let parameters: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 30; i++) parameters = { type: 'object', properties: { a: parameters } };
    const reply = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'nested', parameters } }] });
    expect(reply.choices[0]?.message.content).toBe('Hello from the fake.');
    expect((primary.fake.requests[0]?.body as { tools: { input_schema: unknown }[] }).tools[0]!.input_schema).toEqual(parameters);
  });

  it("a body over the router's size limit (when gateway.max_body_bytes allows one) gets 400 naming the field, not a 500", async () => {
    const primary = await h.backend();
    const fallback = await h.backend();
    const gateway = await h.gateway(`${facadeRoute(primary.url, fallback.url)}gateway:\n  max_body_bytes: 67108864\n`, { virtualClock: true, activeProbes: false });
    const error = await thrown(h.openai(gateway).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'z'.repeat(34_000_000) }] }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toMatch(/^400 the request is at least 34,000,\d{3} characters of JSON, more than 33,554,432 \(limits.maxRequestChars\); its largest field is messages\[0\]\.content\[0\]\.text \(34,000,000 characters\)$/);
    expect([primary.count(), fallback.count()]).toEqual([0, 0]);
    expect((await gateway.registry.journal.load()).facts).toEqual([]);
  });

  describe('a failure inside the gateway answers 500 without a file path, and charges nobody', () => {
    const bug = () => new TypeError("Cannot read properties of undefined (reading 'x') at /srv/llm-gateway/node_modules/some-sdk/client.mjs:12:3");

    for (const how of ['thrown by the transport', 'returned as a classified failure'] as const) {
      it(`a TypeError ${how}`, async () => {
        const real = sdkTransport();
        let broken = true;
        const transport: Transport = {
          async call(entry, request, options) {
            if (!broken) return real.call(entry, request, options);
            const error = bug();
            if (how === 'thrown by the transport') throw error;
            return { ok: false, failure: classifyError(error), error };
          },
        };
        const { primary, fallback, gateway, openai, anthropic } = await setUp({ transport });
        for (const stream of [false, true]) {
          const fromOpenAi = await thrown(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream }));
          expect(fromOpenAi).toBeInstanceOf(OpenAI.InternalServerError);
          // Thrown past the router it is the gateway's internal error: an id to find it in the log,
          // no detail; returned as a local failure its message is shown with the path taken out.
          if (how === 'thrown by the transport') expect(fromOpenAi.message).toMatch(/^500 internal error \(id err_[0-9a-f]+\)/);
          else expect(fromOpenAi.message).toContain("Cannot read properties of undefined (reading 'x') at <path>");
          expect(fromOpenAi.message).not.toMatch(/\/srv|node_modules|client\.mjs/);
        }
        const fromAnthropic = await thrown(anthropic.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }));
        expect(fromAnthropic).toBeInstanceOf(Anthropic.InternalServerError);
        expect(fromAnthropic.message).not.toMatch(/\/srv|node_modules|client\.mjs/);
        expect([primary.count(), fallback.count()]).toEqual([0, 0]);
        expect((await gateway.registry.journal.load()).facts).toEqual([]);
        broken = false;
        const reply = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hello' }] });
        expect(reply.choices[0]?.message.content).toBe('Hello from the fake.');
        expect([primary.count(), fallback.count()]).toEqual([1, 0]);
      });
    }
  });
});
