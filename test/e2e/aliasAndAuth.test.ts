import { afterEach, describe, expect, it, vi } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { answer, ask, CHAT, E2E, maxTokensOf, MESSAGES, settled, T0, type Routed, type Server } from './harness.js';

describe('a chain entry that aliases the failed primary (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('Hermes scenario 5: the same provider at an HTTP://…/ spelling of the primary address is skipped without a request; F1 serves', async () => {
    const facade = await e2e.server(faults.crash());
    const f1 = await e2e.server(faults.ok('from F1'));
    const { router, config } = await e2e.router(`
model: claude-sonnet-4-6
provider: anthropic
base_url: ${facade.url}
fallback_providers:
  - provider: anthropic
    model: claude-haiku-4
    base_url: HTTP://127.0.0.1:${facade.port}/
  - provider: custom
    model: qwen3:32b
    base_url: ${f1.url}/v1
    api_mode: chat_completions
auxiliary:
  title_generation: { provider: auto }
`);
    // The loader keeps the alias (another model), but it is the same endpoint as the primary.
    expect(config.fallbacks.map((e) => e.label)).toEqual(['fallback_providers[0]', 'fallback_providers[1]']);
    expect(config.fallbacks[0]!.endpointKey).toBe(config.primary.endpointKey);

    const turn = router.startTurn();
    expect(await turn.main(ask('hello'))).toMatchObject({ text: 'from F1', servedBy: 'fallback_providers[1]' });
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[1]' });
    turn.end();
    // One request to the facade in all: the primary's crash. The alias entry sent nothing.
    expect(facade.paths()).toEqual([MESSAGES]);
    expect(facade.fake.requests.map((r) => r.model)).toEqual(['claude-sonnet-4-6']);
    expect(f1.paths()).toEqual([CHAT, CHAT]);
  });
});

describe('401 makes a backend down until it is reset (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(async () => {
    vi.restoreAllMocks();
    await e2e.close();
  });

  const yaml = (primaryUrl: string, fallbackUrl: string) => `
model: local-claude
provider: custom
base_url: ${primaryUrl}
api_mode: anthropic_messages
api_key: sk-test-wrong
fallback_providers:
  - provider: custom
    model: qwen3:32b
    base_url: ${fallbackUrl}/v1
    api_mode: chat_completions
auxiliary:
  title_generation: { provider: auto }
`;

  /** Turn 1 gets the 401; turns at 1, 5 and 14 min (inside the 15 min down interval) send the primary nothing. */
  async function downForFourTurns(routed: Routed, primary: Server, fallback: Server): Promise<void> {
    const { router, config, registry, clock, routability } = routed;
    const t1 = router.startTurn();
    expect(await t1.main(ask('hello'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(await t1.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    t1.end();
    // One request: auth failures are not retried on the same backend.
    expect(primary.paths()).toEqual([MESSAGES]);
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'down', lastFailure: { kind: 'auth_config', status: 401 } });

    for (const minutes of [1, 5, 14]) {
      clock.advanceTo(T0 + minutes * 60_000);
      const turn = router.startTurn();
      expect((await turn.main(ask(`turn at ${minutes} min`))).servedBy).toBe('fallback_providers[0]');
      expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
      expect(await turn.delegate().main(ask('sub-task'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
      turn.end();
    }
    expect(primary.count()).toBe(1);
    expect(fallback.paths()).toEqual(Array(2 + 3 * 3).fill(CHAT));
    expect(routability(config.primary).routable).toBe(false);
  }

  it('the next turns send it nothing; after backend.reset the next turn is the probe, and the primary is restored', async () => {
    let badKey = true;
    const primary = await e2e.server((r) => (badKey ? answer(faults.unauthorized(), r) : faults.ok('primary again')));
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const routed = await e2e.router(yaml(primary.url, fallback.url), { activeProbes: false });
    await downForFourTurns(routed, primary, fallback);
    const { router, config, registry, notices, routability } = routed;

    // Someone fixes the key and resets the backend: the next turn probes the primary with its main
    // call. The library prints nothing while doing so (notices are its only output).
    const warn = vi.spyOn(console, 'warn');
    badKey = false;
    registry.record({ type: 'backend.reset', backend: config.primary.endpointKey });
    expect(routability(config.primary)).toMatchObject({ routable: true, probe: { endpoint: true } });
    const t5 = router.startTurn();
    expect(await t5.main(ask('after the fix'))).toMatchObject({ text: 'primary again', servedBy: 'model' });
    expect(await t5.title(ask('title'))).toMatchObject({ servedBy: 'model' });
    t5.end();
    expect(primary.paths()).toEqual([MESSAGES, MESSAGES, MESSAGES]);
    expect(maxTokensOf(primary.fake.requests[1])).toBe(64);
    expect(fallback.count()).toBe(11);
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'healthy' });
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('with active probes: backend.reset makes the router probe it with one token at once; the next turn is restored on it', async () => {
    let badKey = true;
    const primary = await e2e.server((r) => (badKey ? answer(faults.unauthorized(), r) : faults.ok('primary again')));
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const routed = await e2e.router(yaml(primary.url, fallback.url));
    await downForFourTurns(routed, primary, fallback);
    const { router, config, registry, notices } = routed;

    badKey = false;
    registry.record({ type: 'backend.reset', backend: config.primary.endpointKey });
    await settled(() => registry.health(config.primary.endpointKey).status === 'healthy');
    expect(primary.count()).toBe(2);
    expect(maxTokensOf(primary.fake.requests[1])).toBe(1);
    const t5 = router.startTurn();
    expect(await t5.main(ask('after the fix'))).toMatchObject({ text: 'primary again', servedBy: 'model' });
    t5.end();
    expect(primary.paths()).toEqual([MESSAGES, MESSAGES, MESSAGES]);
    expect(fallback.count()).toBe(11);
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
  });

  it('with active probes: a reset while the key is still wrong costs one probe and the backend is down again; turns still send it nothing', async () => {
    const primary = await e2e.server(faults.unauthorized());
    const fallback = await e2e.server(faults.ok('from the fallback'));
    const routed = await e2e.router(yaml(primary.url, fallback.url));
    await downForFourTurns(routed, primary, fallback);
    const { router, config, registry } = routed;

    registry.record({ type: 'backend.reset', backend: config.primary.endpointKey });
    await settled(() => registry.health(config.primary.endpointKey).status === 'down');
    expect(primary.count()).toBe(2);
    const turn = router.startTurn();
    expect((await turn.main(ask('still broken'))).servedBy).toBe('fallback_providers[0]');
    expect(primary.count()).toBe(2);
  });
});
