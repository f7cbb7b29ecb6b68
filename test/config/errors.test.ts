import { describe, expect, it } from 'vitest';
import { ConfigError, loadRouterConfig } from '../../src/config/index.js';
import { configError, PRIMARY, problems } from './support.js';

const CUSTOM = { provider: 'custom', model: 'm', base_url: 'http://127.0.0.1:1' };

describe('invalid config throws one ConfigError naming path, value and fix', () => {
  it.each<[string, Record<string, unknown>, string]>([
    // unknown keys: a typo silently ignored is worse than an error
    ['a misspelt top-level key', { ...PRIMARY, fallback_provider: [] }, 'fallback_provider: unknown field; did you mean fallback_providers?'],
    ['a camel-cased key', { ...PRIMARY, baseUrl: 'x' }, 'baseUrl: unknown field; did you mean base_url?'],
    ['a transposed key', { ...PRIMARY, auxilairy: {} }, 'auxilairy: unknown field; did you mean auxiliary?'],
    [
      'an unrelated top-level key',
      { ...PRIMARY, toolsets: ['web'] },
      'toolsets: unknown field; known fields here: provider, model, base_url, api_mode, api_key, api_key_env, key_env, context_window, health_scope, fallback_providers, fallback_model, auxiliary, delegation, health',
    ],
    ['a misspelt entry key', { ...PRIMARY, fallback_providers: [{ ...CUSTOM, api_key_enb: 'X' }] }, 'fallback_providers[0].api_key_enb: unknown field; did you mean api_key_env?'],
    ['a misspelt auxiliary key', { ...PRIMARY, auxiliary: { title_generation: { provdier: 'auto' } } }, 'auxiliary.title_generation.provdier: unknown field; did you mean provider?'],
    [
      'a key delegation does not have',
      { ...PRIMARY, delegation: { fallback_model: {} } },
      'delegation.fallback_model: unknown field; known fields here: provider, model, base_url, api_mode, api_key, api_key_env, key_env, context_window, health_scope, fallback_providers',
    ],
    // api_mode, scope, context window
    [
      'an api_mode that is not one',
      { ...PRIMARY, fallback_providers: [CUSTOM, { ...CUSTOM, api_mode: 'anthropic' }] },
      'fallback_providers[1].api_mode: "anthropic" is not an api mode; use anthropic_messages, chat_completions or responses',
    ],
    ['an api_mode on the primary', { ...PRIMARY, api_mode: 'messages' }, 'api_mode: "messages" is not an api mode; use anthropic_messages, chat_completions or responses'],
    [
      'an api_mode in auxiliary',
      { ...PRIMARY, auxiliary: { compression: { ...CUSTOM, api_mode: 'openai' } } },
      'auxiliary.compression.api_mode: "openai" is not an api mode; use anthropic_messages, chat_completions or responses',
    ],
    [
      'an api_mode in delegation',
      { ...PRIMARY, delegation: { provider: 'anthropic', model: 'h', api_mode: 'chat' } },
      'delegation.api_mode: "chat" is not an api mode; use anthropic_messages, chat_completions or responses',
    ],
    [
      'a health_scope that is not one',
      { ...PRIMARY, health_scope: 'provider' },
      'health_scope: "provider" is not a health scope; use endpoint (the whole address fails together) or model (each model on its own)',
    ],
    ...([0, -5, 1.5, '200k'] as const).map((value): [string, Record<string, unknown>, string] => [
      `context_window ${JSON.stringify(value)}`,
      { ...PRIMARY, fallback_providers: [{ ...CUSTOM, context_window: value }] },
      `fallback_providers[0].context_window: ${JSON.stringify(value)} is not a context window; use a positive whole number of tokens, e.g. 200000`,
    ]),
    // types
    ['a number where a model name goes', { ...PRIMARY, model: 4.1 }, 'model: 4.1 is not text; quote it ("4.1") or write a model name like claude-sonnet-4-6'],
    ['a list where a provider goes', { ...PRIMARY, fallback_providers: [{ ...CUSTOM, provider: ['a'] }] }, 'fallback_providers[0].provider: a list is not text; write a provider name like anthropic, openrouter or custom'],
    [
      'the nested Hermes model mapping',
      { model: { default: 'claude-sonnet-4-6', provider: 'anthropic' } },
      'model: a mapping is not a model name; write the model name here (model: claude-sonnet-4-6) and provider, base_url and api_mode as top-level fields',
    ],
    ['fallback_providers not a list', { ...PRIMARY, fallback_providers: { provider: 'openrouter' } }, 'fallback_providers: a mapping is not a list; write a list of entries (- provider: …  model: …), or [] for no fallback'],
    [
      'a fallback item that is not an entry',
      { ...PRIMARY, fallback_providers: ['openrouter'] },
      'fallback_providers[0]: "openrouter" is not an entry; write a mapping like { provider: openrouter, model: anthropic/claude-sonnet-4 }',
    ],
    [
      'fallback_model not an entry',
      { ...PRIMARY, fallback_model: 'gpt-4.1' },
      'fallback_model: "gpt-4.1" is not an entry; write a mapping like { provider: openrouter, model: anthropic/claude-sonnet-4 }, or a list of them',
    ],
    ['auxiliary not a mapping', { ...PRIMARY, auxiliary: ['title_generation'] }, 'auxiliary: a list is not a mapping of tasks; write e.g. auxiliary: { title_generation: { provider: auto } }'],
    [
      'an auxiliary task that is not a route',
      { ...PRIMARY, auxiliary: { title_generation: 'auto' } },
      'auxiliary.title_generation: "auto" is not a task route; write { provider: auto } or an entry like { provider: custom, base_url: …, model: … }',
    ],
    ['delegation not a mapping', { ...PRIMARY, delegation: 'inherit' }, 'delegation: "inherit" is not a mapping; write e.g. delegation: { provider: openrouter, model: anthropic/claude-haiku-4 }'],
    // urls and names, through identity
    ['a base_url that is not http(s)', { ...PRIMARY, fallback_providers: [{ ...CUSTOM, base_url: 'ftp://x' }] }, 'fallback_providers[0].base_url: "ftp://x" is not an http(s) URL; expected e.g. http://127.0.0.1:8082'],
    ['a base_url without a scheme', { ...PRIMARY, base_url: 'localhost:8082' }, 'base_url: "localhost:8082" is not an http(s) URL; expected e.g. http://127.0.0.1:8082'],
    [
      'a base_url with a query string',
      { ...PRIMARY, auxiliary: { vision: { ...CUSTOM, base_url: 'http://h/v1?x=1' } } },
      'auxiliary.vision.base_url: "http://h/v1?x=[redacted]" has a query string; a base URL is a prefix the SDK appends paths to, so it cannot carry one (expected e.g. http://127.0.0.1:8082)',
    ],
    [
      'a provider with a space',
      { ...PRIMARY, provider: 'open router' },
      'provider: "open router" contains whitespace or "|"; expected a name like anthropic, openrouter or custom',
    ],
    ['a model with a |', { ...PRIMARY, fallback_providers: [{ ...CUSTOM, model: 'a|b' }] }, 'fallback_providers[0].model: "a|b" contains "|"; expected a model name like claude-sonnet-4-6'],
    // auto
    [
      'provider: auto outside auxiliary',
      { ...PRIMARY, provider: 'auto' },
      'provider: "auto" is only allowed in auxiliary.<task>; name the provider here (anthropic, openai, openrouter, or custom with base_url)',
    ],
    [
      'provider: auto with a model',
      { ...PRIMARY, auxiliary: { title_generation: { provider: 'auto', model: 'gpt-4.1-mini' } } },
      'auxiliary.title_generation.model: "gpt-4.1-mini" cannot be combined with provider: auto (auto follows the turn\'s runtime); remove it, or name a provider to pin this task',
    ],
    // credentials fields
    [
      'api_key_env and key_env naming different variables',
      { ...PRIMARY, fallback_providers: [{ ...CUSTOM, api_key_env: 'A', key_env: 'B' }] },
      'fallback_providers[0].key_env: "B" conflicts with api_key_env "A"; key_env is an alias of api_key_env, keep only one',
    ],
    // the primary cannot be dropped
    ['a primary without model', { provider: 'anthropic' }, 'model: is missing; the primary needs one, e.g. model: claude-sonnet-4-6'],
    ['a primary without provider', { model: 'claude-sonnet-4-6' }, 'provider: is missing; the primary needs one, e.g. provider: anthropic (or custom with base_url)'],
    [
      'a primary with an unknown provider and no base_url',
      { model: 'llama', provider: 'groq' },
      'base_url: is missing and provider "groq" has no default (defaults exist for anthropic, openai, openrouter); set base_url to the address of its API (the primary cannot be dropped)',
    ],
    [
      'a primary whose key variable is unset',
      { model: 'x', provider: 'openrouter', api_key_env: 'OPENROUTER_API_KEY' },
      'api_key_env: OPENROUTER_API_KEY is not set; export OPENROUTER_API_KEY before starting, or set api_key (the primary cannot be dropped)',
    ],
    [
      'a primary on a cloud API without a key',
      { model: 'claude-sonnet-4-6', provider: 'anthropic' },
      'api_key: is missing and ANTHROPIC_API_KEY (the default for provider anthropic) is not set; export ANTHROPIC_API_KEY, or set api_key_env to the variable that holds the key (the primary cannot be dropped)',
    ],
    // the health section keeps its field paths
    ['a health value out of range', { ...PRIMARY, health: { cooldown: { baseMs: -5 } } }, 'health.cooldown.baseMs: -5 is not allowed; use a whole number of milliseconds from 1000 to 86400000'],
    ['a misspelt health field', { ...PRIMARY, health: { cooldown: { basems: 1000 } } }, 'health.cooldown.basems: unknown field; did you mean baseMs?'],
    ['a health rule between fields', { ...PRIMARY, health: { cooldown: { maxMs: 10000 } } }, 'health.cooldown.maxMs: 10000 is not allowed; use at least cooldown.baseMs (30000)'],
    ['a health section that is not a mapping', { ...PRIMARY, health: 'strict' }, 'health: "strict" is not allowed; use an object of health policy settings'],
  ])('%s', (_name, source, line) => {
    expect(problems(source)).toEqual([line]);
  });

  it.each<[string, unknown, string]>([
    ['an empty file', '', 'the config is empty; write a mapping with at least model and provider (e.g. model: claude-sonnet-4-6, provider: anthropic)'],
    ['only comments', '# nothing yet\n', 'the config is empty; write a mapping with at least model and provider (e.g. model: claude-sonnet-4-6, provider: anthropic)'],
    ['a list', '- model: x\n', 'the config is a list, not a mapping; write a mapping with at least model and provider (e.g. model: claude-sonnet-4-6, provider: anthropic)'],
    ['a scalar', 'claude', 'the config is "claude", not a mapping; write a mapping with at least model and provider (e.g. model: claude-sonnet-4-6, provider: anthropic)'],
  ])('rejects %s', (_name, source, line) => {
    expect(problems(source as string)).toEqual([line]);
  });

  it('lists every problem at once, across sections, in one error', () => {
    const error = configError(
      {
        model: 'claude-sonnet-4-6',
        provider: 'anthropic',
        base_url: 'http://127.0.0.1:8082',
        api_mode: 'anthropic',
        fallback_providers: [{ provider: 'openrouter', model: 'x', api_mode: 'chat' }, 'bad'],
        fallback_model: { provider: 'openai', model: 'gpt-4.1', context_window: -1 },
        auxiliary: { compression: { provider: 'custom', model: 'l', base_url: 'ftp://x' } },
        delegation: { provider: 'openrouter', model: 'h', health_scope: 'everything' },
        health: { thresholds: { backend_fault: 0 } },
        toolsets: [],
      },
      { env: {}, file: 'router.yaml' },
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'toolsets',
      'health.thresholds.backend_fault',
      'api_mode',
      'fallback_providers[0].api_mode',
      'fallback_providers[1]',
      'fallback_model.context_window',
      'auxiliary.compression.base_url',
      'delegation.health_scope',
    ]);
    expect(error.message.split('\n')[0]).toBe('invalid router config in router.yaml:');
    expect(error.message.split('\n')).toHaveLength(1 + 8);
    expect(error.file).toBe('router.yaml');
    expect(error.name).toBe('ConfigError');
  });
});

