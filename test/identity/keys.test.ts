import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  identify,
  IdentityError,
  modelKey,
  parseEndpointKey,
  parseModelKey,
  type BackendIdentity,
} from '../../src/identity/index.js';

describe('endpointKey and modelKey', () => {
  it.each([
    [{ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' }, 'anthropic|anthropic_messages|http://127.0.0.1:8082', 'claude-sonnet'],
    [{ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' }, 'openrouter|chat_completions|https://openrouter.ai/api/v1', 'claude-sonnet'],
    [{ provider: 'custom', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:32b' }, 'custom|chat_completions|http://127.0.0.1:11434/v1', 'qwen3-32b'],
    [{ provider: 'custom', baseUrl: 'http://[::1]:8082/a|b/', apiMode: 'responses', model: 'gpt-4.1' }, 'custom|responses|http://[::1]:8082/a%7Cb', 'gpt-4.1'],
  ])('%j', (input, endpoint, family) => {
    const identity = identify(input);
    expect(endpointKey(identity)).toBe(endpoint);
    expect(modelKey(identity)).toBe(`${endpoint}|${family}`);
    expect(modelKey(identity, input.model)).toBe(`${endpoint}|${family}`);
  });

  it('models of one family share a model key; other families do not', () => {
    const router = identify({ provider: 'openrouter' });
    expect(modelKey(router, 'anthropic/claude-sonnet-4')).toBe(modelKey(router, 'claude-sonnet-4-5-20250929'));
    expect(modelKey(router, 'anthropic/claude-sonnet-4')).not.toBe(modelKey(router, 'anthropic/claude-haiku-4'));
  });

  it('the model argument overrides the identity family', () => {
    const identity = identify({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' });
    expect(modelKey(identity, 'gpt-4.1')).toBe('openrouter|chat_completions|https://openrouter.ai/api/v1|gpt-4.1');
  });

  it('re-normalizes a hand-built identity, so it keys like the identify() one', () => {
    const handMade: BackendIdentity = { provider: ' Anthropic', apiMode: 'anthropic_messages', baseUrl: 'HTTP://127.0.0.1:8082/', modelFamily: 'Claude-Sonnet' };
    const built = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
    expect(endpointKey(handMade)).toBe(endpointKey(built));
    expect(modelKey(handMade)).toBe(modelKey(built));
  });

  it('does not serve a stale key for a mutable identity', () => {
    const mutable = { provider: 'custom', apiMode: 'chat_completions' as const, baseUrl: 'http://a' };
    expect(endpointKey(mutable)).toBe('custom|chat_completions|http://a');
    mutable.baseUrl = 'http://b';
    expect(endpointKey(mutable)).toBe('custom|chat_completions|http://b');
  });

  it('a model key needs a model family', () => {
    const identity = identify({ provider: 'openai' });
    expect(() => modelKey(identity)).toThrow(IdentityError);
    expect(() => modelKey(identity, '')).toThrow('model "" has no model family');
    expect(() => modelKey(identity, 'openai/')).toThrow('model "openai/" has no model family');
  });
});

describe('parseEndpointKey and parseModelKey', () => {
  it.each([
    [{ provider: 'anthropic', baseUrl: 'HTTP://127.0.0.1:8082/' }],
    [{ provider: 'openrouter' }],
    [{ provider: 'custom', baseUrl: 'http://[::1]:8082/a|b/', apiMode: 'responses' }],
    [{ provider: 'custom', baseUrl: 'https://gw.example/Anthropic/V1' }],
  ])('round-trips %j', (input) => {
    const identity = identify({ ...input, model: 'claude-sonnet-4-6' });
    const { modelFamily: _family, ...endpointOnly } = identity;
    expect(parseEndpointKey(endpointKey(identity))).toStrictEqual(endpointOnly);
    expect(endpointKey(parseEndpointKey(endpointKey(identity)))).toBe(endpointKey(identity));
    expect(parseModelKey(modelKey(identity))).toStrictEqual(identity);
    expect(modelKey(parseModelKey(modelKey(identity)))).toBe(modelKey(identity));
  });

  it.each([
    ['', 'it has 1 "|"-separated parts, expected 3'],
    ['anthropic', 'it has 1 "|"-separated parts, expected 3'],
    ['anthropic|anthropic_messages', 'it has 2 "|"-separated parts, expected 3'],
    ['anthropic|anthropic_messages|http://h|claude-sonnet', 'it has 4 "|"-separated parts, expected 3'],
    ['|anthropic_messages|http://h', 'provider "" is not normalized'],
    ['Anthropic|anthropic_messages|http://h', 'provider "Anthropic" is not normalized'],
    ['anthropic|messages|http://h', 'api mode "messages" is not one of anthropic_messages, chat_completions, responses'],
    ['anthropic|ANTHROPIC_MESSAGES|http://h', 'api mode "ANTHROPIC_MESSAGES" is not one of'],
    ['anthropic|anthropic_messages|http://h/', 'base URL "http://h/" is not a normalized http(s) URL'],
    ['anthropic|anthropic_messages|HTTP://h', 'base URL "HTTP://h" is not a normalized http(s) URL'],
    ['anthropic|anthropic_messages|http://h:80', 'base URL "http://h:80" is not a normalized http(s) URL'],
    ['anthropic|anthropic_messages|ftp://h', 'base URL "ftp://h" is not a normalized http(s) URL'],
    ['anthropic|anthropic_messages|', 'base URL "" is not a normalized http(s) URL'],
  ])('rejects endpoint key %j: %s', (key, why) => {
    let caught: unknown;
    try {
      parseEndpointKey(key);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    const error = caught as IdentityError;
    expect(error.field).toBe('key');
    expect(error.value).toBe(key);
    expect(error.message).toContain(`key ${JSON.stringify(key)} is not an endpoint key: ${why}`);
    expect(error.message).toContain('expected e.g. anthropic|anthropic_messages|http://127.0.0.1:8082');
  });

  it.each([
    ['anthropic|anthropic_messages|http://h', 'it has 3 "|"-separated parts, expected 4'],
    ['anthropic|anthropic_messages|http://h|', 'model family "" is not normalized'],
    ['anthropic|anthropic_messages|http://h|Claude-Sonnet', 'model family "Claude-Sonnet" is not normalized'],
    ['anthropic|anthropic_messages|http://h|claude-sonnet-4', 'model family "claude-sonnet-4" is not normalized'],
    ['anthropic|anthropic_messages|http://h|qwen3:32b', 'model family "qwen3:32b" is not normalized'],
  ])('rejects model key %j: %s', (key, why) => {
    expect(() => parseModelKey(key)).toThrow(IdentityError);
    expect(() => parseModelKey(key)).toThrow(`key ${JSON.stringify(key)} is not a model key: ${why}`);
  });
});
