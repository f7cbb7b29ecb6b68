import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { backendHealthMachine } from '../../src/health/index.js';

describe('VirtualClock', () => {
  it('fires timers in due order, each at its own due time', () => {
    const clock = new VirtualClock(1_000);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['late', clock.now()]), 5_000);
    clock.advanceBy(1_000);
    expect(fired).toEqual([['a', 1_100], ['b', 1_200]]);
    expect(clock.now()).toBe(2_000);
    expect(clock.pending).toBe(1);
  });

  it('starts a timer scheduled by a timer callback at that callback time (chains run as on an event loop)', () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      if (fired.length < 4) clock.setTimeout(tick, fired.length === 2 ? 0 : 100);
    };
    clock.setTimeout(tick, 100);
    clock.advanceBy(1_000);
    expect(fired).toEqual([100, 200, 200, 300]);
  });

  it('does not fire a cleared timer, refuses to go back, and can arrive at a time before its timers run', () => {
    const clock = new VirtualClock(0);
    let fired = 0;
    const id = clock.setTimeout(() => (fired += 1), 10);
    clock.clearTimeout(id);
    clock.setTimeout(() => (fired += 10), 50);
    clock.arriveBeforeTimers(60);
    expect(fired).toBe(0);
    clock.advanceBy(0);
    expect(fired).toBe(10);
    expect(() => clock.advanceTo(59)).toThrow(/cannot go back from 60 to 59/);
  });

  it('drives an XState actor: a cooldown expires exactly at its deadline', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(backendHealthMachine, { clock, input: { key: 'k', at: 0 } }).start();
    actor.send({ type: 'call.failed', at: 0, failure: { kind: 'crash', reason: 'crash_signature' } });
    clock.advanceTo(29_999);
    expect(actor.getSnapshot().context.status).toBe('cooldown');
    clock.advanceTo(30_000);
    expect(actor.getSnapshot().context.status).toBe('recovering');
    actor.stop();
  });
});
