import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from '../../src/config/index.js';
import { PRIMARY } from './support.js';

describe('entries that cannot work are dropped with a reason, never attempted', () => {
  it.each<[string, Record<string, unknown>, NodeJS.ProcessEnv, string]>([
    ['no model', { provider: 'openrouter' }, {}, 'model is missing (an entry needs both provider and model)'],
    ['no provider', { model: 'gpt-4.1' }, {}, 'provider is missing (an entry needs both provider and model)'],
    ['neither', { base_url: 'http://127.0.0.1:1' }, {}, 'provider and model are missing (an entry needs both provider and model)'],
    ['a blank model', { provider: 'openrouter', model: '  ' }, {}, 'model is missing (an entry needs both provider and model)'],
    [
      'an unknown provider without base_url',
      { provider: 'groq', model: 'llama-3.3-70b' },
      {},
      'base_url is missing and provider "groq" has no default (defaults exist for anthropic, openai, openrouter)',
    ],
    ['api_key_env naming an unset variable', { provider: 'openrouter', model: 'x', api_key_env: 'OPENROUTER_API_KEY' }, {}, 'api_key_env OPENROUTER_API_KEY is not set'],
    ['key_env naming an unset variable', { provider: 'openrouter', model: 'x', key_env: 'MY_ROUTER_KEY' }, {}, 'key_env MY_ROUTER_KEY is not set'],
    ['api_key_env naming an empty variable', { provider: 'openrouter', model: 'x', api_key_env: 'OPENROUTER_API_KEY' }, { OPENROUTER_API_KEY: ' ' }, 'api_key_env OPENROUTER_API_KEY is empty'],
    [
      'a known provider without key or its default variable',
      { provider: 'openai', model: 'gpt-4.1' },
      {},
      'api_key is missing and OPENAI_API_KEY (the default for provider openai) is not set',
    ],
    [
      'an unknown provider on a public address without a key',
      { provider: 'groq', model: 'llama', base_url: 'https://api.groq.com/openai/v1' },
      {},
      'api_key is missing and provider "groq" has no default key variable',
    ],
    [
      'anthropic on its public API without ANTHROPIC_API_KEY',
      { provider: 'anthropic', model: 'claude-haiku-4-5' },
      {},
      'api_key is missing and ANTHROPIC_API_KEY (the default for provider anthropic) is not set',
    ],
  ])('%s', (_name, entry, env, reason) => {
    const config = loadRouterConfig({ ...PRIMARY, fallback_providers: [entry, { provider: 'custom', model: 'ok', base_url: 'http://127.0.0.1:1' }] }, { env });
    expect(config.dropped).toEqual([{ path: 'fallback_providers[0]', reason }]);
    // the rest of the chain keeps its order and its labels
    expect(config.fallbacks.map((f) => f.label)).toEqual(['fallback_providers[1]']);
  });

  it('a named variable is never replaced by the provider default', () => {
    const config = loadRouterConfig(
      { ...PRIMARY, fallback_providers: [{ provider: 'openrouter', model: 'x', api_key_env: 'TEAM_OPENROUTER_KEY' }] },
      { env: { OPENROUTER_API_KEY: 'sk-or-default-000001' } },
    );
    expect(config.dropped).toEqual([{ path: 'fallback_providers[0]', reason: 'api_key_env TEAM_OPENROUTER_KEY is not set' }]);
  });

  it('drops a pinned auxiliary task that cannot work; the task then follows auto', () => {
    const config = loadRouterConfig(
      { ...PRIMARY, auxiliary: { title_generation: { provider: 'auto' }, compression: { provider: 'openrouter', model: 'x' }, vision: { provider: 'custom' } } },
      { env: {} },
    );
    expect(config.auxiliary).toEqual({ title_generation: { mode: 'auto' } });
    expect(config.dropped).toEqual([
      { path: 'auxiliary.compression', reason: 'api_key is missing and OPENROUTER_API_KEY (the default for provider openrouter) is not set' },
      { path: 'auxiliary.vision', reason: 'model is missing (an entry needs both provider and model)' },
    ]);
  });

  it('drops a delegation entry that cannot work; the child then inherits', () => {
    const config = loadRouterConfig({ ...PRIMARY, delegation: { provider: 'openrouter', model: 'anthropic/claude-haiku-4', key_env: 'SUB_KEY' } }, { env: {} });
    expect(config.delegation).toEqual({});
    expect(config.dropped).toEqual([{ path: 'delegation', reason: 'key_env SUB_KEY is not set' }]);
  });
});

