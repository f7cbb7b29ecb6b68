import { describe, expect, it } from 'vitest';
import { loadRouterConfig, type BackendEntry } from '../../src/config/index.js';
import { DEFAULT_HEALTH_POLICY, resolveHealthPolicy } from '../../src/policy/index.js';
import { requestUrl } from '../../src/identity/index.js';
import { HERMES_EXAMPLE, PRIMARY } from './support.js';

const ENV = { OPENROUTER_API_KEY: 'sk-or-test-0000000001', OPENAI_API_KEY: 'sk-openai-test-000002' };

function shape(e: BackendEntry | undefined) {
  if (e === undefined) return undefined;
  return { label: e.label, provider: e.provider, model: e.model, apiMode: e.apiMode, apiModeSource: e.apiModeSource, baseUrl: e.baseUrl, endpointKey: e.endpointKey };
}

describe('loadRouterConfig: the hermes.md example', () => {
  const config = loadRouterConfig(HERMES_EXAMPLE, { env: ENV });

  it('resolves the primary', () => {
    expect(shape(config.primary)).toEqual({
      label: 'model',
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      apiMode: 'anthropic_messages',
      apiModeSource: 'explicit',
      baseUrl: 'http://127.0.0.1:8082',
      endpointKey: 'anthropic|anthropic_messages|http://127.0.0.1:8082',
    });
    expect(config.primary.modelKey).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-6');
    expect(config.primary.apiKey).toBeUndefined(); // a local facade: no key needed, none configured
    expect(config.primary.scope).toBe('endpoint');
  });

  it('resolves the chain: fallback_providers in order, then fallback_model', () => {
    expect(config.fallbacks.map(shape)).toEqual([
      {
        label: 'fallback_providers[0]',
        provider: 'openrouter',
        model: 'anthropic/claude-sonnet-4',
        apiMode: 'chat_completions',
        apiModeSource: 'default',
        baseUrl: 'https://openrouter.ai/api/v1',
        endpointKey: 'openrouter|chat_completions|https://openrouter.ai/api/v1',
      },
      {
        label: 'fallback_providers[1]',
        provider: 'custom',
        model: 'qwen3:32b',
        apiMode: 'chat_completions',
        apiModeSource: 'explicit',
        baseUrl: 'http://127.0.0.1:11434/v1',
        endpointKey: 'custom|chat_completions|http://127.0.0.1:11434/v1',
      },
      {
        label: 'fallback_model',
        provider: 'openai',
        model: 'gpt-4.1',
        apiMode: 'chat_completions',
        apiModeSource: 'default',
        baseUrl: 'https://api.openai.com/v1',
        endpointKey: 'openai|chat_completions|https://api.openai.com/v1',
      },
    ]);
    expect(config.fallbacks.map((f) => f.apiKey)).toEqual([ENV.OPENROUTER_API_KEY, undefined, ENV.OPENAI_API_KEY]);
    expect(config.fallbacks.map((f) => f.scope)).toEqual(['model', 'endpoint', 'endpoint']);
  });

  it('resolves auxiliary tasks: auto, and a pinned Anthropic-compatible custom host', () => {
    expect(Object.keys(config.auxiliary)).toEqual(['title_generation', 'compression']);
    expect(config.auxiliary['title_generation']).toEqual({ mode: 'auto' });
    const compression = config.auxiliary['compression'];
    expect(compression?.mode).toBe('explicit');
    const entry = compression?.mode === 'explicit' ? compression.entry : undefined;
    expect(shape(entry)).toEqual({
      label: 'auxiliary.compression',
      provider: 'custom',
      model: 'local',
      apiMode: 'anthropic_messages',
      apiModeSource: 'explicit',
      baseUrl: 'http://127.0.0.1:9000',
      endpointKey: 'custom|anthropic_messages|http://127.0.0.1:9000',
    });
    expect(requestUrl(entry!.identity)).toBe('http://127.0.0.1:9000/v1/messages');
  });

  it('resolves delegation on its own (its provider differs from the primary)', () => {
    expect(shape(config.delegation?.entry)).toEqual({
      label: 'delegation',
      provider: 'openrouter',
      model: 'anthropic/claude-haiku-4',
      apiMode: 'chat_completions',
      apiModeSource: 'default',
      baseUrl: 'https://openrouter.ai/api/v1',
      endpointKey: 'openrouter|chat_completions|https://openrouter.ai/api/v1',
    });
    expect(config.delegation?.entry?.apiKey).toBe(ENV.OPENROUTER_API_KEY); // openrouter's default variable
    expect(config.delegation?.fallbacks).toBeUndefined();
  });

  it('drops nothing and uses the default health policy', () => {
    expect(config.dropped).toEqual([]);
    expect(config.health).toEqual(DEFAULT_HEALTH_POLICY);
  });

  it('without the keys in the environment, drops exactly the entries that need them (as docs/configuration.md says)', () => {
    const bare = loadRouterConfig(HERMES_EXAMPLE, { env: {} });
    expect(bare.dropped).toEqual([
      { path: 'fallback_providers[0]', reason: 'api_key_env OPENROUTER_API_KEY is not set' },
      { path: 'fallback_model', reason: 'api_key is missing and OPENAI_API_KEY (the default for provider openai) is not set' },
      { path: 'delegation', reason: 'api_key is missing and OPENROUTER_API_KEY (the default for provider openrouter) is not set' },
    ]);
    expect(bare.fallbacks.map((f) => f.label)).toEqual(['fallback_providers[1]']);
    expect(bare.delegation).toEqual({});
  });

  it('returns frozen data', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.primary)).toBe(true);
    expect(Object.isFrozen(config.fallbacks)).toBe(true);
  });
});

