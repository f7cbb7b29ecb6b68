import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readRouterConfig } from '../../src/config/index.js';
import { HERMES_EXAMPLE } from './support.js';

describe('readRouterConfig', () => {
  let dir: string;
  const env = { OPENROUTER_API_KEY: 'sk-or-test-0000000001', OPENAI_API_KEY: 'sk-openai-test-000002' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'router-config-'));
    await writeFile(join(dir, 'router.yaml'), HERMES_EXAMPLE);
    await writeFile(join(dir, 'router.json'), JSON.stringify({ model: 'm', provider: 'custom', base_url: 'http://127.0.0.1:1' }, null, 2));
    await writeFile(join(dir, 'broken.yaml'), 'model: m\nprovider: custom\n  base_url: http://127.0.0.1:1\n');
    await writeFile(join(dir, 'invalid.yaml'), 'model: m\nprovider: custom\nbase_url: http://127.0.0.1:1\napi_mode: anthropic\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a YAML file', async () => {
    const config = await readRouterConfig(join(dir, 'router.yaml'), { env });
    expect(config.primary.label).toBe('model');
    expect(config.fallbacks.map((f) => f.label)).toEqual(['fallback_providers[0]', 'fallback_providers[1]', 'fallback_model']);
  });

  it.each([{}, { format: 'json' as const }])('reads a JSON file (%j)', async (options) => {
    const config = await readRouterConfig(join(dir, 'router.json'), { ...options, env: {} });
    expect(config.primary.endpointKey).toBe('custom|chat_completions|http://127.0.0.1:1');
  });

  it.each([
    ['a missing file', 'missing.yaml', /cannot read the file: no such file; check the path/],
    ['a directory', '.', /cannot read the file: it is a directory/],
    ['a syntax error', 'broken.yaml', /line 2, column 11: YAML syntax error: Nested mappings are not allowed in compact mappings; check the indentation/],
    ['an invalid value', 'invalid.yaml', /api_mode: "anthropic" is not an api mode/],
  ])('names the file in every error: %s', async (_name, file, detail) => {
    const path = join(dir, file);
    const error = await readRouterConfig(path, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(path);
    expect((error as ConfigError).message.split('\n')[0]).toBe(`invalid router config in ${path}:`);
    expect((error as ConfigError).message).toMatch(detail);
  });
});
