import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { sdkTransport } from '../../src/transports/index.js';
import { ask, E2E, MESSAGES } from './harness.js';

// The health section of the config is the policy users write (docs/health.md: "Add your facade's
// own" crash signature). A router built as the README shows — `transport: sdkTransport()`, no
// classifier options — must classify with it too, on the main path as on the callback form.
describe('the config’s health policy reaches the classifier of a router built as the README shows', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('a configured crash signature makes the facade’s 500 a crash: 1 request (no same-backend retry), cooldown caused by the crash', async () => {
    const facade = await e2e.server(faults.crash('No response from Claude Code'));
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const { router, config, registry } = await e2e.router(
      `
model: claude-sonnet-4-6
provider: anthropic
base_url: ${facade.url}
fallback_providers:
  - { provider: custom, model: qwen3:32b, base_url: ${fallback.url}/v1, api_mode: chat_completions }
health:
  crashSignatures: ['process exited with code', 'No response from Claude Code']
`,
      { transport: sdkTransport() },
    );
    expect(config.health.crashSignatures).toContain('No response from Claude Code');

    expect((await router.startTurn().main(ask('hello'))).servedBy).toBe('fallback_providers[0]');
    expect(facade.paths()).toEqual([MESSAGES]);
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'cooldown', cooldownCause: 'crash', lastFailure: { kind: 'crash' } });
  });
});
