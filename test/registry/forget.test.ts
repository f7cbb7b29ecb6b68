import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { compactJournal, DEFAULT_HEALTH_POLICY, memoryJournal, openHealthRegistry } from '../../src/index.js';

const T0 = 1_700_000_000_000;
const MODEL = 'openrouter|chat_completions|https://openrouter.ai/api/v1|client-chosen-name';
const crash = { kind: 'crash', reason: 'crash_signature', message: '500 process exited', status: 500 } as const;
const fault = { kind: 'backend_fault', reason: 'http_500', status: 500 } as const;

describe('health registry: forget a key whose health holds nothing', () => {
  it('forgets an unknown key and a backend back to healthy at level 0; keeps one that is suspect', async () => {
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock: new VirtualClock(T0), random: () => 0 });
    expect(registry.forget('never-seen')).toBe(true);
    registry.record({ type: 'call.failed', backend: MODEL, failure: fault });
    expect(registry.health(MODEL).status).toBe('suspect');
    expect(registry.forget(MODEL)).toBe(false);
    expect(registry.all().map((v) => v.key)).toEqual([MODEL]);
    registry.record({ type: 'call.succeeded', backend: MODEL });
    expect(registry.health(MODEL)).toMatchObject({ status: 'healthy', level: 0, streak: 0 });
    expect(registry.forget(MODEL)).toBe(true);
    expect(registry.all()).toEqual([]);
    expect(registry.health(MODEL).known).toBe(false);
    // A later fact starts it afresh, as for a backend never seen.
    registry.record({ type: 'call.failed', backend: MODEL, failure: fault });
    expect(registry.health(MODEL)).toMatchObject({ known: true, status: 'suspect', streak: 1 });
    await registry.close();
  });

  it('keeps a backend in cooldown, and one healthy again whose escalation has not decayed yet; forgets it once decayed', async () => {
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock, random: () => 0 });
    registry.record({ type: 'call.failed', backend: MODEL, failure: crash });
    expect(registry.health(MODEL).status).toBe('cooldown');
    expect(registry.forget(MODEL)).toBe(false);
    clock.advanceBy(DEFAULT_HEALTH_POLICY.cooldown.baseMs);
    registry.record({ type: 'probe.started', backend: MODEL });
    registry.record({ type: 'call.succeeded', backend: MODEL });
    expect(registry.health(MODEL)).toMatchObject({ status: 'healthy', level: 1 });
    expect(registry.forget(MODEL)).toBe(false);
    clock.advanceBy(DEFAULT_HEALTH_POLICY.decayIntervalMs);
    expect(registry.health(MODEL)).toMatchObject({ status: 'healthy', level: 0 });
    expect(registry.forget(MODEL)).toBe(true);
    expect(registry.all()).toEqual([]);
    await registry.close();
  });

  it('forgets stored health restored from a snapshot the same way', async () => {
    const clock = new VirtualClock(T0);
    const journal = memoryJournal();
    const first = await openHealthRegistry({ journal, clock, random: () => 0 });
    first.record({ type: 'call.failed', backend: MODEL, failure: fault });
    first.record({ type: 'call.succeeded', backend: MODEL });
    first.record({ type: 'call.failed', backend: 'other', failure: crash });
    await compactJournal(journal);
    await first.close();
    const second = await openHealthRegistry({ journal, clock, random: () => 0 });
    expect(second.all().map((v) => v.key).sort()).toEqual([MODEL, 'other']);
    expect(second.forget(MODEL)).toBe(true);
    expect(second.forget('other')).toBe(false);
    expect(second.all().map((v) => v.key)).toEqual(['other']);
    await second.close();
  });
});
