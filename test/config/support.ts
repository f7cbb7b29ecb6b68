import { expect } from 'vitest';
import { ConfigError, formatIssue, loadRouterConfig, type LoadRouterConfigOptions } from '../../src/config/index.js';

/** The example config of `hermes.md`, verbatim. */
export const HERMES_EXAMPLE = `
model: claude-sonnet-4-6            # main runtime
provider: anthropic
base_url: http://127.0.0.1:8082     # an Anthropic-compatible facade
api_mode: anthropic_messages        # optional; explicit always wins
fallback_providers:                 # ordered chain, the source of truth
  - provider: openrouter
    model: anthropic/claude-sonnet-4
    api_key_env: OPENROUTER_API_KEY # also: api_key, key_env
  - provider: custom
    model: qwen3:32b
    base_url: http://127.0.0.1:11434/v1
    api_mode: chat_completions
fallback_model:                     # legacy: one entry or a list, appended after fallback_providers,
  provider: openai                  # deduplicated by (provider, model, base_url without trailing /), case-insensitive
  model: gpt-4.1
auxiliary:
  title_generation: { provider: auto }          # auto = follow the live main runtime
  compression: { provider: custom, base_url: http://127.0.0.1:9000, api_mode: anthropic_messages, model: local }
delegation:                         # sub-agents; absent = inherit the parent's runtime
  provider: openrouter
  model: anthropic/claude-haiku-4
`;

/** A primary that always resolves, for tests about other sections. */
export const PRIMARY = { model: 'claude-sonnet-4-6', provider: 'anthropic', base_url: 'http://127.0.0.1:8082' } as const;

/** Load expecting a ConfigError; return it. */
export function configError(source: string | object, options: LoadRouterConfigOptions = { env: {} }): ConfigError {
  try {
    loadRouterConfig(source, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** Every issue of a failing load, one formatted line each. */
export function problems(source: string | object, options: LoadRouterConfigOptions = { env: {} }): string[] {
  return configError(source, options).issues.map(formatIssue);
}