describe('Hermes scenarios (hermes.md)', () => {
  it('1: P without api_mode — main, title (auto) and a delegated child all POST …:8082/v1/messages', () => {
    const config = loadRouterConfig(
      { ...PRIMARY, auxiliary: { title_generation: { provider: 'auto' } }, delegation: { provider: 'anthropic', model: 'claude-haiku-4-5' } },
      { env: {} },
    );
    expect(config.primary.apiModeSource).toBe('provider');
    expect(requestUrl(config.primary.identity)).toBe('http://127.0.0.1:8082/v1/messages');
    // auto follows the turn's runtime, which starts as P
    expect(config.auxiliary['title_generation']).toEqual({ mode: 'auto' });
    const child = config.delegation?.entry;
    expect(shape(child)).toEqual({
      label: 'delegation',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      apiMode: 'anthropic_messages',
      apiModeSource: 'provider',
      baseUrl: 'http://127.0.0.1:8082',
      endpointKey: 'anthropic|anthropic_messages|http://127.0.0.1:8082',
    });
    expect(requestUrl(child!.identity)).toBe('http://127.0.0.1:8082/v1/messages');
    // no delegation section at all: the child inherits the parent's runtime (the router's job)
    expect(loadRouterConfig(PRIMARY, { env: {} }).delegation).toBeUndefined();
  });

  it('5: a fallback entry spelled differently from P is the same backend (same endpoint key), kept for routing to skip', () => {
    const config = loadRouterConfig(
      {
        ...PRIMARY,
        fallback_providers: [
          { provider: 'anthropic', model: 'claude-sonnet-4-6', base_url: 'HTTP://127.0.0.1:8082/' },
          { provider: 'custom', model: 'qwen3:32b', base_url: 'http://127.0.0.1:11434/v1' },
        ],
      },
      { env: {} },
    );
    const [alias, f1] = config.fallbacks;
    expect(alias?.endpointKey).toBe(config.primary.endpointKey);
    expect(alias?.modelKey).toBe(config.primary.modelKey);
    expect(f1?.endpointKey).toBe('custom|chat_completions|http://127.0.0.1:11434/v1');
    expect(config.dropped).toEqual([]);
  });

  it.each([
    ['custom', undefined],
    ['openai', undefined], // a private address needs no key even for a known provider
  ])('7: a %s fallback on a private host with api_mode: anthropic_messages POSTs /v1/messages', (provider, apiKey) => {
    const config = loadRouterConfig(
      { ...PRIMARY, fallback_providers: [{ provider, model: 'local', base_url: 'http://10.0.0.5:9000', api_mode: 'anthropic_messages' }] },
      { env: {} },
    );
    const entry = config.fallbacks[0]!;
    expect(entry.apiMode).toBe('anthropic_messages');
    expect(entry.apiModeSource).toBe('explicit');
    expect(requestUrl(entry.identity)).toBe('http://10.0.0.5:9000/v1/messages');
    expect(entry.apiKey).toBe(apiKey);
  });
});

