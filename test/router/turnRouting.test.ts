import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import { memoryJournal, openHealthRegistry } from '../../src/index.js';
import { createHealthRouter, RoutingError, type HealthRouterOptions, type RouterNotice } from '../../src/router/index.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import type { CallOutcome, Transport } from '../../src/transports/transport.js';
import { entry, routerConfig } from '../support/entries.js';
import { until } from '../support/virtualTimers.js';

// Routing logic with an in-process transport whose answers are scripted per backend; the
// end-to-end tests drive the same router through the real SDKs against local servers.
const T0 = 1_700_000_000_000;
const P = entry('model', 'anthropic', 'claude-sonnet-4-6', 'http://127.0.0.1:8082');
const F1 = entry('fallback_providers[0]', 'custom', 'qwen3:32b', 'http://127.0.0.1:11434/v1', { apiMode: 'chat_completions' });
const F2 = entry('fallback_providers[1]', 'custom', 'llama3', 'http://127.0.0.1:11435/v1', { apiMode: 'chat_completions' });
const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 64 };
const crash: ClassifiedFailure = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500, answered: true, modelSpecific: false, retrySameBackend: false };

type Script = (entry: BackendEntry) => ClassifiedFailure | undefined;

function scriptedTransport(script: Script) {
  const calls: string[] = [];
  const transport: Transport = {
    async call(e, req): Promise<CallOutcome> {
      calls.push(e.label);
      const failure = script(e);
      if (failure) return { ok: false, failure, error: new Error(failure.message) };
      return { ok: true, response: { text: `from ${e.label}: ${req.messages.length}`, toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: e.model, servedBy: e.label } };
    },
  };
  return { transport, calls };
}

async function setup(script: Script, fallbacks = [F1, F2], options: Pick<HealthRouterOptions, 'allUnhealthy'> = {}) {
  const clock = new VirtualClock(T0);
  const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: () => 0 });
  const { transport, calls } = scriptedTransport(script);
  // Active probes off: these tests count every request a turn makes; probes have their own test.
  const router = await createHealthRouter({ config: routerConfig(P, fallbacks), transport, registry, activeProbes: false, ...options });
  const notices: RouterNotice[] = [];
  router.notices$.subscribe((n) => notices.push(n));
  return { clock, registry, router, calls, notices };
}