describe('syntax errors name the line and column', () => {
  it('YAML: every error, with its position and no copy of the line', () => {
    const error = configError('model: claude-sonnet-4-6\nprovider: anthropic\nfallback_providers: [ { provider: openrouter\napi_key: sk-or-abc: def\n', {
      env: {},
      file: 'router.yaml',
    });
    expect(error.message.split('\n')[0]).toBe('invalid router config in router.yaml:');
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.line).toBeGreaterThanOrEqual(3);
      expect(issue.column).toBeGreaterThanOrEqual(1);
      expect(issue.message).toMatch(/^YAML syntax error: .+; check the indentation and quoting there/);
    }
    expect(error.message).toMatch(/  - line \d+, column \d+: YAML syntax error: /);
    expect(error.message).not.toContain('sk-or-abc');
  });

  it.each([
    ['a value with ": " unquoted', 'model: m\nprovider: custom\nbase_url: http://x: y\n', 3, 'Nested mappings are not allowed in compact mappings'],
    ['a duplicate key', 'model: a\nprovider: anthropic\nmodel: b\n', 3, 'Map keys must be unique'],
    ['an unclosed quote (reported where the text ends)', 'model: "claude\nprovider: anthropic\n', 3, 'Missing closing "quote'],
    ['two documents', 'model: a\n---\nmodel: b\n', 2, 'Source contains multiple documents'],
  ])('YAML: %s', (_name, text, line, reason) => {
    const [issue] = configError(text).issues;
    expect(issue?.line).toBe(line);
    expect(issue?.message).toContain(reason);
  });

  it.each([
    ['an unquoted value', '{\n  "model": "m",\n  "provider": sk-or-secret-000001\n}', 3, 15],
    ['a trailing comma', '{\n  "model": "m",\n}', 3, 1],
    ['a missing brace', '{ "model": "m"', 1, 15],
  ])('strict JSON: %s', (_name, text, line, column) => {
    const [issue] = configError(text, { env: {}, format: 'json' }).issues;
    expect([issue?.line, issue?.column]).toEqual([line, column]);
    expect(issue?.message).toMatch(/^JSON syntax error: .+; check the quotes, commas and brackets there$/);
    expect(issue?.message).not.toContain('sk-or-secret');
  });
});

