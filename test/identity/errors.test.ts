import { describe, expect, it } from 'vitest';
import {
  identify,
  IdentityError,
  modelKey,
  normalizeProvider,
  parseEndpointKey,
  resolveApiMode,
} from '../../src/identity/index.js';

function thrown(fn: () => unknown): IdentityError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(IdentityError);
    expect(error).toBeInstanceOf(Error);
    return error as IdentityError;
  }
  throw new Error('expected an IdentityError, nothing was thrown');
}

describe('IdentityError', () => {
  it('is an Error with a name, a field and a value', () => {
    const error = new IdentityError('base_url', 'x', 'base_url "x" is wrong');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('IdentityError');
    expect(error.field).toBe('base_url');
    expect(error.value).toBe('x');
    expect(String(error)).toBe('IdentityError: base_url "x" is wrong');
  });

  it('prints the brief example exactly', () => {
    expect(String(thrown(() => identify({ provider: 'custom', baseUrl: 'ftp://x' })))).toBe(
      'IdentityError: base_url "ftp://x" is not an http(s) URL; expected e.g. http://127.0.0.1:8082',
    );
  });

  // Every error names the field and the value it rejected, so a user can find the line in the config.
  it.each([
    ['empty provider', () => identify({ provider: '', baseUrl: 'http://h' }), 'provider', '', 'provider is empty'],
    ['provider with a space', () => normalizeProvider('open router'), 'provider', 'open router', 'provider "open router" contains whitespace or "|"'],
    ['provider with |', () => normalizeProvider('a|b'), 'provider', 'a|b', 'provider "a|b" contains whitespace or "|"'],
    ['provider not a string', () => normalizeProvider(42 as unknown as string), 'provider', '42', 'provider must be a string, got "42"'],
    ['unknown api_mode', () => identify({ provider: 'custom', baseUrl: 'http://h', apiMode: 'Messages' }), 'api_mode', 'Messages', 'api_mode "Messages" is not one of anthropic_messages, chat_completions, responses'],
    ['unparsable base_url', () => identify({ provider: 'custom', baseUrl: 'http://h:70000' }), 'base_url', 'http://h:70000', 'base_url "http://h:70000" is not a valid URL; expected e.g. http://127.0.0.1:8082'],
    ['non-http base_url', () => resolveApiMode({ provider: 'custom', baseUrl: 'file:///etc/passwd' }), 'base_url', 'file:///etc/passwd', 'base_url "file:///etc/passwd" is not an http(s) URL'],
    ['missing base_url', () => identify({ provider: 'ollama' }), 'base_url', '', 'provider "ollama" has no default base_url'],
    ['model with |', () => identify({ provider: 'openai', model: 'gpt|4' }), 'model', 'gpt|4', 'model "gpt|4" contains "|"'],
    ['model key without model', () => modelKey(identify({ provider: 'openai' }), '  '), 'model', '  ', 'model "  " is empty; a model key needs a model name like claude-sonnet-4-6'],
    ['malformed key', () => parseEndpointKey('nope'), 'key', 'nope', 'key "nope" is not an endpoint key'],
  ])('%s', (_name, fn, field, value, message) => {
    const error = thrown(fn);
    expect(error.field).toBe(field);
    expect(error.value).toBe(value);
    expect(error.message).toContain(message);
  });

  it('caps very long values in messages', () => {
    const long = `ftp://${'a'.repeat(500)}`;
    const error = thrown(() => identify({ provider: 'custom', baseUrl: long }));
    expect(error.value).toBe(long);
    expect(error.message.length).toBeLessThan(320);
    expect(error.message).toContain('…"');
  });
});
