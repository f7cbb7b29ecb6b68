import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { createHealthRouter, loadRouterConfig, memoryJournal, openHealthRegistry } from '../../src/index.js';
import { FakeBackend, faults, type StartedFakeBackend } from '../../src/testing/index.js';
import { sdkTransport } from '../../src/transports/index.js';

// The callback form: the agent makes the SDK call itself on the client the router chose; what it
// throws is classified and routed like any transport failure.
describe('turn.main(callback) with the real SDKs', () => {
  const facade = new FakeBackend({ fallback: faults.crash() });
  const fallback = new FakeBackend({ fallback: faults.ok('fallback text') });
  let servers: StartedFakeBackend[] = [];
  beforeAll(async () => {
    servers = [await facade.start(), await fallback.start()];
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('runs the callback on the primary’s Anthropic client, then on the fallback’s OpenAI client after the crash', async () => {
    const config = loadRouterConfig(
      { model: 'claude-sonnet-4-6', provider: 'anthropic', base_url: servers[0]!.url, fallback_providers: [{ provider: 'custom', model: 'qwen3:32b', base_url: `${servers[1]!.url}/v1`, api_mode: 'chat_completions' }] },
      { env: {} },
    );
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock: new VirtualClock(1_700_000_000_000), policy: config.health });
    const router = await createHealthRouter({ config, transport: sdkTransport(), registry, activeProbes: false });
    const kinds: string[] = [];
    const text = await router.startTurn().main(async ({ sdk, entry, signal }) => {
      kinds.push(`${sdk.kind}:${entry.label}`);
      if (sdk.kind === 'anthropic') {
        const m = await sdk.client.messages.create({ model: entry.model, max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }, signal ? { signal } : {});
        return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      }
      const c = await sdk.client.chat.completions.create({ model: entry.model, messages: [{ role: 'user', content: 'hi' }] }, signal ? { signal } : {});
      return c.choices[0]?.message.content ?? '';
    });
    expect(text).toBe('fallback text');
    expect(kinds).toEqual(['anthropic:model', 'openai:fallback_providers[0]']);
    expect(facade.count('/v1/messages')).toBe(1);
    expect(registry.health(config.primary.endpointKey).status).toBe('cooldown'); // the crash signature, seen through captureErrorBodies
    router.close();
  });
});
