import { describe, expect, it } from 'vitest';
import {
  API_MODES,
  IdentityError,
  normalizeApiMode,
  resolveApiMode,
  type ApiModeInput,
  type ApiModeResolution,
} from '../../src/identity/index.js';

const messages = (source: ApiModeResolution['source']): ApiModeResolution => ({ apiMode: 'anthropic_messages', source });
const chatDefault: ApiModeResolution = { apiMode: 'chat_completions', source: 'default' };

describe('resolveApiMode', () => {
  const cases: ReadonlyArray<[string, ApiModeInput, ApiModeResolution]> = [
    // explicit always wins, whatever the provider, host or path suggest
    ['explicit anthropic_messages on a bare custom host (Hermes scenario 7)', { provider: 'custom', baseUrl: 'http://10.0.0.5:9000', apiMode: 'anthropic_messages' }, { apiMode: 'anthropic_messages', source: 'explicit' }],
    ['explicit chat_completions on api.anthropic.com', { provider: 'custom', baseUrl: 'https://api.anthropic.com', apiMode: 'chat_completions' }, { apiMode: 'chat_completions', source: 'explicit' }],
    ['explicit chat_completions with provider anthropic', { provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', apiMode: 'chat_completions' }, { apiMode: 'chat_completions', source: 'explicit' }],
    ['explicit chat_completions on an /anthropic path', { provider: 'custom', baseUrl: 'https://gw.example/anthropic', apiMode: 'chat_completions' }, { apiMode: 'chat_completions', source: 'explicit' }],
    ['explicit responses', { provider: 'openai', baseUrl: 'https://api.openai.com/v1', apiMode: 'responses' }, { apiMode: 'responses', source: 'explicit' }],
    ['explicit is case- and space-insensitive', { provider: 'custom', baseUrl: 'http://h', apiMode: ' Anthropic_Messages ' }, { apiMode: 'anthropic_messages', source: 'explicit' }],
    ['explicit null means not set', { provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', apiMode: null }, messages('provider')],
    // provider
    ['provider anthropic on a local facade (Hermes scenario 1)', { provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082' }, messages('provider')],
    ['provider Anthropic, any case', { provider: ' ANTHROPIC ', baseUrl: 'http://127.0.0.1:8082' }, messages('provider')],
    ['provider anthropic without a base URL', { provider: 'anthropic' }, messages('provider')],
    ['provider anthropic wins over a chat-looking path', { provider: 'anthropic', baseUrl: 'http://h/v1' }, messages('provider')],
    // host: exact match only
    ['host api.anthropic.com', { provider: 'custom', baseUrl: 'https://api.anthropic.com' }, messages('host')],
    ['host API.ANTHROPIC.COM', { provider: 'custom', baseUrl: 'HTTPS://API.ANTHROPIC.COM/' }, messages('host')],
    ['host api.anthropic.com with a port and a path', { provider: 'custom', baseUrl: 'https://api.anthropic.com:8443/x' }, messages('host')],
    ['host api.anthropic.com. (root dot, same host)', { provider: 'custom', baseUrl: 'https://api.anthropic.com.' }, messages('host')],
    ['lookalike api.anthropic.com.example.test', { provider: 'custom', baseUrl: 'https://api.anthropic.com.example.test' }, chatDefault],
    ['lookalike evil-api.anthropic.com.attacker.test', { provider: 'custom', baseUrl: 'https://evil-api.anthropic.com.attacker.test' }, chatDefault],
    ['lookalike xapi.anthropic.com', { provider: 'custom', baseUrl: 'https://xapi.anthropic.com' }, chatDefault],
    ['subdomain eu.api.anthropic.com is not the host', { provider: 'custom', baseUrl: 'https://eu.api.anthropic.com' }, chatDefault],
    ['anthropic.com (no api.)', { provider: 'custom', baseUrl: 'https://anthropic.com' }, chatDefault],
    ['host name only in the path', { provider: 'custom', baseUrl: 'https://evil.test/api.anthropic.com' }, chatDefault],
    // path: on the parsed path, last one or two segments
    ['path /anthropic', { provider: 'custom', baseUrl: 'https://api.minimax.io/anthropic' }, messages('path')],
    ['path /anthropic/', { provider: 'custom', baseUrl: 'https://api.minimax.io/anthropic/' }, messages('path')],
    ['path /api/anthropic', { provider: 'custom', baseUrl: 'https://api.z.ai/api/anthropic' }, messages('path')],
    ['path /anthropic/v1', { provider: 'custom', baseUrl: 'https://gw.example/anthropic/v1' }, messages('path')],
    ['path /anthropic/v1/', { provider: 'custom', baseUrl: 'https://gw.example/anthropic/v1//' }, messages('path')],
    ['path /Anthropic (case-insensitive)', { provider: 'custom', baseUrl: 'https://gw.example/Anthropic' }, messages('path')],
    ['path /anthropic-proxy', { provider: 'custom', baseUrl: 'https://gw.example/anthropic-proxy' }, chatDefault],
    ['path /notanthropic', { provider: 'custom', baseUrl: 'https://gw.example/notanthropic' }, chatDefault],
    ['path /anthropic/v2', { provider: 'custom', baseUrl: 'https://gw.example/anthropic/v2' }, chatDefault],
    ['path /anthropic/v1/chat', { provider: 'custom', baseUrl: 'https://gw.example/anthropic/v1/chat' }, chatDefault],
    ['path /anthropic/x', { provider: 'custom', baseUrl: 'https://gw.example/anthropic/x' }, chatDefault],
    ['encoded slash %2Fanthropic is not a segment', { provider: 'custom', baseUrl: 'https://gw.example/x%2Fanthropic' }, chatDefault],
    ['host named anthropic is not a path', { provider: 'custom', baseUrl: 'http://anthropic' }, chatDefault],
    // default
    ['custom OpenAI-compatible', { provider: 'custom', baseUrl: 'http://127.0.0.1:11434/v1' }, chatDefault],
    ['openrouter', { provider: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1' }, chatDefault],
    ['openai without a base URL', { provider: 'openai' }, chatDefault],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(resolveApiMode(input)).toEqual(expected);
  });

  it('a query or fragment mentioning /anthropic never reaches detection: the URL is rejected', () => {
    for (const baseUrl of ['https://gw.example/v1?next=/anthropic', 'https://gw.example/v1?x=/anthropic/v1', 'https://gw.example/#/anthropic']) {
      expect(() => resolveApiMode({ provider: 'custom', baseUrl })).toThrow(IdentityError);
      expect(() => resolveApiMode({ provider: 'custom', baseUrl })).toThrow(/base_url .* has a (query string|fragment)/);
    }
  });

  it('validates the base URL even when the explicit mode decides', () => {
    expect(() => resolveApiMode({ provider: 'custom', baseUrl: 'ftp://x', apiMode: 'chat_completions' })).toThrow(
      'base_url "ftp://x" is not an http(s) URL',
    );
  });

  it.each([
    ['messages'],
    ['openai'],
    ['anthropic'],
    ['chat-completions'],
    [''],
    ['  '],
  ])('rejects explicit api_mode %j, naming field, value and allowed values', (apiMode) => {
    let caught: unknown;
    try {
      resolveApiMode({ provider: 'custom', baseUrl: 'http://h', apiMode });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    const error = caught as IdentityError;
    expect(error.field).toBe('api_mode');
    expect(error.value).toBe(apiMode);
    expect(error.message).toBe(`api_mode ${JSON.stringify(apiMode)} is not one of anthropic_messages, chat_completions, responses`);
  });
});

describe('normalizeApiMode', () => {
  it.each(API_MODES.map((mode) => [mode]))('accepts %s in any case', (mode) => {
    expect(normalizeApiMode(mode)).toBe(mode);
    expect(normalizeApiMode(` ${mode.toUpperCase()} `)).toBe(mode);
  });

  it('rejects a non-string value from loosely typed config', () => {
    expect(() => normalizeApiMode(1 as unknown as string)).toThrow('api_mode "1" is not a string; expected one of anthropic_messages, chat_completions, responses');
  });
});
