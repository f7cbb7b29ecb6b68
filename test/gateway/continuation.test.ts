import { afterEach, describe, expect, it } from 'vitest';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import type { CallOutcome, Transport } from '../../src/index.js';
import { GatewayHarness } from './harness.js';

/**
 * Continuation edge cases, with a scripted transport behind the gateway (the primary streams a
 * partial answer and is cut; the Anthropic fallback does what each case needs) and the real
 * `openai` client in front.
 */
const cut: ClassifiedFailure = { kind: 'backend_fault', reason: 'stream_cut', message: 'response cut off mid-body', answered: true, modelSpecific: false, retrySameBackend: false };
const yaml = `
routes:
  - match: "*"
    model: qwen3:32b
    provider: custom
    base_url: http://127.0.0.1:9/v1
    api_mode: chat_completions
    fallback_providers:
      - provider: anthropic
        model: claude-sonnet-4-6
        base_url: http://127.0.0.1:10
        api_key: k
`;

function scripted(partial: string, fallback: (prefill: string) => Promise<CallOutcome>): { transport: Transport; prefills: string[] } {
  const prefills: string[] = [];
  return {
    prefills,
    transport: {
      async call(entry, request, options) {
        if (entry.label === 'model') {
          options.onText?.(partial);
          return { ok: false, failure: cut, error: new Error('cut') };
        }
        const last = request.messages.at(-1)!;
        const prefill = last.role === 'assistant' ? last.content.map((p) => (p.type === 'text' ? p.text : '')).join('') : '';
        prefills.push(prefill);
        return fallback(prefill);
      },
    },
  };
}

async function streamText(h: GatewayHarness, transport: Transport): Promise<{ text: string; error?: unknown }> {
  const gateway = await h.gateway(yaml, { transport, activeProbes: false });
  const stream = await h.openai(gateway).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'go' }], stream: true });
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    return { text };
  } catch (error) {
    return { text, error };
  }
}

describe('gateway continuation edge cases', () => {
  const h = new GatewayHarness();
  afterEach(() => h.close());

  it('a partial answer ending in whitespace is sent as a trimmed prefill, and the continuation\'s leading space is not repeated', async () => {
    const { transport, prefills } = scripted('The answer is ', async () => {
      return { ok: true, response: { text: ' 42.', toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 2 }, model: 'claude-sonnet-4-6', servedBy: 'fallback_providers[0]' } };
    });
    // The scripted fallback does not stream, so its text arrives in the final event.
    const { text, error } = await streamText(h, transport);
    expect(error).toBeUndefined();
    expect(prefills).toEqual(['The answer is']);
    expect(text).toBe('The answer is 42.');
  });

  it('a continuation with nothing to add (the cut came after the last word) completes the answer and penalizes no one', async () => {
    const { transport } = scripted('All done.', async () => ({
      ok: false,
      failure: { kind: 'backend_fault', reason: 'empty_content', message: '200 response with no content (stop: end_turn)', answered: true, modelSpecific: false, retrySameBackend: false },
      error: new Error('empty'),
    }));
    const gateway = await h.gateway(yaml, { transport, activeProbes: false });
    const stream = await h.openai(gateway).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'go' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('All done.');
    const fallback = gateway.registry.all().find((b) => b.key.startsWith('anthropic|'));
    expect(fallback?.status ?? 'healthy').toBe('healthy');
  });

  it('an unexpected error while continuing ends the client\'s stream with an error, never as a finished answer', async () => {
    const { transport } = scripted('Hello ', async () => {
      throw new Error('the Anthropic SDK is not installed');
    });
    const { text, error } = await streamText(h, transport);
    expect(text).toBe('Hello ');
    expect(error).toBeInstanceOf(Error);
  });

  it('a candidate that cannot continue is passed over without a request or a penalty; a later Anthropic one continues', async () => {
    const calls: string[] = [];
    const transport: Transport = {
      async call(entry, request, options) {
        calls.push(entry.label);
        if (entry.label === 'model') {
          options.onText?.('Hello');
          return { ok: false, failure: cut, error: new Error('cut') };
        }
        const last = request.messages.at(-1)!;
        expect(last.role).toBe('assistant');
        return { ok: true, response: { text: ', world.', toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 }, model: entry.model, servedBy: entry.label } };
      },
    };
    const chain = `${yaml.trimEnd()}
      - provider: anthropic
        model: claude-opus-4
        base_url: http://127.0.0.1:11
        api_key: k
`.replace(
      '    fallback_providers:\n',
      '    fallback_providers:\n      - provider: custom\n        model: llama3\n        base_url: http://127.0.0.1:12/v1\n        api_mode: chat_completions\n',
    );
    const gateway = await h.gateway(chain, { transport, activeProbes: false });
    const stream = await h.openai(gateway).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'go' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello, world.');
    // The chat-completions fallback was declined without a request; the first Anthropic one continued.
    expect(calls).toEqual(['model', 'fallback_providers[1]']);
    expect(gateway.registry.all().filter((b) => b.status !== 'healthy').map((b) => b.key)).toEqual([expect.stringContaining('custom|chat_completions|http://127.0.0.1:9/v1')]);
  });
});

