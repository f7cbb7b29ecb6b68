import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import type { BackendEntry } from '../../src/config/routerConfig.js';
import type { HealthFact } from '../../src/journal/facts.js';
import { memoryJournal, openHealthRegistry } from '../../src/index.js';
import { createHealthRouter, RoutingError, type HealthRouterOptions } from '../../src/router/index.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import type { CallOutcome, Transport } from '../../src/transports/transport.js';
import { entry, routerConfig } from '../support/entries.js';

// Panic mode (`allUnhealthy: 'try_soonest'`, the default): when every candidate is closed, the
// main reply goes to the one that recovers first among those whose cooldown admits it as its one
// probe; the half-open rule (one request at a time per backend) still holds.
const T0 = 1_700_000_000_000;
const P = entry('model', 'anthropic', 'claude-sonnet-4-6', 'http://127.0.0.1:8082');
const F1 = entry('fallback_providers[0]', 'custom', 'qwen3:32b', 'http://127.0.0.1:11434/v1', { apiMode: 'chat_completions' });
const request: NeutralRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 64 };
const crash: ClassifiedFailure = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500, answered: true, modelSpecific: false, retrySameBackend: false };
const rateLimited: ClassifiedFailure = { kind: 'rate_limited', reason: 'http_429', message: '429 slow down', status: 429, answered: true, modelSpecific: false, retrySameBackend: false };
const reply = (e: BackendEntry) => ({ ok: true as const, response: { text: `from ${e.label}`, toolCalls: [], stopReason: 'end_turn' as const, usage: { inputTokens: 1, outputTokens: 1 }, model: e.model, servedBy: e.label } });

/** A transport whose answers are scripted per backend; a call can be held open until the test lets it answer. */
async function setup(options: Pick<HealthRouterOptions, 'allUnhealthy'> = {}) {
  const clock = new VirtualClock(T0);
  const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: () => 0 });
  const facts: HealthFact[] = [];
  registry.events$.subscribe((f) => facts.push(f));
  const script = new Map<BackendEntry, () => CallOutcome | Promise<CallOutcome>>();
  const calls: string[] = [];
  const transport: Transport = {
    async call(e) {
      calls.push(e.label);
      return (script.get(e) ?? (() => reply(e)))();
    },
  };
  const router = await createHealthRouter({ config: routerConfig(P, [F1]), transport, registry, activeProbes: false, ...options });
  return { clock, registry, router, calls, facts, script };
}
const failWith = (failure: ClassifiedFailure) => (): CallOutcome => ({ ok: false, failure, error: new Error(failure.message) });

