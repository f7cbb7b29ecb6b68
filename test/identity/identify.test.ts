import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BASE_URLS,
  defaultBaseUrl,
  endpointKey,
  identify,
  IdentityError,
  normalizeProvider,
  requestUrl,
  sdkBaseUrl,
  type BackendIdentity,
  type IdentifyInput,
} from '../../src/identity/index.js';

describe('identify', () => {
  const cases: ReadonlyArray<[string, IdentifyInput, BackendIdentity]> = [
    [
      'the Hermes primary: an Anthropic-compatible facade',
      { provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' },
      { provider: 'anthropic', apiMode: 'anthropic_messages', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6', modelFamily: 'claude-sonnet' },
    ],
    [
      'openrouter fallback without base_url',
      { provider: 'openrouter', model: 'anthropic/claude-sonnet-4' },
      { provider: 'openrouter', apiMode: 'chat_completions', baseUrl: 'https://openrouter.ai/api/v1', model: 'anthropic/claude-sonnet-4', modelFamily: 'claude-sonnet' },
    ],
    [
      'custom ollama with explicit chat_completions',
      { provider: 'custom', model: 'qwen3:32b', baseUrl: 'http://127.0.0.1:11434/v1', apiMode: 'chat_completions' },
      { provider: 'custom', apiMode: 'chat_completions', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:32b', modelFamily: 'qwen3-32b' },
    ],
    [
      'openai legacy fallback_model without base_url',
      { provider: 'openai', model: 'gpt-4.1' },
      { provider: 'openai', apiMode: 'chat_completions', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1', modelFamily: 'gpt-4.1' },
    ],
    [
      'anthropic without base_url',
      { provider: 'Anthropic' },
      { provider: 'anthropic', apiMode: 'anthropic_messages', baseUrl: 'https://api.anthropic.com' },
    ],
    [
      'auxiliary compression on a custom Anthropic-compatible host',
      { provider: 'custom', baseUrl: 'http://127.0.0.1:9000', apiMode: 'anthropic_messages', model: 'local' },
      { provider: 'custom', apiMode: 'anthropic_messages', baseUrl: 'http://127.0.0.1:9000', model: 'local', modelFamily: 'local' },
    ],
    [
      'the model id is trimmed and lower-cased, its vendor prefix kept',
      { provider: 'openrouter', model: '  OpenAI/GPT-4o-Mini ' },
      { provider: 'openrouter', apiMode: 'chat_completions', baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-4o-mini', modelFamily: 'gpt-4o' },
    ],
    [
      'a blank model means no model',
      { provider: 'openai', model: '   ' },
      { provider: 'openai', apiMode: 'chat_completions', baseUrl: 'https://api.openai.com/v1' },
    ],
    [
      'null base_url and api_mode mean not set',
      { provider: 'openai', baseUrl: null, apiMode: null, model: null },
      { provider: 'openai', apiMode: 'chat_completions', baseUrl: 'https://api.openai.com/v1' },
    ],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    const identity = identify(input);
    expect(identity).toStrictEqual(expected);
    expect(Object.isFrozen(identity)).toBe(true);
  });

  it('Hermes scenario 5: HTTP://127.0.0.1:8082/ is the primary P', () => {
    const primary = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
    const entry0 = identify({ provider: 'anthropic', baseUrl: 'HTTP://127.0.0.1:8082/', model: 'claude-sonnet-4-6' });
    expect(entry0).toStrictEqual(primary);
    expect(endpointKey(entry0)).toBe(endpointKey(primary));
    expect(endpointKey(entry0)).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082');
  });

  it.each([
    ['case', 'https://API.OPENAI.COM/v1'],
    ['default port', 'https://api.openai.com:443/v1'],
    ['trailing slash', 'https://api.openai.com/v1/'],
    ['all three', 'HTTPS://Api.OpenAI.com:443/v1//'],
  ])('configs differing only by %s are one backend', (_what, baseUrl) => {
    expect(endpointKey(identify({ provider: 'openai', baseUrl }))).toBe(endpointKey(identify({ provider: 'openai' })));
  });

  it('anthropic vs custom on the same URL are different identities', () => {
    const a = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082' });
    const c = identify({ provider: 'custom', baseUrl: 'http://127.0.0.1:8082', apiMode: 'anthropic_messages' });
    expect(endpointKey(a)).not.toBe(endpointKey(c));
  });

  it('the same URL in two api modes is two identities', () => {
    const messages = identify({ provider: 'custom', baseUrl: 'http://127.0.0.1:8082', apiMode: 'anthropic_messages' });
    const chat = identify({ provider: 'custom', baseUrl: 'http://127.0.0.1:8082' });
    expect(endpointKey(messages)).not.toBe(endpointKey(chat));
  });

  it('a provider without a default address needs base_url, and the error names the provider', () => {
    let caught: unknown;
    try {
      identify({ provider: 'Custom', model: 'local' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    expect((caught as IdentityError).field).toBe('base_url');
    expect((caught as IdentityError).message).toBe(
      'provider "custom" has no default base_url; set base_url (defaults exist for anthropic, openai, openrouter)',
    );
  });

  it('an explicit empty base_url is an error, not a request for the default', () => {
    expect(() => identify({ provider: 'openai', baseUrl: '' })).toThrow('base_url is empty');
  });
});

describe('providers', () => {
  it.each([
    ['anthropic', 'anthropic'],
    [' OpenRouter ', 'openrouter'],
    ['CUSTOM', 'custom'],
    ['kimi-coding', 'kimi-coding'],
  ])('%j → %j', (raw, provider) => {
    expect(normalizeProvider(raw)).toBe(provider);
  });

  it('has the documented default base URLs, each already normalized', () => {
    expect(DEFAULT_BASE_URLS).toStrictEqual({
      anthropic: 'https://api.anthropic.com',
      openai: 'https://api.openai.com/v1',
      openrouter: 'https://openrouter.ai/api/v1',
    });
    for (const [provider, url] of Object.entries(DEFAULT_BASE_URLS)) {
      expect(identify({ provider }).baseUrl).toBe(url);
      expect(defaultBaseUrl(provider)).toBe(url);
    }
  });

  it('does not take inherited object keys for providers', () => {
    expect(() => defaultBaseUrl('constructor')).toThrow('provider "constructor" has no default base_url');
    expect(() => defaultBaseUrl('__proto__')).toThrow(IdentityError);
  });
});

describe('requestUrl and sdkBaseUrl', () => {
  it.each([
    // [provider, base_url, api_mode, POST url, SDK baseURL]
    ['anthropic', 'http://127.0.0.1:8082', undefined, 'http://127.0.0.1:8082/v1/messages', 'http://127.0.0.1:8082'],
    ['anthropic', undefined, undefined, 'https://api.anthropic.com/v1/messages', 'https://api.anthropic.com'],
    ['custom', 'http://10.0.0.5:9000', 'anthropic_messages', 'http://10.0.0.5:9000/v1/messages', 'http://10.0.0.5:9000'],
    ['custom', 'https://api.minimax.io/anthropic', undefined, 'https://api.minimax.io/anthropic/v1/messages', 'https://api.minimax.io/anthropic'],
    ['custom', 'https://gw.example/anthropic/v1/', undefined, 'https://gw.example/anthropic/v1/messages', 'https://gw.example/anthropic'],
    ['openrouter', undefined, 'anthropic_messages', 'https://openrouter.ai/api/v1/messages', 'https://openrouter.ai/api'],
    ['custom', 'http://127.0.0.1:11434/v1', undefined, 'http://127.0.0.1:11434/v1/chat/completions', 'http://127.0.0.1:11434/v1'],
    ['openrouter', undefined, undefined, 'https://openrouter.ai/api/v1/chat/completions', 'https://openrouter.ai/api/v1'],
    ['openai', undefined, 'responses', 'https://api.openai.com/v1/responses', 'https://api.openai.com/v1'],
    ['anthropic', 'http://127.0.0.1:8082', 'chat_completions', 'http://127.0.0.1:8082/chat/completions', 'http://127.0.0.1:8082'],
  ] as const)('%s %s %s → POST %s', (provider, baseUrl, apiMode, post, sdkBase) => {
    const identity = identify({ provider, baseUrl, apiMode });
    expect(requestUrl(identity)).toBe(post);
    expect(sdkBaseUrl(identity)).toBe(sdkBase);
  });

  it('Hermes scenario 1: the primary never resolves to /chat/completions', () => {
    const primary = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082' });
    expect(requestUrl(primary)).toBe('http://127.0.0.1:8082/v1/messages');
    expect(requestUrl(primary)).not.toContain('/chat/completions');
  });
});

// The SDKs are the ground truth for "the URL a call is POSTed to": hand each SDK the sdkBaseUrl
// and capture the URL its fetch is called with.
describe('requestUrl matches what the real SDKs post to', () => {
  function capturingFetch(body: unknown): { urls: string[]; fetch: typeof fetch } {
    const urls: string[] = [];
    const fake = async (input: string | URL | Request): Promise<Response> => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    return { urls, fetch: fake as typeof fetch };
  }

  const anthropicMessage = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'm',
    content: [{ type: 'text', text: 'ok' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  };
  const chatCompletion = {
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
  const response = { id: 'r', object: 'response', created_at: 0, model: 'm', status: 'completed', output: [] };

  it.each([
    ['http://127.0.0.1:8082'],
    ['HTTP://127.0.0.1:8082/'],
    ['https://gw.example/anthropic'],
    ['https://gw.example/anthropic/v1'],
    ['http://[::1]:9000/prefix/v1/'],
  ])('Anthropic SDK, base %s', async (baseUrl) => {
    const identity = identify({ provider: 'custom', baseUrl, apiMode: 'anthropic_messages' });
    const { urls, fetch } = capturingFetch(anthropicMessage);
    const client = new Anthropic({ apiKey: 'x', baseURL: sdkBaseUrl(identity), maxRetries: 0, fetch });
    await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] });
    expect(urls).toEqual([requestUrl(identity)]);
  });

  it.each([['http://127.0.0.1:11434/v1'], ['https://openrouter.ai/api/v1/'], ['http://[::1]:9000']])(
    'OpenAI SDK chat completions, base %s',
    async (baseUrl) => {
      const identity = identify({ provider: 'custom', baseUrl, apiMode: 'chat_completions' });
      const { urls, fetch } = capturingFetch(chatCompletion);
      const client = new OpenAI({ apiKey: 'x', baseURL: sdkBaseUrl(identity), maxRetries: 0, fetch });
      await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      expect(urls).toEqual([requestUrl(identity)]);
    },
  );

  it('OpenAI SDK responses', async () => {
    const identity = identify({ provider: 'openai', apiMode: 'responses' });
    const { urls, fetch } = capturingFetch(response);
    const client = new OpenAI({ apiKey: 'x', baseURL: sdkBaseUrl(identity), maxRetries: 0, fetch });
    await client.responses.create({ model: 'm', input: 'hi' });
    expect(urls).toEqual([requestUrl(identity)]);
  });
});
