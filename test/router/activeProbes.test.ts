import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import { ConfigError, loadGatewayConfig, loadRouterConfig, memoryJournal, openHealthRegistry, startGateway } from '../../src/index.js';
import { FakeBackend, faults } from '../../src/testing/index.js';
import { createHealthRouter } from '../../src/router/index.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import type { CallOutcome, Transport } from '../../src/transports/transport.js';
import { entry, routerConfig } from '../support/entries.js';

const T0 = 1_700_000_000_000;
const P = entry('model', 'anthropic', 'claude-sonnet-4-6', 'http://127.0.0.1:8082');
const F1 = entry('fallback_providers[0]', 'custom', 'qwen3:32b', 'http://127.0.0.1:11434/v1', { apiMode: 'chat_completions' });
const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 64 };
const crash: ClassifiedFailure = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500, answered: true, modelSpecific: false, retrySameBackend: false };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('active probes', () => {
  it('a transport that throws on a probe fails that probe (recorded, slot released); nothing escapes into the process', async () => {
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: () => 0 });
    const probes: string[] = [];
    const transport: Transport = {
      async call(e, req) {
        if (req.maxTokens === 1) {
          probes.push(e.label);
          throw new Error('the Anthropic SDK is not installed');
        }
        if (e === P) return { ok: false, failure: crash, error: new Error('crash') };
        return { ok: true, response: { text: 'ok', toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: e.model, servedBy: e.label } };
      },
    };
    const router = await createHealthRouter({ config: routerConfig(P, [F1]), transport, registry });
    await router.startTurn().main(request);
    expect(registry.health(P.endpointKey).status).toBe('cooldown');
    clock.advanceTo(T0 + 30_000); // the cooldown ends: the router probes at once
    await tick();
    await tick();
    expect(probes).toEqual(['model']);
    const view = registry.health(P.endpointKey);
    // The failed probe put the backend back in cooldown, one level up, and holds no probe slot.
    expect(view).toMatchObject({ status: 'cooldown', level: 2, probeInFlight: false });
    expect(view.lastFailure?.message).toContain('the Anthropic SDK is not installed');
    await router.close();
    await registry.close();
  });
});

const rateLimited: ClassifiedFailure = { kind: 'rate_limited', reason: 'http_429', message: '429 slow down', status: 429, answered: true, modelSpecific: false, retrySameBackend: false };
const ok = (e: typeof P): CallOutcome => ({ ok: true, response: { text: 'ok', toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: e.model, servedBy: e.label } });

/** Moves the clock in 1 s steps, letting what each step started (an active probe) finish before the next. */
async function walk(clock: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1_000) {
    clock.advanceBy(1_000);
    await tick();
    await tick();
  }
}

describe('active probes under control', () => {
  it('a model that only ever answers 429 (no hint) is probed at growing intervals while its route has turns, and not at all once nobody routes to it', async () => {
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: () => 0 });
    const probes: number[] = [];
    const transport: Transport = {
      async call(e, req) {
        if (e !== P) return ok(e);
        if (req.maxTokens === 1) probes.push((clock.now() - T0) / 1_000);
        return { ok: false, failure: rateLimited, error: new Error('429') };
      },
    };
    // The default traffic window: 10 minutes.
    const router = await createHealthRouter({ config: routerConfig(P, [F1]), transport, registry });
    expect((await router.startTurn().main(request)).servedBy).toBe(F1.label);
    await walk(clock, 3 * 3600_000);
    // Cooldowns of 60, 120, 240 s (the rate-limit streak), each ended by a probe that got 429 again;
    // the next one (300 s) ends at 720 s, past the 600 s window without a turn: no probe, ever.
    expect(probes).toEqual([60, 180, 420]);
    // A turn comes back: the held-back probe goes at once (the backend is half-open by now), before the turn picks its backend.
    expect((await router.startTurn().main(request)).servedBy).toBe(F1.label);
    await tick();
    expect(probes).toEqual([60, 180, 420, 3 * 3600 + 0]);
    await router.close();
    await registry.close();
  });

  it('health.probe.active: false in the config turns them off (the next user turn is the probe); a bad value is named', async () => {
    const yaml = (active: unknown) => ({
      model: 'claude-sonnet-4-6',
      provider: 'anthropic',
      base_url: 'http://127.0.0.1:8082',
      fallback_providers: [{ provider: 'custom', model: 'qwen3:32b', base_url: 'http://127.0.0.1:11434/v1', api_mode: 'chat_completions' }],
      health: { probe: { active } },
    });
    const config = loadRouterConfig(yaml(false), { env: {} });
    expect(config.health.probe.active).toBe(false);
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: () => 0, policy: config.health });
    const calls: string[] = [];
    const transport: Transport = {
      async call(e, req) {
        calls.push(`${e.label}${req.maxTokens === 1 ? ' (probe)' : ''}`);
        return e === config.primary && calls.length === 1 ? { ok: false, failure: crash, error: new Error('crash') } : ok(e);
      },
    };
    const router = await createHealthRouter({ config, transport, registry });
    await router.startTurn().main(request);
    await walk(clock, 120_000);
    expect(calls).toEqual(['model', 'fallback_providers[0]']);
    expect(registry.health(config.primary.endpointKey).status).toBe('recovering');
    expect((await router.startTurn().main(request)).servedBy).toBe('model');
    expect(calls).toEqual(['model', 'fallback_providers[0]', 'model']);
    await router.close();
    await registry.close();

    expect(() => loadRouterConfig(yaml('no'), { env: {} })).toThrow(ConfigError);
    expect(() => loadRouterConfig(yaml('no'), { env: {} })).toThrow(/health\.probe\.active/);
    expect(() => loadRouterConfig({ ...yaml(true), health: { probe: { trafficWindowMs: 5 } } }, { env: {} })).toThrow(/health\.probe\.trafficWindowMs/);
  });

  it('the gateway follows the shared health section: probe.active false sends no probe, the default sends one', async () => {
    for (const active of [false, true]) {
      const primary = new FakeBackend({ fallback: faults.crash() });
      const fallback = new FakeBackend({ fallback: faults.ok('from the fallback') });
      const [p, f] = [await primary.start(), await fallback.start()];
      const clock = new VirtualClock(T0);
      const config = loadGatewayConfig(
        `model: m\nprovider: custom\nbase_url: ${p.url}/v1\napi_mode: chat_completions\nfallback_providers:\n  - { provider: custom, model: f, base_url: ${f.url}/v1, api_mode: chat_completions }\nhealth:\n  probe: { active: ${active} }\n`,
        { env: {} },
      );
      const gateway = await startGateway({ config, clock });
      try {
        const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
        expect(response.status).toBe(200);
        expect(primary.requests).toHaveLength(1);
        const claims: string[] = [];
        gateway.registry.events$.subscribe((fact) => fact.type === 'probe.started' && claims.push(fact.backend));
        clock.advanceBy(40_000); // the crash cooldown is over: half-open
        // The prober decides within the microtasks after the change (it claims before it sends).
        await tick();
        await tick();
        expect(claims).toHaveLength(active ? 1 : 0);
        if (active) {
          // Bounded in real time, far beyond a local round trip.
          for (let i = 0; i < 1_000 && primary.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
          expect((primary.requests[1]!.body as { max_tokens?: number }).max_tokens).toBe(1);
        } else {
          expect(primary.requests).toHaveLength(1);
        }
      } finally {
        await gateway.close();
        await p.close();
        await f.close();
      }
    }
  });
});