describe('panic mode: every candidate closed (allUnhealthy try_soonest, the default)', () => {
  it('the main reply takes the backend that recovers first as its one probe (one per call), claimed as a panic probe; the next call takes the next; a success closes its cooldown', async () => {
    const s = await setup();
    s.script.set(P, failWith(crash));
    s.script.set(F1, failWith(crash));
    await expect(s.router.startTurn().main(request)).rejects.toBeInstanceOf(RoutingError);
    expect(s.calls).toEqual([P.label, F1.label]);

    // 5 s on, both cool; the primary's cooldown ends first (it crashed first). The fallback is back.
    s.clock.advanceBy(5_000);
    s.script.set(F1, () => reply(F1));
    const turn = s.router.startTurn();
    expect(await turn.title(request)).toMatchObject({ skipped: 'no_healthy_backend' });
    expect(s.calls).toHaveLength(2);
    // The soonest (the primary, still crashing) takes it as its probe, fails, and the call fails with that failure.
    const failed = (await turn.main(request).catch((e: unknown) => e)) as RoutingError;
    expect(failed).toBeInstanceOf(RoutingError);
    expect(failed.failure?.kind).toBe('crash');
    expect(s.calls.slice(2)).toEqual([P.label]);
    // Its failed probe pushed its cooldown out by an early-probe interval: the fallback recovers first now, and serves.
    const served = await s.router.startTurn().main(request);
    expect(s.calls.slice(3)).toEqual([F1.label]);
    expect(served.servedBy).toBe(F1.label);
    const claims = s.facts.filter((f) => f.type === 'probe.started');
    expect(claims.map((f) => [f.backend, f.type === 'probe.started' && f.panic])).toEqual([
      [P.endpointKey, true],
      [F1.endpointKey, true],
    ]);
    // The primary's failed probe left it cooling (no escalation), the fallback's success closed its cooldown.
    expect(s.registry.health(P.endpointKey)).toMatchObject({ status: 'cooldown', level: 1, probeInFlight: false });
    expect(s.registry.health(F1.endpointKey).status).toBe('healthy');
  });

  it('one request at a time per backend: while a panic probe is in flight, the next request fails at once naming the soonest recovery', async () => {
    const s = await setup();
    s.script.set(P, failWith(crash));
    s.script.set(F1, failWith(crash));
    await expect(s.router.startTurn().main(request)).rejects.toBeInstanceOf(RoutingError);
    s.clock.advanceBy(1_000);

    // The primary's probe hangs until released; the fallback answers only after that.
    let release!: (o: CallOutcome) => void;
    s.script.set(P, () => new Promise<CallOutcome>((resolve) => (release = resolve)));
    s.script.set(F1, () => new Promise<CallOutcome>(() => undefined));
    const first = s.router.startTurn().main(request);
    await new Promise((r) => setImmediate(r));
    expect(s.calls.slice(2)).toEqual([P.label]);
    // A second request while that probe is out: the primary's slot is taken, so it goes to the fallback's slot…
    const second = s.router.startTurn().main(request);
    await new Promise((r) => setImmediate(r));
    expect(s.calls.slice(2)).toEqual([P.label, F1.label]);
    // …and a third finds both slots taken: no request, a fast failure naming the soonest recovery.
    const third = await s.router.startTurn().main(request).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(RoutingError);
    expect((third as RoutingError).noHealthyUntil).toBe(T0 + 30_000);
    expect(s.calls).toHaveLength(4);
    release(reply(P));
    expect((await first).servedBy).toBe(P.label);
    expect(s.registry.health(P.endpointKey).status).toBe('healthy');
    void second;
  });

  it('a rate-limited backend is not panic-probed (the provider said when to come back); fail_fast keeps the old rule', async () => {
    const s = await setup();
    s.script.set(P, failWith({ ...rateLimited, cooldownHintMs: 20_000 }));
    s.script.set(F1, failWith(rateLimited));
    await expect(s.router.startTurn().main(request)).rejects.toBeInstanceOf(RoutingError);
    expect(s.calls).toEqual([P.label, F1.label]);
    s.clock.advanceBy(1_000);
    const error = (await s.router.startTurn().main(request).catch((e: unknown) => e)) as RoutingError;
    expect(error.noHealthyUntil).toBe(T0 + 20_000);
    expect(s.calls).toHaveLength(2);

    const ff = await setup({ allUnhealthy: 'fail_fast' });
    ff.script.set(P, failWith(crash));
    ff.script.set(F1, failWith(crash));
    await expect(ff.router.startTurn().main(request)).rejects.toBeInstanceOf(RoutingError);
    ff.clock.advanceBy(1_000);
    await expect(ff.router.startTurn().main(request)).rejects.toMatchObject({ noHealthyUntil: T0 + 30_000 });
    expect(ff.calls).toHaveLength(2);
  });

  describe('a probe whose call ends without a fact about the backend gives its slot back at once (not after probe.timeoutMs)', () => {
    const contextTooLong: ClassifiedFailure = {
      kind: 'request_fault',
      reason: 'context_length',
      requestFault: 'context_length',
      message: '400 maximum context length exceeded',
      status: 400,
      answered: true,
      modelSpecific: false,
      retrySameBackend: false,
    };
    for (const how of ['the backend refused the request (400 context length)', 'the caller aborted'] as const) {
      it(how, async () => {
        const s = await setup();
        s.script.set(P, failWith(crash));
        s.script.set(F1, failWith(crash));
        await expect(s.router.startTurn().main(request)).rejects.toBeInstanceOf(RoutingError);
        s.clock.advanceBy(1_000);

        // The panic probe to the primary ends without a fact about it.
        const abort = new AbortController();
        if (how === 'the caller aborted') {
          s.script.set(P, () => new Promise<CallOutcome>(() => undefined));
          const pending = s.router.startTurn().main(request, { signal: abort.signal }).catch((e: unknown) => e);
          await new Promise((r) => setImmediate(r));
          expect(s.calls.slice(2)).toEqual([P.label]);
          abort.abort();
          expect(await pending).toBeInstanceOf(RoutingError);
        } else {
          s.script.set(P, failWith(contextTooLong));
          const refused = (await s.router.startTurn().main(request).catch((e: unknown) => e)) as RoutingError;
          expect(refused.failure?.requestFault).toBe('context_length');
        }
        const claim = s.facts.filter((f) => f.type === 'probe.started').at(-1)!;
        const given = s.facts.filter((f) => f.type === 'probe.abandoned');
        expect(given).toEqual([expect.objectContaining({ backend: P.endpointKey, claimedBy: claim.writer, claim: claim.seq, at: T0 + 1_000 })]);
        expect(s.registry.health(P.endpointKey)).toMatchObject({ status: 'cooldown', probeInFlight: false });

        // The primary answers again: the next request (same simulated moment) takes the freed slot and is served.
        s.script.set(P, () => reply(P));
        const next = await s.router.startTurn().main(request);
        expect(next.servedBy).toBe(P.label);
        expect(s.registry.health(P.endpointKey).status).toBe('healthy');
      });
    }

    it('a claim given back late never frees a newer claim of the same process', async () => {
      const s = await setup();
      s.script.set(P, failWith(crash));
      s.script.set(F1, failWith(crash));
      await expect(s.router.startTurn().main(request)).rejects.toBeInstanceOf(RoutingError);
      s.clock.advanceBy(1_000);
      // An old claim (seq 1 of this writer) and a newer one holding the slot.
      const claim = s.registry.record({ type: 'probe.started', backend: P.endpointKey, purpose: 'probe', panic: true })!;
      s.clock.advanceBy(60_000); // its probe timed out; the backend is half-open again
      const newer = s.registry.record({ type: 'probe.started', backend: P.endpointKey, purpose: 'probe' })!;
      expect(s.registry.health(P.endpointKey).probeInFlight).toBe(true);
      expect(s.registry.abandonOwnProbe(claim)).toBeUndefined();
      expect(s.registry.health(P.endpointKey).probeInFlight).toBe(true);
      expect(s.registry.abandonOwnProbe(newer)).toMatchObject({ type: 'probe.abandoned', claim: newer.seq });
      expect(s.registry.health(P.endpointKey)).toMatchObject({ status: 'recovering', probeInFlight: false });
    });
  });
});