describe('an explicit api_mode always wins', () => {
  const chat = { api_mode: 'chat_completions' };
  const config = loadRouterConfig(
    {
      model: 'claude-sonnet-4-6',
      provider: 'anthropic',
      base_url: 'https://api.anthropic.com',
      ...chat,
      fallback_providers: [
        { provider: 'custom', model: 'm', base_url: 'https://api.anthropic.com/', ...chat },
        { provider: 'custom', model: 'm', base_url: 'https://gw.example/anthropic/v1', ...chat },
        { provider: 'custom', model: 'm', base_url: 'http://127.0.0.1:8083', api_mode: 'Anthropic_Messages' },
      ],
      fallback_model: { provider: 'anthropic', model: 'claude-haiku-4-5', api_mode: 'responses' },
      auxiliary: {
        title_generation: { provider: 'anthropic', model: 'claude-haiku-4-5', ...chat },
        vision: { provider: 'custom', model: 'v', base_url: 'http://127.0.0.1:9000', api_mode: 'anthropic_messages' },
      },
      delegation: { provider: 'anthropic', model: 'claude-haiku-4-5', ...chat },
    },
    { env: { ANTHROPIC_API_KEY: 'sk-ant-test-00000000001' } },
  );
  const aux = (task: string) => {
    const route = config.auxiliary[task];
    return route?.mode === 'explicit' ? route.entry : undefined;
  };

  it.each<[string, () => BackendEntry | undefined, string, string]>([
    ['the primary on api.anthropic.com', () => config.primary, 'chat_completions', 'https://api.anthropic.com/chat/completions'],
    ['a fallback on api.anthropic.com', () => config.fallbacks[0], 'chat_completions', 'https://api.anthropic.com/chat/completions'],
    ['a fallback whose path ends in /anthropic/v1', () => config.fallbacks[1], 'chat_completions', 'https://gw.example/anthropic/v1/chat/completions'],
    ['a custom fallback (mode written in any case)', () => config.fallbacks[2], 'anthropic_messages', 'http://127.0.0.1:8083/v1/messages'],
    ['fallback_model with provider anthropic', () => config.fallbacks[3], 'responses', 'https://api.anthropic.com/responses'],
    ['an auxiliary task with provider anthropic', () => aux('title_generation'), 'chat_completions', 'https://api.anthropic.com/chat/completions'],
    ['an auxiliary task on a custom host', () => aux('vision'), 'anthropic_messages', 'http://127.0.0.1:9000/v1/messages'],
    ['delegation (same provider: inherits the address, keeps its own mode)', () => config.delegation?.entry, 'chat_completions', 'https://api.anthropic.com/chat/completions'],
  ])('%s', (_name, get, apiMode, url) => {
    const entry = get();
    expect(entry?.apiMode).toBe(apiMode);
    expect(entry?.apiModeSource).toBe('explicit');
    expect(requestUrl(entry!.identity)).toBe(url);
  });
});