describe('turn routing (the problem in the design)', () => {
  it('a crashed primary: the fallback serves, the title sends nothing to the primary, the next turn within the cooldown neither, and after recovery the primary is restored once', async () => {
    let primaryDown = true;
    const s = await setup((e) => (e === P && primaryDown ? crash : undefined));

    const t1 = s.router.startTurn();
    expect((await t1.main(request)).servedBy).toBe(F1.label);
    const title1 = await t1.title(request);
    expect(title1).toMatchObject({ servedBy: F1.label });
    t1.end();
    expect(s.calls).toEqual([P.label, F1.label, F1.label]);
    expect(s.notices.map((n) => n.type)).toEqual(['fallback.activated']);

    s.clock.advanceBy(20_000); // turn 2, inside the 30 s cooldown
    const t2 = s.router.startTurn();
    expect((await t2.main(request)).servedBy).toBe(F1.label);
    await t2.title(request);
    expect(s.calls.slice(3)).toEqual([F1.label, F1.label]);

    primaryDown = false;
    s.clock.advanceBy(20_000); // turn 3: the cooldown ended, the primary answers again
    const t3 = s.router.startTurn();
    expect((await t3.main(request)).servedBy).toBe(P.label);
    await t3.title(request);
    s.clock.advanceBy(20_000);
    await s.router.startTurn().main(request);
    expect(s.calls.slice(5)).toEqual([P.label, P.label, P.label]);
    expect(s.notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
    expect(s.registry.health(P.endpointKey)).toMatchObject({ status: 'healthy', streak: 0 });
  });

  it('a chain entry that aliases the failed primary is skipped without a request', async () => {
    const alias = entry('fallback_providers[0]', 'anthropic', 'claude-sonnet-4-6', 'HTTP://127.0.0.1:8082/');
    const s = await setup((e) => (e.endpointKey === P.endpointKey ? crash : undefined), [alias, F1]);
    expect((await s.router.startTurn().main(request)).servedBy).toBe(F1.label);
    expect(s.calls).toEqual([P.label, F1.label]);
  });

  it('a lone 500 is retried once on the same backend, then the turn fails over', async () => {
    const http500: ClassifiedFailure = { ...crash, kind: 'backend_fault', reason: 'http_500', retrySameBackend: true };
    const s = await setup((e) => (e === P ? http500 : undefined));
    expect((await s.router.startTurn().main(request)).servedBy).toBe(F1.label);
    expect(s.calls).toEqual([P.label, P.label, F1.label]);
    expect(s.registry.health(P.endpointKey).status).toBe('cooldown'); // two 500s reach the threshold
  });

  it('a context-length fault penalizes nothing, walks a chain of undeclared windows once each, and is surfaced when every model refuses', async () => {
    const tooLong: ClassifiedFailure = { ...crash, kind: 'request_fault', reason: 'context_length', requestFault: 'context_length', retrySameBackend: false };
    const s = await setup(() => tooLong);
    const error = await s.router.startTurn().main(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).failure?.requestFault).toBe('context_length');
    // No entry declares a window, so each model in the chain gets one chance, none a second.
    expect(s.calls).toEqual([P.label, F1.label, F2.label]);
    for (const e of [P, F1, F2]) expect(s.registry.health(e.endpointKey).status).toBe('healthy');
  });

  it('everything unhealthy, fail_fast: the title is quietly skipped and the main call fails fast naming the soonest recovery', async () => {
    const s = await setup(() => crash, [F1, F2], { allUnhealthy: 'fail_fast' });
    const error = (await s.router.startTurn().main(request).catch((e: unknown) => e)) as RoutingError;
    expect(s.calls).toEqual([P.label, F1.label, F2.label]);
    const t2 = s.router.startTurn();
    expect(await t2.title(request)).toEqual({ skipped: 'no_healthy_backend', until: T0 + 30_000 });
    expect(s.calls).toHaveLength(3);
    const again = (await t2.main(request).catch((e: unknown) => e)) as RoutingError;
    expect(again.noHealthyUntil).toBe(T0 + 30_000);
    expect(error.failure?.kind).toBe('crash');
    expect(s.notices.map((n) => n.type)).toEqual(['auxiliary.skipped']);
  });

  it('a delegated child starts on the effective runtime, shares the exclusions, and does not move the session', async () => {
    const s = await setup((e) => (e === P ? crash : undefined));
    const t = s.router.startTurn();
    await t.main(request);
    const child = t.delegate();
    expect((await child.main(request)).servedBy).toBe(F1.label);
    expect(s.calls).toEqual([P.label, F1.label, F1.label]);
  });

  it('active probes: when the primary turns half-open it gets one cheap request, and the next turn is restored on it', async () => {
    let primaryDown = true;
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: () => 0 });
    const { transport, calls } = scriptedTransport((e) => (e === P && primaryDown ? crash : undefined));
    const router = await createHealthRouter({ config: routerConfig(P, [F1]), transport, registry });
    const notices: RouterNotice[] = [];
    router.notices$.subscribe((n) => notices.push(n));
    await router.startTurn().main(request);
    clock.advanceBy(30_000); // still down: the probe fails, the next cooldown is longer
    await until('the first probe to be answered', () => calls.length === 3 && !registry.health(P.endpointKey).probeInFlight);
    expect(calls).toEqual([P.label, F1.label, P.label]);
    expect(registry.health(P.endpointKey)).toMatchObject({ status: 'cooldown', level: 2, deadline: T0 + 30_000 + 60_000 });
    primaryDown = false;
    clock.advanceBy(60_000); // the second probe succeeds: closed before any user turn
    await until('the second probe to be answered', () => calls.length === 4 && !registry.health(P.endpointKey).probeInFlight);
    expect(calls).toEqual([P.label, F1.label, P.label, P.label]);
    expect(registry.health(P.endpointKey).status).toBe('healthy');
    expect((await router.startTurn().main(request)).servedBy).toBe(P.label);
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated', 'primary.restored']);
    router.close();
  });
});
