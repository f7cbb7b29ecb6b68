import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import type { ClassifiedFailure } from '../../src/classify/failure.js';
import { memoryJournal, openHealthRegistry } from '../../src/index.js';
import { createHealthRouter } from '../../src/router/index.js';
import type { NeutralRequest } from '../../src/transports/neutral.js';
import type { Transport } from '../../src/transports/transport.js';
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
