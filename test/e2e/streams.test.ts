import { afterEach, describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/index.js';
import { faults, type FakeFault, type WireApi } from '../../src/testing/index.js';
import { ask, CHAT, E2E, MESSAGES, rejection } from './harness.js';

// Streams that break after some text has already arrived must never come back as a success: the
// turn fails over to a backend that completes the answer (or fails cleanly), and what it returns
// is the fallback's complete text, not the broken stream's prefix.
const COMPLETE = ['The fallback ', 'answer, ', 'complete.'];
const complete: FakeFault = { type: 'reply', textChunks: COMPLETE };
const streamed = (text: string) => ask(text, { stream: true });

/** How many SSE events reach the first text delta: Anthropic message_start, content_block_start, ping, delta; OpenAI role chunk, content chunk. */
const throughFirstText: Record<WireApi, number> = { anthropic: 4, openai: 2 };

const cases = [
  { name: 'an Anthropic Messages primary (provider anthropic)', api: 'anthropic' as const, path: MESSAGES, fallbackPath: CHAT },
  { name: 'an OpenAI Chat Completions primary (custom, chat_completions)', api: 'openai' as const, path: CHAT, fallbackPath: MESSAGES },
];

const yaml = (api: WireApi, primaryUrl: string, fallbackUrl?: string) => `
${api === 'anthropic' ? `model: claude-sonnet-4-6\nprovider: anthropic\nbase_url: ${primaryUrl}` : `model: qwen3:32b\nprovider: custom\nbase_url: ${primaryUrl}/v1\napi_mode: chat_completions`}
${
  fallbackUrl === undefined
    ? ''
    : api === 'anthropic'
      ? `fallback_providers:\n  - { provider: custom, model: qwen3:8b, base_url: ${fallbackUrl}/v1, api_mode: chat_completions }`
      : `fallback_providers:\n  - { provider: custom, model: backup-claude, base_url: ${fallbackUrl}, api_mode: anthropic_messages }`
}
auxiliary:
  title_generation: { provider: auto }
`;

describe.each(cases)('broken streams on $name (real SDKs)', ({ api, path, fallbackPath }) => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('a mid-stream overloaded error after the first text fails over at once (1 request) and returns the fallback’s complete text', async () => {
    const primary = await e2e.server({ type: 'streamError', errorType: 'overloaded_error', message: 'Overloaded', afterEvents: throughFirstText[api] });
    const fallback = await e2e.server(complete);
    const { router, config, registry } = await e2e.router(yaml(api, primary.url, fallback.url));

    const turn = router.startTurn();
    const reply = await turn.main(streamed('hello'));
    expect(reply).toMatchObject({ text: COMPLETE.join(''), servedBy: 'fallback_providers[0]', stopReason: 'end_turn' });
    // Overloaded is not retried on the same backend.
    expect(primary.paths()).toEqual([path]);
    expect(primary.fake.requests[0]!.stream).toBe(true);
    expect(fallback.paths()).toEqual([fallbackPath]);
    expect(registry.health(config.primary.endpointKey).lastFailure).toMatchObject({ kind: 'backend_fault' });
    // The title of the same turn does not go back to the backend that just failed.
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(primary.count()).toBe(1);
  });

  it('a stream cut after the first text (socket destroyed) is retried once, then fails over; the answer is the fallback’s complete text', async () => {
    const primary = await e2e.server(faults.cutStream(throughFirstText[api]));
    const fallback = await e2e.server(complete);
    const { router } = await e2e.router(yaml(api, primary.url, fallback.url));

    const reply = await router.startTurn().main(streamed('hello'));
    expect(reply.text).toBe(COMPLETE.join(''));
    expect(reply.servedBy).toBe('fallback_providers[0]');
    // A cut stream may be a glitch: one same-backend retry (sameBackendRetries 1), then fail-over.
    expect(primary.paths()).toEqual([path, path]);
    expect(fallback.paths()).toEqual([fallbackPath]);
  });

  it('a stream that ends cleanly without its terminal event is retried once, then fails over; the prefix is never returned as an answer', async () => {
    const primary = await e2e.server(faults.truncatedStream());
    const fallback = await e2e.server(complete);
    const { router } = await e2e.router(yaml(api, primary.url, fallback.url));

    const reply = await router.startTurn().main(streamed('hello'));
    expect(reply).toMatchObject({ text: COMPLETE.join(''), servedBy: 'fallback_providers[0]' });
    expect(primary.paths()).toEqual([path, path]);
    expect(fallback.paths()).toEqual([fallbackPath]);
  });

  it('with no fallback, a cut stream fails cleanly: RoutingError (backend_fault), never a truncated success', async () => {
    const primary = await e2e.server(faults.cutStream(throughFirstText[api]));
    const { router } = await e2e.router(yaml(api, primary.url));

    const error = await rejection(router.startTurn().main(streamed('hello')));
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).failure).toMatchObject({ kind: 'backend_fault' });
    expect((error as RoutingError).attempts.every((a) => a.failure !== undefined)).toBe(true);
    expect(primary.paths()).toEqual([path, path]);
  });

  it('with no fallback, a mid-stream overload fails cleanly: RoutingError naming the overload, 1 request', async () => {
    const primary = await e2e.server({ type: 'streamError', errorType: 'overloaded_error', message: 'Overloaded', afterEvents: throughFirstText[api] });
    const { router } = await e2e.router(yaml(api, primary.url));

    const error = await rejection(router.startTurn().main(streamed('hello')));
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).failure).toMatchObject({ kind: 'backend_fault' });
    expect((error as RoutingError).message).toMatch(/overloaded/i);
    expect(primary.count()).toBe(1);
  });
});
