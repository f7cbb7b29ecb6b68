import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  identify,
  IdentityError,
  modelFamily,
  modelKey,
  parseEndpointKey,
  parseModelKey,
  type BackendIdentity,
} from '../../src/identity/index.js';

describe('endpointKey and modelKey', () => {
  it.each([
    [{ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' }, 'anthropic|anthropic_messages|http://127.0.0.1:8082', 'claude-sonnet-4-6'],
    [{ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' }, 'openrouter|chat_completions|https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4'],
    [{ provider: 'openrouter', model: ' Anthropic/Claude-Sonnet-4 ' }, 'openrouter|chat_completions|https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4'],
    [{ provider: 'custom', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:32b' }, 'custom|chat_completions|http://127.0.0.1:11434/v1', 'qwen3:32b'],
    [{ provider: 'custom', baseUrl: 'http://[::1]:8082/a|b/', apiMode: 'responses', model: 'gpt-4.1' }, 'custom|responses|http://[::1]:8082/a%7Cb', 'gpt-4.1'],
  ])('%j', (input, endpoint, id) => {
    const identity = identify(input);
    expect(endpointKey(identity)).toBe(endpoint);
    expect(modelKey(identity)).toBe(`${endpoint}|${id}`);
    expect(modelKey(identity, input.model)).toBe(`${endpoint}|${id}`);
  });

  it('each model id has its own model key; only spellings of one id share it', () => {
    const router = identify({ provider: 'openrouter' });
    const endpoint = 'openrouter|chat_completions|https://openrouter.ai/api/v1';
    // gpt-4o and gpt-4o-mini share a family but not their capacity
    expect(modelFamily('gpt-4o')).toBe(modelFamily('gpt-4o-mini'));
    expect(modelKey(router, 'gpt-4o')).toBe(`${endpoint}|gpt-4o`);
    expect(modelKey(router, 'gpt-4o-mini')).toBe(`${endpoint}|gpt-4o-mini`);
    expect(modelKey(router, 'gpt-4o')).not.toBe(modelKey(router, 'gpt-4o-mini'));
    // case and surrounding whitespace do not make another model
    for (const variant of ['GPT-4o', ' gpt-4o ', '\tGpt-4O\n']) {
      expect(modelKey(router, variant)).toBe(`${endpoint}|gpt-4o`);
    }
    // the vendor prefix is part of the id: different routes on an aggregator
    expect(modelKey(router, 'openai/gpt-4o')).toBe(`${endpoint}|openai/gpt-4o`);
    expect(modelKey(router, 'openai/gpt-4o')).not.toBe(modelKey(router, 'azure/gpt-4o'));
    expect(modelKey(router, 'openai/gpt-4o')).not.toBe(modelKey(router, 'gpt-4o'));
  });

  it('a mistyped model does not share the main model key, although it shares the family', () => {
    const primary = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
    expect(modelFamily('claude-sonnet-4-typo')).toBe(primary.modelFamily);
    expect(modelKey(primary, 'claude-sonnet-4-typo')).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-typo');
    expect(modelKey(primary, 'claude-sonnet-4-typo')).not.toBe(modelKey(primary));
    expect(modelKey(primary)).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-6');
  });

  it('the model argument overrides the identity model', () => {
    const identity = identify({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' });
    expect(modelKey(identity, 'gpt-4.1')).toBe('openrouter|chat_completions|https://openrouter.ai/api/v1|gpt-4.1');
  });

  it('re-normalizes a hand-built identity, so it keys like the identify() one', () => {
    const handMade: BackendIdentity = {
      provider: ' Anthropic',
      apiMode: 'anthropic_messages',
      baseUrl: 'HTTP://127.0.0.1:8082/',
      model: ' Claude-Sonnet-4-6 ',
      modelFamily: 'Claude-Sonnet',
    };
    const built = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
    expect(endpointKey(handMade)).toBe(endpointKey(built));
    expect(modelKey(handMade)).toBe(modelKey(built));
    expect(modelKey(handMade)).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-6');
  });

  it('a family alone is not a model key: a hand-built identity needs its model', () => {
    const familyOnly: BackendIdentity = { provider: 'anthropic', apiMode: 'anthropic_messages', baseUrl: 'http://127.0.0.1:8082', modelFamily: 'claude-sonnet' };
    expect(() => modelKey(familyOnly)).toThrow('model "" is empty; a model key needs a model name like claude-sonnet-4-6');
    expect(modelKey(familyOnly, 'claude-sonnet-4-6')).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-6');
  });

  it('does not serve a stale key for a mutable identity', () => {
    const mutable = { provider: 'custom', apiMode: 'chat_completions' as const, baseUrl: 'http://a' };
    expect(endpointKey(mutable)).toBe('custom|chat_completions|http://a');
    mutable.baseUrl = 'http://b';
    expect(endpointKey(mutable)).toBe('custom|chat_completions|http://b');
  });

  it.each([
    ['no model in the identity or the call', undefined, 'model "" is empty; a model key needs a model name like claude-sonnet-4-6', ''],
    ['an empty model', '', 'model "" is empty; a model key needs a model name like claude-sonnet-4-6', ''],
    ['a blank model', '   ', 'model "   " is empty; a model key needs a model name like claude-sonnet-4-6', '   '],
    ['a model with "|"', 'gpt|4', 'model "gpt|4" contains "|"; expected a model name like claude-sonnet-4-6', 'gpt|4'],
  ])('a model key needs a model name: %s', (_name, model, message, value) => {
    const identity = identify({ provider: 'openai' });
    let caught: unknown;
    try {
      modelKey(identity, model);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    const error = caught as IdentityError;
    expect(error.field).toBe('model');
    expect(error.value).toBe(value);
    expect(error.message).toBe(message);
  });

  it('a bare vendor prefix is a model id (it only lacks a family)', () => {
    const identity = identify({ provider: 'openai' });
    expect(modelKey(identity, 'OpenAI/')).toBe('openai|chat_completions|https://api.openai.com/v1|openai/');
  });
});

describe('parseEndpointKey and parseModelKey', () => {
  it.each([
    [{ provider: 'anthropic', baseUrl: 'HTTP://127.0.0.1:8082/' }],
    [{ provider: 'openrouter' }],
    [{ provider: 'custom', baseUrl: 'http://[::1]:8082/a|b/', apiMode: 'responses' }],
    [{ provider: 'custom', baseUrl: 'https://gw.example/Anthropic/V1' }],
  ])('round-trips %j', (input) => {
    for (const [model, id, family] of [
      ['claude-sonnet-4-6', 'claude-sonnet-4-6', 'claude-sonnet'],
      [' Anthropic/Claude-Sonnet-4 ', 'anthropic/claude-sonnet-4', 'claude-sonnet'],
      ['qwen3:32b', 'qwen3:32b', 'qwen3-32b'],
    ] as const) {
      const identity = identify({ ...input, model });
      const { model: _model, modelFamily: _family, ...endpointOnly } = identity;
      expect(identity).toStrictEqual({ ...endpointOnly, model: id, modelFamily: family });
      expect(parseEndpointKey(endpointKey(identity))).toStrictEqual(endpointOnly);
      expect(endpointKey(parseEndpointKey(endpointKey(identity)))).toBe(endpointKey(identity));
      expect(parseModelKey(modelKey(identity))).toStrictEqual(identity);
      expect(parseModelKey(modelKey(identity))).toStrictEqual({ ...endpointOnly, model: id, modelFamily: family });
      expect(Object.isFrozen(parseModelKey(modelKey(identity)))).toBe(true);
      expect(modelKey(parseModelKey(modelKey(identity)))).toBe(modelKey(identity));
    }
  });

  it.each([
    ['anthropic|anthropic_messages|http://h|claude-sonnet-4', 'claude-sonnet-4', 'claude-sonnet'],
    ['anthropic|anthropic_messages|http://h|claude-sonnet', 'claude-sonnet', 'claude-sonnet'],
    ['custom|chat_completions|http://h|qwen3:32b', 'qwen3:32b', 'qwen3-32b'],
    ['openrouter|chat_completions|https://openrouter.ai/api/v1|anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4', 'claude-sonnet'],
    ['openrouter|chat_completions|https://openrouter.ai/api/v1|gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o'],
    ['openai|chat_completions|https://api.openai.com/v1|openai/', 'openai/', undefined],
  ])('parses model key %j: model %j, family %j', (key, model, family) => {
    const parsed = parseModelKey(key);
    expect(parsed.model).toBe(model);
    expect(parsed.modelFamily).toBe(family);
    expect(modelKey(parsed)).toBe(key);
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
    ['anthropic|anthropic_messages|http://h|gpt-4o|mini', 'it has 5 "|"-separated parts, expected 4'],
    ['anthropic|anthropic_messages|http://h|', 'model "" is not normalized'],
    ['anthropic|anthropic_messages|http://h|   ', 'model "   " is not normalized'],
    ['anthropic|anthropic_messages|http://h|Claude-Sonnet-4-6', 'model "Claude-Sonnet-4-6" is not normalized'],
    ['anthropic|anthropic_messages|http://h| claude-sonnet-4-6', 'model " claude-sonnet-4-6" is not normalized'],
    ['anthropic|anthropic_messages|http://h|claude-sonnet-4-6 ', 'model "claude-sonnet-4-6 " is not normalized'],
    ['openrouter|chat_completions|https://openrouter.ai/api/v1|Anthropic/claude-sonnet-4', 'model "Anthropic/claude-sonnet-4" is not normalized'],
    ['Anthropic|anthropic_messages|http://h|claude-sonnet-4-6', 'provider "Anthropic" is not normalized'],
    ['anthropic|anthropic_messages|http://h/|claude-sonnet-4-6', 'base URL "http://h/" is not a normalized http(s) URL'],
  ])('rejects model key %j: %s', (key, why) => {
    let caught: unknown;
    try {
      parseModelKey(key);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    const error = caught as IdentityError;
    expect(error.field).toBe('key');
    expect(error.value).toBe(key);
    expect(error.message).toBe(
      `key ${JSON.stringify(key)} is not a model key: ${why}; expected e.g. anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-6`,
    );
  });
});
