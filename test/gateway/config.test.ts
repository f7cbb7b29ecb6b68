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
  it('front-door and capacity settings: safe defaults, allow-lists normalized as clients send them', () => {
    const defaults = loadGatewayConfig('model: m\nprovider: custom\nbase_url: http://127.0.0.1:1/v1\n', { env: {} });
    expect(defaults).toMatchObject({
      allowedHosts: [],
      allowedOrigins: [],
      capacity: { requestsInFlight: 128, bodyBytesInFlight: 64 * 1024 * 1024, modelNames: 256 },
      limits: { bodyTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, shutdownTimeoutMs: 30_000 },
    });
    const config = loadGatewayConfig(
      `model: m
provider: custom
base_url: http://127.0.0.1:1/v1
gateway:
  allowed_hosts: [Gateway.Internal, "10.0.0.5:8787", "[fd00::1]"]
  allowed_origins: ["http://LOCALHOST:5173", "https://app.example:443"]
  max_requests_in_flight: 8
  max_body_bytes: 4096
  max_body_bytes_in_flight: 65536
  max_model_names: 20
  body_timeout_ms: 5000
  headers_timeout_ms: 2000
  keep_alive_timeout_ms: 1000
  shutdown_timeout_ms: 0
`,
      { env: {} },
    );
    expect(config).toMatchObject({
      allowedHosts: ['gateway.internal', '10.0.0.5:8787', '[fd00::1]'],
      allowedOrigins: ['http://localhost:5173', 'https://app.example'],
      maxBodyBytes: 4096,
      capacity: { requestsInFlight: 8, bodyBytesInFlight: 65536, modelNames: 20 },
      limits: { bodyTimeoutMs: 5000, headersTimeoutMs: 2000, keepAliveTimeoutMs: 1000, shutdownTimeoutMs: 0 },
    });
  });

  it('bad front-door and capacity settings are each named with their value', () => {
    const error = errorOf(`model: m
provider: custom
base_url: http://127.0.0.1:1/v1
gateway:
  allowed_hosts: [ok.internal, "*.example.com", "http://x.example"]
  allowed_origins: ["*", "http://app.example/path", "ftp://files.example", 42]
  max_body_bytes: 8192
  max_body_bytes_in_flight: 4096
  max_requests_in_flight: 0
  body_timeout_ms: 50
`);
    const byPath = Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'gateway.allowed_hosts[1]',
        'gateway.allowed_hosts[2]',
        'gateway.allowed_origins[0]',
        'gateway.allowed_origins[1]',
        'gateway.allowed_origins[2]',
        'gateway.allowed_origins[3]',
        'gateway.body_timeout_ms',
        'gateway.max_body_bytes_in_flight',
        'gateway.max_requests_in_flight',
      ].sort(),
    );
    expect(byPath['gateway.allowed_hosts[1]']).toContain('"*.example.com"');
    expect(byPath['gateway.allowed_hosts[1]']).toContain('wildcard');
    expect(byPath['gateway.allowed_origins[0]']).toContain('a wildcard would let every web page drive the gateway');
    expect(byPath['gateway.allowed_origins[1]']).toContain('"http://app.example/path"');
    expect(byPath['gateway.allowed_origins[3]']).toBe('a string, not 42');
    expect(byPath['gateway.max_body_bytes_in_flight']).toBe('4096 is less than max_body_bytes (8192); a body of the allowed size could never be read');
    expect(byPath['gateway.body_timeout_ms']).toBe('a whole number from 100 to 3600000, not 50');
  });
});

