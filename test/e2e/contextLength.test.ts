import { afterEach, describe, expect, it } from 'vitest';
import { RoutingError, type HealthRouterOptions } from '../../src/index.js';
import { faults, type FakeRequest } from '../../src/testing/index.js';
import { CONDITION_BOUND_MS } from '../support/virtualTimers.js';
import { answer, ask, CHAT, E2E, MESSAGES, rejection } from './harness.js';

// A context-length 400 is the request's fault: never retried on the same backend, never a
// penalty. It moves to an entry that can take the request: one configured with a larger context
// window, or one of the chain that declares none and runs another model.
const yaml = (primaryUrl: string, fallbackUrl: string, windows: { primary?: number; fallback?: number } = {}, fallbackModel = 'qwen3:32b') => `
model: claude-sonnet-4-6
provider: anthropic
base_url: ${primaryUrl}
${windows.primary ? `context_window: ${windows.primary}` : ''}
fallback_providers:
  - provider: custom
    model: ${fallbackModel}
    base_url: ${fallbackUrl}/v1
    api_mode: chat_completions
${windows.fallback ? `    context_window: ${windows.fallback}` : ''}
auxiliary:
  title_generation: { provider: auto }
`;

describe('a context-length 400 (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  const policies: [string, HealthRouterOptions['allUnhealthy']][] = [
    ['fail_fast', 'fail_fast'],
    ['try_soonest', 'try_soonest'],
    ['waitUpToMs 1000', { waitUpToMs: 1_000 }],
  ];

  it.each(policies)('when every model refuses (allUnhealthy %s): one request each, surfaced as RoutingError context_length, nothing penalized', async (_, allUnhealthy) => {
    // The long prompt is too long every time it is sent, everywhere; anything else is answered.
    const tooLong = (ok: string) => (r: FakeRequest) => (JSON.stringify(r.body).includes('a very long prompt') ? answer(faults.contextLength(), r) : faults.ok(ok));
    const primary = await e2e.server(tooLong('from the primary'));
    const fallback = await e2e.server(tooLong('from the fallback'));
    const { router, config, registry, notices, routability } = await e2e.router(yaml(primary.url, fallback.url), { allUnhealthy });

    const turn = router.startTurn();
    // The signal only bounds a misbehaving router (a loop would otherwise outlive the test); it
    // measures nothing, so it is as long as a condition wait may be (CONDITION_BOUND_MS).
    const error = await rejection(turn.main(ask('a very long prompt'), { signal: AbortSignal.timeout(CONDITION_BOUND_MS) }));
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).failure).toMatchObject({ kind: 'request_fault', requestFault: 'context_length', status: 400 });
    // Neither declares a window: the chain's other model was worth one try; neither was retried.
    expect(primary.paths()).toEqual([MESSAGES]);
    expect(fallback.paths()).toEqual([CHAT]);
    // Nothing penalized: the primary is healthy and routable, and stays the session's backend.
    for (const e of [config.primary, config.fallbacks[0]!]) expect(registry.health(e.endpointKey)).toMatchObject({ status: 'healthy', streak: 0 });
    expect(routability(config.primary).routable).toBe(true);
    expect(notices).toEqual([]);
    // The same turn's title and the next turn still go to the primary.
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'model' });
    expect(await router.startTurn().main(ask('short'))).toMatchObject({ servedBy: 'model' });
    expect(primary.count()).toBe(3);
    expect(fallback.count()).toBe(1);
  });

  it('with no window configured anywhere: the chain\'s other model takes the request; the primary is not penalized', async () => {
    const primary = await e2e.server();
    const fallback = await e2e.server(faults.ok('from the fallback'));
    primary.fake.enqueue(faults.contextLength());
    const { router, config, registry } = await e2e.router(yaml(primary.url, fallback.url));
    expect(await router.startTurn().main(ask('a very long prompt'))).toMatchObject({ text: 'from the fallback', servedBy: 'fallback_providers[0]' });
    expect(primary.paths()).toEqual([MESSAGES]);
    expect(fallback.paths()).toEqual([CHAT]);
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'healthy', streak: 0 });
  });

  it('a chain entry of undeclared window running the model that refused is skipped without a request', async () => {
    const primary = await e2e.server(faults.contextLength());
    const fallback = await e2e.server(faults.ok('never'));
    // The same model on another host (say, a second facade): its window is the same.
    const { router } = await e2e.router(yaml(primary.url, fallback.url, {}, 'Claude-Sonnet-4-6'));
    const error = await rejection(router.startTurn().main(ask('a very long prompt')));
    expect((error as RoutingError).failure).toMatchObject({ requestFault: 'context_length' });
    expect(primary.count()).toBe(1);
    expect(fallback.count()).toBe(0);
  });

  it('with a configured larger context_window on a fallback: moves there; the primary is not penalized and the next turn is on it again', async () => {
    const primary = await e2e.server();
    const fallback = await e2e.server(faults.ok('from the 1M-token fallback'));
    primary.fake.enqueue(faults.contextLength());
    const { router, config, registry, notices } = await e2e.router(yaml(primary.url, fallback.url, { primary: 200_000, fallback: 1_000_000 }));
    expect(config.fallbacks[0]!.contextWindow).toBe(1_000_000);

    const turn = router.startTurn();
    expect(await turn.main(ask('a very long prompt'))).toMatchObject({ text: 'from the 1M-token fallback', servedBy: 'fallback_providers[0]' });
    expect(primary.paths()).toEqual([MESSAGES]);
    expect(fallback.paths()).toEqual([CHAT]);
    expect(registry.health(config.primary.endpointKey)).toMatchObject({ status: 'healthy', streak: 0 });
    // The title follows the turn's effective runtime.
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    turn.end();

    // Next turn: the primary is routable, so the turn starts there again.
    const next = router.startTurn();
    expect(await next.main(ask('short'))).toMatchObject({ servedBy: 'model' });
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
  });

  it('a fallback configured with a smaller or equal context_window is skipped without a request', async () => {
    const primary = await e2e.server(faults.contextLength());
    const fallback = await e2e.server(faults.ok('never'));
    const { router } = await e2e.router(yaml(primary.url, fallback.url, { primary: 200_000, fallback: 128_000 }));
    const error = await rejection(router.startTurn().main(ask('a very long prompt')));
    expect((error as RoutingError).failure).toMatchObject({ requestFault: 'context_length' });
    expect(primary.count()).toBe(1);
    expect(fallback.count()).toBe(0);
  });
});