describe('secrets never appear in messages or labels', () => {
  const SECRET = 'sk-or-v1-SECRET-0123456789abcdef';

  it.each<[string, Record<string, unknown>, NodeJS.ProcessEnv]>([
    ['an api_key of the wrong type', { ...PRIMARY, api_key: 12345678901234 }, {}],
    ['a misspelt api_key holding a key', { ...PRIMARY, apikey: SECRET }, {}],
    ['a key pasted into api_key_env', { ...PRIMARY, fallback_providers: [{ provider: 'openrouter', model: 'x', api_key_env: SECRET }] }, {}],
    ['a key pasted into key_env', { ...PRIMARY, key_env: `Bearer ${SECRET}` }, {}],
    ['credentials in a base_url', { ...PRIMARY, base_url: `https://user:${SECRET}@proxy.example/v1` }, {}],
    ['a token as the user of a base_url', { ...PRIMARY, base_url: `https://${SECRET}@proxy.example/v1` }, {}],
    ['a key in a base_url query', { ...PRIMARY, base_url: `https://proxy.example/v1?key=${SECRET}` }, {}],
    ['an api_key literal repeated in a bad field', { ...PRIMARY, api_key: SECRET, provider: `${SECRET} x` }, {}],
    ['a key read from the environment, repeated in a bad field', { ...PRIMARY, api_key_env: 'K', health_scope: SECRET }, { K: SECRET }],
    ['a provider default key, repeated in a bad field', { ...PRIMARY, fallback_providers: [{ provider: 'openrouter', model: 'x', health_scope: SECRET }] }, { OPENROUTER_API_KEY: SECRET }],
    ['a key pasted as an auxiliary field next to auto', { ...PRIMARY, auxiliary: { t: { provider: 'auto', api_key: SECRET } } }, {}],
  ])('%s', (_name, source, env) => {
    const error = configError(source, { env });
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('0123456789abcdef');
    expect(JSON.stringify(error.issues)).not.toContain('0123456789abcdef');
  });

  it('a YAML syntax error on the line of a key does not quote it', () => {
    const error = configError(`model: m\nprovider: custom\napi_key: ${SECRET}: oops\n`);
    expect(error.issues[0]?.line).toBe(3);
    expect(error.message).not.toContain('SECRET');
  });

  it('labels are config paths; JSON and console output of a config hide the key, the entry still carries it', async () => {
    const { inspect } = await import('node:util');
    const config = loadRouterConfig(
      { ...PRIMARY, api_key: SECRET, fallback_providers: [{ provider: 'openrouter', model: 'x', api_key_env: 'K' }] },
      { env: { K: SECRET } },
    );
    for (const entry of [config.primary, ...config.fallbacks]) {
      expect(entry.label).not.toContain('SECRET');
      expect(entry.apiKey).toBe(SECRET);
      expect({ ...entry }.apiKey).toBe(SECRET); // spreading keeps it: code that copies an entry must not lose the key
    }
    expect(JSON.stringify(config)).not.toContain('SECRET');
    expect(JSON.stringify(config)).toContain('"apiKey":"***"');
    expect(inspect(config, { depth: 10 })).not.toContain('SECRET');
    expect(inspect(config.primary)).toContain("apiKey: '***'");
  });

  it('dropped reasons name variables, never values', () => {
    const config = loadRouterConfig({ ...PRIMARY, fallback_providers: [{ provider: 'openrouter', model: 'x', api_key_env: 'K' }] }, { env: { K: '' } });
    expect(config.dropped).toEqual([{ path: 'fallback_providers[0]', reason: 'api_key_env K is empty' }]);
  });
});

describe('ConfigError', () => {
  it('is exported, carries the issues as data, and names the file', () => {
    const error = new ConfigError([{ path: 'api_mode', message: '"x" is not an api mode; use anthropic_messages, chat_completions or responses' }], 'a.yaml');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('invalid router config in a.yaml:\n  - api_mode: "x" is not an api mode; use anthropic_messages, chat_completions or responses');
    expect(() => loadRouterConfig({ ...PRIMARY, api_mode: 'x' }, { env: {} })).toThrow(ConfigError);
  });
});
