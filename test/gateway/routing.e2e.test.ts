import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { facadeRoute, GatewayHarness } from './harness.js';

const ask = (text: string) => [{ role: 'user' as const, content: text }];

describe('gateway: routing by health, real clients (openai and @anthropic-ai/sdk) against local backends', () => {
  const h = new GatewayHarness();
  afterEach(() => h.close());

  it('an OpenAI client asking for claude-*: the crashed facade fails over to the fallback, which is reported as the model and usage; the next request sends the facade nothing', async () => {
    const facade = await h.backend(faults.crash());
    const fallback = await h.backend({ type: 'reply', text: 'from the fallback', usage: { inputTokens: 11, outputTokens: 7 } });
    const gateway = await h.gateway(facadeRoute(facade.url, fallback.url));
    const client = h.openai(gateway);

    const first = await client.chat.completions.create({ model: 'claude-sonnet-4-6', messages: ask('hello') });
    expect(first.choices[0]?.message.content).toBe('from the fallback');
    expect(first.model).toBe('qwen3:32b');
    expect(first.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7 });
    expect(facade.count()).toBe(1);
    expect(facade.fake.requests[0]?.path).toBe('/v1/messages');
    expect(fallback.fake.requests[0]?.path).toBe('/v1/chat/completions');

    const second = await client.chat.completions.create({ model: 'claude-sonnet-4-6', messages: ask('again') });
    expect(second.choices[0]?.message.content).toBe('from the fallback');
    expect(facade.count()).toBe(1);
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as { backends: { key: string; status: string }[] };
    expect(health.backends.find((b) => b.key.startsWith('anthropic|anthropic_messages|'))?.status).toBe('cooldown');
  });

  it('an Anthropic client served by an OpenAI-compatible backend: protocol translated both ways, tools and system prompt included', async () => {
    const backend = await h.backend({ type: 'reply', text: 'calling a tool', toolCalls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] });
    const gateway = await h.gateway(`
routes:
  - match: "*"
    model: qwen3:32b
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
`);
    const message = await h.anthropic(gateway).messages.create({
      model: 'anything',
      max_tokens: 200,
      system: 'be brief',
      tools: [{ name: 'get_weather', description: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      messages: [{ role: 'user', content: 'weather in Paris?' }],
    });
    expect(message.content).toEqual([
      { type: 'text', text: 'calling a tool' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.model).toBe('qwen3:32b');
    const sent = backend.fake.requests[0]!.body as { messages: { role: string; content: unknown }[]; tools: { function: { name: string } }[] };
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'be brief' });
    expect(sent.tools[0]?.function.name).toBe('get_weather');
  });

  it('a context-length 400 reaches the client with the provider\'s reason, is not retried and penalizes nothing', async () => {
    const facade = await h.backend(faults.contextLength());
    const fallback = await h.backend(faults.ok('never'));
    // The fallback declares a smaller window, so nothing in the chain can take the request.
    const gateway = await h.gateway(
      facadeRoute(facade.url, fallback.url).replace('    api_key: facade-key', '    api_key: facade-key\n    context_window: 200000').replace('        api_mode: chat_completions', '        api_mode: chat_completions\n        context_window: 32000'),
    );
    const error = await h.anthropic(gateway).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'a very long prompt' }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(String((error as Error).message)).toContain('prompt is too long');
    expect(facade.count()).toBe(1);
    expect(fallback.count()).toBe(0);
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as { backends: { key: string; status: string }[] };
    expect(health.backends.every((b) => b.status === 'healthy')).toBe(true);
  });

  it('a long retry-after fails over at once; a short one is waited out on the same backend', async () => {
    const facade = await h.backend();
    const fallback = await h.backend(faults.ok('from the fallback'));
    facade.fake.enqueue({ type: 'apiError', status: 429, errorType: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '1' } });
    const gateway = await h.gateway(facadeRoute(facade.url, fallback.url));
    const client = h.openai(gateway);
    const short = await client.chat.completions.create({ model: 'claude-sonnet-4-6', messages: ask('one') });
    expect(short.choices[0]?.message.content).not.toBe('from the fallback');
    expect(facade.count()).toBe(2);
    expect(fallback.count()).toBe(0);
    facade.fake.enqueue({ type: 'apiError', status: 429, errorType: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '120' } });
    const long = await client.chat.completions.create({ model: 'claude-sonnet-4-6', messages: ask('two') });
    expect(long.choices[0]?.message.content).toBe('from the fallback');
    expect(facade.count()).toBe(3);
  });

  it('bad requests get a 400 / 401 / 404 / 413 in the client\'s protocol, and the gateway keeps serving', async () => {
    const backend = await h.backend(faults.ok('fine'));
    const gateway = await h.gateway(`${facadeRoute(backend.url, backend.url)}
gateway:
  auth_tokens: [secret-token-1]
  max_body_bytes: 2048
`);
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${gateway.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token-1', ...headers } });
    const unauthorized = await post('/v1/chat/completions', '{}', { authorization: 'Bearer wrong' });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ error: { message: expect.stringContaining('gateway token') } });
    const notJson = await post('/v1/messages', '{"model":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('not JSON') } });
    const noMessages = await post('/v1/chat/completions', JSON.stringify({ model: 'claude-x' }));
    expect(noMessages.status).toBe(400);
    expect(JSON.stringify(await noMessages.json())).toContain('messages');
    const unknownModel = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', messages: ask('hi') }));
    expect(unknownModel.status).toBe(404);
    expect(JSON.stringify(await unknownModel.json())).toContain('no route for model \\"gpt-4o\\"');
    const tooLarge = await post('/v1/messages', JSON.stringify({ model: 'claude-x', max_tokens: 5, messages: ask('x'.repeat(5000)) }));
    expect(tooLarge.status).toBe(413);
    expect(backend.count()).toBe(0);
    const ok = await h.openai(gateway, 'secret-token-1').chat.completions.create({ model: 'claude-sonnet-4-6', messages: ask('still there?') });
    expect(ok.choices[0]?.message.content).toBe('fine');
  });

  it('GET /v1/models lists the named routes; /metrics counts requests, failures by kind and backend states', async () => {
    const facade = await h.backend(faults.crash());
    const fallback = await h.backend(faults.ok('ok'));
    const gateway = await h.gateway(facadeRoute(facade.url, fallback.url).replace('match: "claude-*"', 'match: "claude-sonnet-4-6"'));
    await h.openai(gateway).chat.completions.create({ model: 'claude-sonnet-4-6', messages: ask('hi') });
    const models = (await (await fetch(`${gateway.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['claude-sonnet-4-6']);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('llm_gateway_requests_total{protocol="openai",status="200",outcome="ok"} 1');
    expect(metrics).toMatch(/llm_gateway_backend_failures_total\{backend="anthropic\|anthropic_messages\|http:\/\/127\.0\.0\.1:\d+",kind="crash"\} 1/);
    expect(metrics).toMatch(/llm_gateway_backend_state\{backend="anthropic\|anthropic_messages\|http:\/\/127\.0\.0\.1:\d+",state="cooldown"\} 1/);
    expect(metrics).toContain('llm_gateway_served_total{entry="fallback_providers[0]",role="fallback"} 1');
    expect(metrics).toMatch(/llm_gateway_request_duration_seconds_count\{protocol="openai"\} 1/);
  });

  it('a pass_model route asked for a name that cannot be a model answers 400 in the client\'s protocol', async () => {
    const backend = await h.backend(faults.ok('fine'));
    const gateway = await h.gateway(`
routes:
  - match: "*"
    pass_model: true
    provider: custom
    base_url: ${backend.url}/v1
    api_mode: chat_completions
`);
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'a|b', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('model "a|b" cannot be routed') } });
    expect(backend.count()).toBe(0);
  });
});