describe('fallback_model is deduplicated (Hermes rule)', () => {
  const chain = [
    { provider: 'openrouter', model: 'anthropic/claude-sonnet-4' },
    { provider: 'custom', model: 'qwen3:32b', base_url: 'http://127.0.0.1:11434/v1' },
  ];
  const env = { OPENROUTER_API_KEY: 'sk-or-test-0000000001', OPENAI_API_KEY: 'sk-openai-test-000002' };
  const load = (fallback_model: unknown, fallback_providers: unknown = chain) =>
    loadRouterConfig({ ...PRIMARY, fallback_providers, fallback_model }, { env });

  it.each<[string, unknown, string]>([
    ['same entry', { provider: 'openrouter', model: 'anthropic/claude-sonnet-4' }, 'duplicate of fallback_providers[0]'],
    ['different case', { provider: 'OpenRouter', model: 'Anthropic/Claude-Sonnet-4' }, 'duplicate of fallback_providers[0]'],
    ['the default base_url written out, with a trailing /', { provider: 'openrouter', model: 'anthropic/claude-sonnet-4', base_url: 'https://openrouter.ai/api/v1/' }, 'duplicate of fallback_providers[0]'],
    ['base_url in other case and trailing /', { provider: 'custom', model: 'QWEN3:32b', base_url: 'HTTP://127.0.0.1:11434/v1/' }, 'duplicate of fallback_providers[1]'],
  ])('drops a duplicate of fallback_providers: %s', (_name, entry, reason) => {
    const config = load(entry);
    expect(config.dropped).toEqual([{ path: 'fallback_model', reason }]);
    expect(config.fallbacks.map((f) => f.label)).toEqual(['fallback_providers[0]', 'fallback_providers[1]']);
  });

  it('drops duplicates within a fallback_model list, keeping the first', () => {
    const config = load([
      { provider: 'openai', model: 'gpt-4.1' },
      { provider: 'openai', model: 'GPT-4.1', base_url: 'https://api.openai.com/v1/' },
      { provider: 'openrouter', model: 'anthropic/claude-sonnet-4' },
    ]);
    expect(config.fallbacks.map((f) => f.label)).toEqual(['fallback_providers[0]', 'fallback_providers[1]', 'fallback_model[0]']);
    expect(config.dropped).toEqual([
      { path: 'fallback_model[1]', reason: 'duplicate of fallback_model[0]' },
      { path: 'fallback_model[2]', reason: 'duplicate of fallback_providers[0]' },
    ]);
  });

  it.each<[string, unknown]>([
    ['another model', { provider: 'openrouter', model: 'anthropic/claude-opus-4' }],
    ['another provider', { provider: 'custom', model: 'anthropic/claude-sonnet-4', base_url: 'https://openrouter.ai/api/v1' }],
    ['another base_url', { provider: 'custom', model: 'qwen3:32b', base_url: 'http://127.0.0.1:11435/v1' }],
    ['an entry the chain does not have', { provider: 'openai', model: 'gpt-4.1' }],
  ])('keeps an entry that differs: %s', (_name, entry) => {
    expect(load(entry).dropped).toEqual([]);
  });

  it('does not deduplicate fallback_providers (the source of truth) nor against a dropped entry', () => {
    const twice = load(undefined, [chain[0], chain[0]]);
    expect(twice.fallbacks.map((f) => f.label)).toEqual(['fallback_providers[0]', 'fallback_providers[1]']);
    const config = loadRouterConfig(
      {
        ...PRIMARY,
        fallback_providers: [{ provider: 'openrouter', model: 'x', api_key_env: 'UNSET_KEY' }],
        fallback_model: { provider: 'openrouter', model: 'x' },
      },
      { env },
    );
    expect(config.dropped).toEqual([{ path: 'fallback_providers[0]', reason: 'api_key_env UNSET_KEY is not set' }]);
    expect(config.fallbacks.map((f) => f.label)).toEqual(['fallback_model']);
  });
});

describe('credentials', () => {
  const entry = (extra: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
    loadRouterConfig({ ...PRIMARY, fallback_providers: [{ provider: 'openrouter', model: 'x', ...extra }] }, { env }).fallbacks[0];

  it.each<[string, Record<string, unknown>, NodeJS.ProcessEnv, string | undefined]>([
    ['api_key (a literal) wins over everything', { api_key: 'literal-key-0001', api_key_env: 'A' }, { A: 'from-env', OPENROUTER_API_KEY: 'default' }, 'literal-key-0001'],
    ['api_key_env', { api_key_env: 'A' }, { A: 'from-a', OPENROUTER_API_KEY: 'default' }, 'from-a'],
    ['key_env (alias)', { key_env: 'B' }, { B: 'from-b', OPENROUTER_API_KEY: 'default' }, 'from-b'],
    ['api_key_env and key_env naming the same variable', { api_key_env: 'A', key_env: 'A' }, { A: 'from-a' }, 'from-a'],
    ['the provider default variable', {}, { OPENROUTER_API_KEY: 'default' }, 'default'],
    ['surrounding whitespace in a variable is trimmed', { api_key_env: 'A' }, { A: ' padded\n' }, 'padded'],
  ])('%s', (_name, extra, env, apiKey) => {
    expect(entry(extra, env)?.apiKey).toBe(apiKey);
  });

  it.each([
    ['http://127.0.0.1:8080', true],
    ['http://127.9.9.9', true],
    ['http://localhost:11434/v1', true],
    ['http://ollama.localhost', true],
    ['http://[::1]:8080', true],
    ['http://10.0.0.5:9000', true],
    ['http://172.16.0.1', true],
    ['http://172.31.255.1', true],
    ['http://192.168.1.20:8000/v1', true],
    ['http://[fd12:3456::1]', true],
    ['http://172.32.0.1', false],
    ['http://11.0.0.1', false],
    ['https://api.groq.com/openai/v1', false],
    ['http://localhost.example.com', false],
  ])('%s is local (no key needed): %s', (baseUrl, local) => {
    const config = loadRouterConfig({ ...PRIMARY, fallback_providers: [{ provider: 'groq', model: 'm', base_url: baseUrl }] }, { env: {} });
    expect(config.fallbacks.length).toBe(local ? 1 : 0);
    if (local) expect(config.fallbacks[0]?.apiKey).toBeUndefined();
  });

  it('a custom provider needs no key, even on a public address; a known key is still used there', () => {
    const custom = loadRouterConfig({ ...PRIMARY, fallback_providers: [{ provider: 'custom', model: 'm', base_url: 'https://llm.example.com/v1' }] }, { env: {} });
    expect(custom.fallbacks[0]?.apiKey).toBeUndefined();
    const facade = loadRouterConfig(PRIMARY, { env: { ANTHROPIC_API_KEY: 'sk-ant-test-00000000001' } });
    expect(facade.primary.apiKey).toBe('sk-ant-test-00000000001');
  });
});
