import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, GATEWAY_DEFAULTS, loadGatewayConfig } from '../../src/index.js';

const errorOf = (yaml: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    loadGatewayConfig(yaml, { env, file: 'router.yaml' });
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('gateway config', () => {
  it('an agent config as it is: one route answering every model with its primary and chain, default limits', () => {
    const config = loadGatewayConfig('model: qwen3:32b\nprovider: custom\nbase_url: http://127.0.0.1:11434/v1\napi_mode: chat_completions\n', { env: {} });
    expect(config.routes).toHaveLength(1);
    expect(config.routes[0]!.matches('anything-at-all')).toBe(true);
    expect(config.routes[0]!.configFor('gpt-4o').primary.model).toBe('qwen3:32b');
    expect(config).toMatchObject({ authTokens: [], maxBodyBytes: GATEWAY_DEFAULTS.maxBodyBytes, limits: { firstTokenTimeoutMs: 10_000, idleTimeoutMs: 20_000 } });
    expect(config.port).toBeUndefined();
  });

  it('the example config: an exact-pattern route and a pass_model catch-all forwarding the requested name', () => {
    const config = loadGatewayConfig(readFileSync('examples/gateway.yaml', 'utf8'), { env: { OPENROUTER_API_KEY: 'sk-or-test' } });
    const [claude, rest] = config.routes;
    expect(claude!.matches('CLAUDE-opus-4')).toBe(true);
    expect(claude!.matches('gpt-4o')).toBe(false);
    expect(rest!.configFor('meta-llama/llama-3-70b').primary).toMatchObject({ model: 'meta-llama/llama-3-70b', provider: 'openrouter' });
    expect(rest!.configFor('meta-llama/llama-3-70b').fallbacks[0]!.model).toBe('qwen3:32b');
    expect(config.port).toBe(8787);
  });

  it('reports every problem at once, with its path', () => {
    const error = errorOf(`
model: stray
routes:
  - match: ""
    model: x
    provider: custom
  - match: "gpt-*"
    model: gpt-4o
    provider: openai
    health: { cooldown: { baseMs: 5000 } }
gateway:
  port: 99999
  auth_tokens: [short]
  color: blue
`);
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['model', 'routes[0].match', 'routes[1].health', 'gateway.port', 'gateway.auth_tokens', 'gateway.color']));
    expect(paths.some((p) => p.startsWith('routes[0].'))).toBe(true);
    expect(error.message).toContain('router.yaml');
  });

  it('tokens from an environment variable, and a clear error when it is not set', () => {
    const config = loadGatewayConfig('model: m\nprovider: custom\nbase_url: http://127.0.0.1:1/v1\ngateway:\n  auth_tokens_env: GATEWAY_TOKENS\n', { env: { GATEWAY_TOKENS: 'token-one-1, token-two-2' } });
    expect(config.authTokens).toEqual(['token-one-1', 'token-two-2']);
    const error = errorOf('model: m\nprovider: custom\nbase_url: http://127.0.0.1:1/v1\ngateway:\n  auth_tokens_env: GATEWAY_TOKENS\n');
    expect(error.issues).toEqual([{ path: 'gateway.auth_tokens_env', message: 'the environment variable GATEWAY_TOKENS is not set (or empty)' }]);
    // A variable with no usable token must not leave the gateway open.
    for (const value of [',', ' , ', 'short']) {
      expect(errorOf('model: m\nprovider: custom\nbase_url: http://127.0.0.1:1/v1\ngateway:\n  auth_tokens_env: GATEWAY_TOKENS\n', { GATEWAY_TOKENS: value }).issues).toEqual([
        { path: 'gateway.auth_tokens_env', message: 'GATEWAY_TOKENS must hold comma-separated tokens of at least 8 characters each' },
      ]);
    }
  });

  it('a bad shared health: section is reported once, at its own path', () => {
    const error = errorOf('health:\n  cooldown: { jitter: 2 }\nroutes:\n  - match: "*"\n    model: m\n    provider: custom\n    base_url: http://127.0.0.1:1/v1\n');
    expect(error.issues).toEqual([{ path: 'health.cooldown.jitter', message: '2 is not allowed; use a number from 0 to 1' }]);
  });
});