describe('delegation', () => {
  const load = (delegation: unknown, env: NodeJS.ProcessEnv = {}) => loadRouterConfig({ ...PRIMARY, delegation }, { env });

  it('inherits the primary address, api mode and key when its provider is the same and it names no base_url', () => {
    const config = loadRouterConfig(
      { ...PRIMARY, api_key_env: 'FACADE_KEY', delegation: { provider: 'Anthropic', model: 'claude-haiku-4-5' } },
      { env: { FACADE_KEY: 'facade-key-000000001' } },
    );
    const child = config.delegation?.entry;
    expect(child?.baseUrl).toBe('http://127.0.0.1:8082');
    expect(child?.apiMode).toBe('anthropic_messages');
    expect(child?.apiKey).toBe('facade-key-000000001');
  });

  it('with an api_mode of its own, keeps the inherited address and its own mode', () => {
    const child = load({ provider: 'anthropic', model: 'h', api_mode: 'chat_completions' }).delegation?.entry;
    expect([child?.baseUrl, child?.apiMode, child?.apiModeSource]).toEqual(['http://127.0.0.1:8082', 'chat_completions', 'explicit']);
  });

  it('with a base_url of its own, is resolved on its own (no inherited mode or key)', () => {
    const child = load({ provider: 'anthropic', model: 'h', base_url: 'http://127.0.0.1:8090/v1' }).delegation?.entry;
    expect([child?.baseUrl, child?.apiMode, child?.apiModeSource, child?.apiKey]).toEqual([
      'http://127.0.0.1:8090/v1',
      'anthropic_messages',
      'provider',
      undefined,
    ]);
  });

  it('with another provider, is resolved on its own', () => {
    const child = load({ provider: 'openai', model: 'gpt-4.1-mini' }, { OPENAI_API_KEY: 'sk-openai-test-000002' }).delegation?.entry;
    expect([child?.baseUrl, child?.apiMode, child?.apiModeSource]).toEqual(['https://api.openai.com/v1', 'chat_completions', 'default']);
  });

  it('resolves its own fallback_providers as its chain, labelled under delegation', () => {
    const config = load({
      provider: 'custom',
      model: 'child',
      base_url: 'http://127.0.0.1:7000',
      fallback_providers: [{ provider: 'custom', model: 'q', base_url: 'http://127.0.0.1:11434/v1' }, { provider: 'openrouter', model: 'x' }],
    });
    expect(config.delegation?.entry?.label).toBe('delegation');
    expect(config.delegation?.fallbacks?.map((e) => e.label)).toEqual(['delegation.fallback_providers[0]']);
    expect(config.dropped).toEqual([
      { path: 'delegation.fallback_providers[1]', reason: 'api_key is missing and OPENROUTER_API_KEY (the default for provider openrouter) is not set' },
    ]);
  });

  it.each([
    ['absent', undefined, undefined],
    ['null (a bare `delegation:`)', null, undefined],
    ['empty: inherit', {}, {}],
    ['only a chain: inherit the runtime, use this chain', { fallback_providers: [] }, { fallbacks: [] }],
  ])('%s', (_name, delegation, expected) => {
    expect(load(delegation).delegation).toEqual(expected);
  });
});

describe('the chain', () => {
  it('fallback_providers: [] means no fallback', () => {
    const config = loadRouterConfig({ ...PRIMARY, fallback_providers: [] }, { env: {} });
    expect(config.fallbacks).toEqual([]);
    expect(config.dropped).toEqual([]);
  });

  it('fallback_model as a list is appended after fallback_providers, labelled by index', () => {
    const config = loadRouterConfig(
      {
        ...PRIMARY,
        fallback_providers: [{ provider: 'custom', model: 'a', base_url: 'http://127.0.0.1:1' }],
        fallback_model: [
          { provider: 'custom', model: 'b', base_url: 'http://127.0.0.1:2' },
          { provider: 'custom', model: 'c', base_url: 'http://127.0.0.1:3' },
        ],
      },
      { env: {} },
    );
    expect(config.fallbacks.map((f) => [f.label, f.model])).toEqual([
      ['fallback_providers[0]', 'a'],
      ['fallback_model[0]', 'b'],
      ['fallback_model[1]', 'c'],
    ]);
  });

  it('keeps context_window and health_scope per entry; health.scope sets the default scope', () => {
    const config = loadRouterConfig(
      {
        ...PRIMARY,
        context_window: 200000,
        fallback_providers: [
          { provider: 'custom', model: 'big', base_url: 'http://127.0.0.1:1', context_window: 1000000, health_scope: 'model' },
          { provider: 'openrouter', model: 'x', health_scope: 'ENDPOINT' },
          { provider: 'openrouter', model: 'y' },
        ],
      },
      { env: { OPENROUTER_API_KEY: 'sk-or-test-0000000001' } },
    );
    expect(config.primary.contextWindow).toBe(200000);
    expect(config.fallbacks.map((f) => [f.scope, f.contextWindow])).toEqual([
      ['model', 1000000],
      ['endpoint', undefined],
      ['model', undefined],
    ]);
    const scoped = loadRouterConfig(
      { ...PRIMARY, health: { scope: 'model' }, fallback_providers: [{ provider: 'openrouter', model: 'y' }, { provider: 'custom', model: 'z', base_url: 'http://127.0.0.1:1', health_scope: 'endpoint' }] },
      { env: { OPENROUTER_API_KEY: 'sk-or-test-0000000001' } },
    );
    expect([scoped.primary.scope, ...scoped.fallbacks.map((f) => f.scope)]).toEqual(['model', 'model', 'endpoint']);
    const endpointWide = loadRouterConfig({ ...PRIMARY, health: { scope: 'endpoint' }, fallback_providers: [{ provider: 'openrouter', model: 'y' }] }, { env: { OPENROUTER_API_KEY: 'sk-or-test-0000000001' } });
    expect(endpointWide.fallbacks[0]?.scope).toBe('endpoint');
  });

  it('treats blank strings and null as not set (Hermes writes model: "" for unset fields)', () => {
    const config = loadRouterConfig(
      { ...PRIMARY, api_mode: '', api_key: null, auxiliary: { vision: { provider: 'auto', model: '', base_url: '', api_key: '' } }, fallback_model: null },
      { env: {} },
    );
    expect(config.primary.apiModeSource).toBe('provider');
    expect(config.auxiliary['vision']).toEqual({ mode: 'auto' });
    expect(config.fallbacks).toEqual([]);
  });
});

