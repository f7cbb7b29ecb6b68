import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { createHealthRouter, loadRouterConfig, memoryJournal, openHealthRegistry, type RouterNotice } from '../../src/index.js';
import { FakeBackend, faults, type StartedFakeBackend } from '../../src/testing/index.js';
import { sdkTransport } from '../../src/transports/index.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import { CONDITION_BOUND_MS, until } from '../support/virtualTimers.js';

// The design's problem, end to end: the real Anthropic and OpenAI SDKs against local servers.
// Health time is simulated (a VirtualClock), the HTTP is real; the servers count every request.
const T0 = 1_700_000_000_000;
/** Waits (real time) for something the router does in the background, such as an active probe; the bound only names a hang. */
const settled = (done: () => boolean): Promise<void> => until('the router', done);

const ask = (text: string): NeutralRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], maxTokens: 64 });

describe('a crashed Anthropic-compatible facade (end to end, real SDKs)', () => {
  let facadeDown = true;
  const facade = new FakeBackend({ fallback: () => (facadeDown ? faults.crash() : faults.ok('from the facade')) });
  const fallback = new FakeBackend({ fallback: faults.ok('from the fallback') });
  let servers: StartedFakeBackend[] = [];
  beforeAll(async () => {
    servers = [await facade.start(), await fallback.start()];
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('fallback serves, the title never reaches the dead facade, the next turn skips it, and recovery restores it once', async () => {
    const [facadeUrl, fallbackUrl] = servers.map((s) => s.url) as [string, string];
    const config = loadRouterConfig(`
model: claude-sonnet-4-6
provider: anthropic
base_url: ${facadeUrl}
fallback_providers:
  - provider: custom
    model: qwen3:32b
    base_url: ${fallbackUrl}/v1
    api_mode: chat_completions
auxiliary:
  title_generation: { provider: auto }
`, { env: {} });
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock, policy: config.health });
    const router = await createHealthRouter({ config, transport: sdkTransport(), registry, limits: { timeoutMs: CONDITION_BOUND_MS } });
    const notices: RouterNotice[] = [];
    router.notices$.subscribe((n) => notices.push(n));
    const facadeRequests = () => facade.count();

    // Turn 1: the facade crashes; the fallback answers; the title goes to the fallback too.
    const t1 = router.startTurn();
    expect(await t1.main(ask('hello'))).toMatchObject({ text: 'from the fallback', servedBy: 'fallback_providers[0]' });
    expect(await t1.title(ask('title please'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    t1.end();
    expect(facadeRequests()).toBe(1);
    expect(facade.requests.map((r) => r.path)).toEqual(['/v1/messages']);

    // Turn 2, 20 s later: inside the cooldown, the facade gets nothing.
    clock.advanceBy(20_000);
    const t2 = router.startTurn();
    expect((await t2.main(ask('again'))).servedBy).toBe('fallback_providers[0]');
    await t2.title(ask('title'));
    expect(facadeRequests()).toBe(1);

    // The facade recovers; its cooldown ends 10 s later: the router probes it with one cheap
    // request at once (active probes), before any user turn is spent on it.
    facadeDown = false;
    clock.advanceBy(20_000);
    await settled(() => registry.health(config.primary.endpointKey).status === 'healthy');
    expect(facadeRequests()).toBe(2);
    expect((facade.requests[1]!.body as { max_tokens: number }).max_tokens).toBe(1);
    const t3 = router.startTurn();
    expect(await t3.main(ask('back?'))).toMatchObject({ text: 'from the facade', servedBy: 'model' });
    await t3.title(ask('title'));
    clock.advanceBy(20_000);
    await router.startTurn().main(ask('still?'));
    expect(facadeRequests()).toBe(5);
    expect(facade.requests.every((r) => r.path === '/v1/messages')).toBe(true);
    expect(fallback.requests.every((r) => r.path === '/v1/chat/completions')).toBe(true);
    expect(fallback.count()).toBe(4);
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'healthy', streak: 0 });
    router.close();
  });
});
