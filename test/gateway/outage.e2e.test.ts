import { afterEach, describe, expect, it } from 'vitest';
import { faults, type FakeRequest } from '../../src/testing/index.js';
import { ioTurn, until } from '../support/virtualTimers.js';
import { facadeRoute, GatewayHarness, T0 } from './harness.js';

/**
 * A 60-second primary outage behind the gateway, a request every 5 s from an OpenAI client:
 * served by the fallback throughout, the primary receiving only one-token probes while it is
 * down, and back on the primary within one probe interval (30 s) of its recovery. Health runs on
 * a simulated clock stepped a second at a time; the HTTP is real.
 */
const OUTAGE_MS = 60_000;

describe('gateway: a 60-second primary outage', () => {
  const h = new GatewayHarness();
  afterEach(() => h.close());

  it('serves every request from the fallback, sends the primary only probes, and returns to it within a probe interval', async () => {
    let now = () => T0;
    const atPrimary: { at: number; request: FakeRequest }[] = [];
    const primary = await h.backend((request) => {
      atPrimary.push({ at: now() - T0, request });
      return now() - T0 < OUTAGE_MS ? faults.crash() : faults.ok('from the primary');
    });
    const fallback = await h.backend(faults.ok('from the fallback'));
    const gateway = await h.gateway(facadeRoute(primary.url, fallback.url), { virtualClock: true });
    const clock = gateway.clock!;
    now = () => clock.now();
    const client = h.openai(gateway);
    const probing = () => gateway.registry.all().some((b) => b.probeInFlight);
    const settle = async () => {
      await ioTurn();
      await until('the probe in flight to be answered', () => !probing());
    };

    const answers: { at: number; text: string | null | undefined }[] = [];
    for (let t = 0; t <= OUTAGE_MS + 45_000; t += 1_000) {
      clock.advanceTo(T0 + t);
      await settle();
      if (t % 5_000 !== 0) continue;
      const reply = await client.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: `at ${t / 1000} s` }] });
      answers.push({ at: t, text: reply.choices[0]?.message.content });
    }

    const during = answers.filter((a) => a.at < OUTAGE_MS);
    expect(during.every((a) => a.text === 'from the fallback')).toBe(true);
    // The primary saw the first request (its crash) and then one-token probes only.
    const down = atPrimary.filter((r) => r.at < OUTAGE_MS);
    expect(down[0]?.at).toBe(0);
    expect(down.slice(1).map((r) => (r.request.body as { max_tokens: number }).max_tokens)).toEqual(down.slice(1).map(() => 1));
    expect(down.length - 1).toBeLessThanOrEqual(OUTAGE_MS / 30_000 + 1);
    const backOn = answers.find((a) => a.at >= OUTAGE_MS && a.text === 'from the primary');
    expect(backOn, 'served by the primary again after the recovery').toBeDefined();
    expect(backOn!.at - OUTAGE_MS).toBeLessThanOrEqual(30_000 + 5_000);
    expect(answers.filter((a) => a.at >= backOn!.at).every((a) => a.text === 'from the primary')).toBe(true);
    console.log(`primary during the outage: ${down.map((r) => `${r.at / 1000} s (max_tokens ${(r.request.body as { max_tokens: number }).max_tokens})`).join(', ')}; back on it ${(backOn!.at - OUTAGE_MS) / 1000} s after recovery`);
  });
});