describe('health section', () => {
  it('is resolved by resolveHealthPolicy', () => {
    const health = { cooldown: { baseMs: 10000, maxMs: 120000 }, thresholds: { backend_fault: 3 } };
    expect(loadRouterConfig({ ...PRIMARY, health }, { env: {} }).health).toEqual(resolveHealthPolicy(health));
    expect(loadRouterConfig({ ...PRIMARY, health: null }, { env: {} }).health).toEqual(DEFAULT_HEALTH_POLICY);
  });
});

describe('input forms', () => {
  const object = {
    ...PRIMARY,
    fallback_providers: [{ provider: 'openrouter', model: 'anthropic/claude-sonnet-4', api_key_env: 'OPENROUTER_API_KEY' }],
    auxiliary: { title_generation: { provider: 'auto' } },
  };
  const env = { OPENROUTER_API_KEY: 'sk-or-test-0000000001' };
  const expected = loadRouterConfig(object, { env });

  it.each([
    ['JSON text, read by the YAML parser', JSON.stringify(object), {}],
    ['pretty JSON text with format: json', JSON.stringify(object, null, 2), { format: 'json' as const }],
    ['an already-parsed object', object, {}],
  ])('%s gives the same config as YAML', (_name, source, options) => {
    expect(JSON.stringify(loadRouterConfig(source, { ...options, env }))).toBe(JSON.stringify(expected));
    expect(loadRouterConfig(source, { ...options, env }).fallbacks[0]?.apiKey).toBe(env.OPENROUTER_API_KEY);
  });

  it('reads YAML 1.2: yes/no/on stay strings, anchors work', () => {
    const config = loadRouterConfig(
      'model: "on"\nprovider: custom\nbase_url: &local http://127.0.0.1:8082\nfallback_providers:\n  - { provider: custom, model: yes, base_url: *local }\n',
      { env: {} },
    );
    expect(config.primary.model).toBe('on');
    expect(config.fallbacks[0]?.model).toBe('yes');
    expect(config.fallbacks[0]?.baseUrl).toBe('http://127.0.0.1:8082');
  });

  it('uses process.env when no env is given', () => {
    const name = 'LLM_HEALTH_ROUTER_TEST_KEY';
    process.env[name] = 'from-process-env-0001';
    try {
      const config = loadRouterConfig({ ...PRIMARY, fallback_providers: [{ provider: 'openrouter', model: 'x', api_key_env: name }] });
      expect(config.fallbacks[0]?.apiKey).toBe('from-process-env-0001');
    } finally {
      delete process.env[name];
    }
  });
});
