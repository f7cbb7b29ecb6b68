import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { advance, until, useVirtualTimers } from '../support/virtualTimers.js';
import { GatewayHarness } from './harness.js';

/** A route with an OpenAI-compatible primary and the given fallback. */
const route = (primaryUrl: string, fallback: string, gateway = '') => `
routes:
  - match: "*"
    model: qwen3:32b
    provider: custom
    base_url: ${primaryUrl}/v1
    api_mode: chat_completions
    fallback_providers:
${fallback}
gateway:
  first_token_timeout_ms: 400
  idle_timeout_ms: 400
${gateway}`;
const anthropicFallback = (url: string) => `      - provider: anthropic
        model: claude-sonnet-4-6
        base_url: ${url}
        api_key: k`;
const chatFallback = (url: string) => `      - provider: custom
        model: llama3
        base_url: ${url}/v1
        api_mode: chat_completions`;

describe('gateway streaming: passed through as it arrives, fail-over before the first byte, continuation after it', () => {
  const h = new GatewayHarness();
  afterEach(() => h.close());
  // The per-attempt deadlines run on virtual timers (test/support/virtualTimers.ts): no healthy
  // backend can be cut by them however slow the machine, and a test that wants one to fire waits
  // until the request is where it wants it, then moves the time itself. The request's overall
  // deadline (`AbortSignal.timeout`) stays on real time.
  useVirtualTimers();

  it('an OpenAI stream from an Anthropic backend arrives delta by delta, with the serving model and its usage at the end', async () => {
    const primary = await h.backend({ type: 'reply', textChunks: ['Hel', 'lo ', 'world'], usage: { inputTokens: 9, outputTokens: 3 } });
    const gateway = await h.gateway(`
routes:
  - match: "*"
    model: claude-sonnet-4-6
    provider: anthropic
    base_url: ${primary.url}
    api_key: k
`);
    const stream = await h.openai(gateway).chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    let usage: unknown;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas).toEqual(['Hel', 'lo ', 'world']);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3 });
    expect(primary.fake.requests[0]).toMatchObject({ path: '/v1/messages', stream: true });
  });

  it('a primary silent past the first-token timeout is failed over before anything reached the client', async () => {
    const primary = await h.backend({ type: 'reply', text: 'too late', delayBeforeFirstTokenMs: 3_000 });
    const fallback = await h.backend({ type: 'reply', textChunks: ['from ', 'the fallback'] });
    const gateway = await h.gateway(route(primary.url, chatFallback(fallback.url)));
    const stream = h.anthropic(gateway).messages.stream({ model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const answer = stream.finalMessage();
    await until('the primary to receive the request', () => primary.count() === 1);
    advance(400); // the first-token timeout
    const message = await answer;
    expect(message.content).toEqual([{ type: 'text', text: 'from the fallback' }]);
    expect(message.model).toBe('llama3');
    expect(primary.count()).toBe(1);
  });

  it('cut mid-stream: an Anthropic fallback continues from the partial answer (sent as a prefill) into the same client stream', async () => {
    const primary = await h.backend({ type: 'cutStream', afterEvents: 3 });
    primary.fake.setFallback({ type: 'cutStream', afterEvents: 3 });
    const fallback = await h.backend({ type: 'reply', textChunks: [' and the rest.'] });
    const gateway = await h.gateway(route(primary.url, anthropicFallback(fallback.url)));
    const stream = await h.openai(gateway).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'tell me' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    const prefill = (fallback.fake.requests[0]!.body as { messages: { role: string; content: unknown }[] }).messages.at(-1);
    expect(prefill?.role).toBe('assistant');
    const partial = JSON.stringify(prefill?.content);
    expect(text.endsWith(' and the rest.')).toBe(true);
    expect(partial).toContain(text.slice(0, text.length - ' and the rest.'.length));
    expect(text.length).toBeGreaterThan(' and the rest.'.length);
  });

  it('cut mid-stream with no fallback that can continue: the client\'s stream ends with an error naming the original failure, never a truncated answer', async () => {
    const primary = await h.backend({ type: 'cutStream', afterEvents: 3 });
    const fallback = await h.backend(faults.ok('never'));
    const gateway = await h.gateway(route(primary.url, chatFallback(fallback.url)));
    const stream = h.anthropic(gateway).messages.stream({ model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'tell me' }] });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/the answer was cut by .*(econnreset|terminated|truncated|socket|stream)/i);
    expect(String((error as Error).message)).toContain('no fallback could continue it');
    expect(fallback.count()).toBe(0);
  });

  it('a fallback that rejects the prefill: the error names the original failure first, not the rejection', async () => {
    const primary = await h.backend({ type: 'cutStream', afterEvents: 3 });
    primary.fake.setFallback({ type: 'cutStream', afterEvents: 3 });
    const fallback = await h.backend({ type: 'apiError', status: 400, errorType: 'invalid_request_error', message: 'assistant prefill is not supported for this model' });
    const gateway = await h.gateway(route(primary.url, anthropicFallback(fallback.url)));
    const stream = await h.openai(gateway).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'tell me' }], stream: true });
    const error = await (async () => {
      for await (const chunk of stream) void chunk;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = String((error as Error).message);
    expect(message).toMatch(/^.*the answer was cut by backend_fault \(stream_cut\)/);
    expect(message.indexOf('stream_cut')).toBeLessThan(message.indexOf('prefill is not supported'));
    expect(fallback.count()).toBe(1);
  });

  it('a client asking for one JSON answer is protected by the same first-token timeout (the backend is always streamed)', async () => {
    const primary = await h.backend({ type: 'reply', text: 'too late', delayBeforeFirstTokenMs: 3_000 });
    const fallback = await h.backend(faults.ok('from the fallback'));
    const gateway = await h.gateway(route(primary.url, chatFallback(fallback.url)));
    const answer = h.openai(gateway).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await until('the primary to receive the request', () => primary.count() === 1);
    advance(400); // the first-token timeout
    const reply = await answer;
    // Asked for JSON, the primary would have answered "too late" after 3 s; streamed, it is cut at 400 ms.
    expect(reply.choices[0]?.message.content).toBe('from the fallback');
    expect(reply.model).toBe('llama3');
    expect(primary.fake.requests[0]?.stream).toBe(true);
  });

  it('a stream that stalls after its first tokens is cut at the idle timeout and continued by an Anthropic fallback', async () => {
    const primary = await h.backend({ type: 'reply', textChunks: ['The answer ', 'is'], pauseAfterFirstTokenMs: 5_000 });
    const fallback = await h.backend({ type: 'reply', textChunks: [' 42.'] });
    const gateway = await h.gateway(route(primary.url, anthropicFallback(fallback.url)));
    const stream = await h.openai(gateway).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'what is it?' }], stream: true });
    let text = '';
    const reading = (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })();
    await until('the first tokens at the client', () => text === 'The answer ');
    advance(400); // the idle timeout, counted from the primary's last event
    await reading;
    // The prefill goes out trimmed (Anthropic refuses trailing whitespace); the client's text reads on.
    expect(text).toBe('The answer 42.');
    const prefill = (fallback.fake.requests[0]!.body as { messages: { role: string; content: unknown }[] }).messages.at(-1);
    expect(prefill).toMatchObject({ role: 'assistant' });
    expect(JSON.stringify(prefill?.content)).toContain('"The answer"');
  });

  it('every request has an overall deadline: backends that hang get the client a 504 in its protocol, not a hang', async () => {
    const primary = await h.backend(faults.hang());
    const fallback = await h.backend(faults.hang());
    // Every per-attempt timer is longer than the request's own deadline of 1 s.
    const gateway = await h.gateway(
      route(primary.url, chatFallback(fallback.url), '  request_timeout_ms: 1000').replace('first_token_timeout_ms: 400', 'first_token_timeout_ms: 30000').replace('idle_timeout_ms: 400', 'idle_timeout_ms: 30000'),
    );
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ type: 'error', error: { message: expect.stringContaining('ran out of time') } });
  });
});

