import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import type { HealthChangedEvent } from '../../src/health/index.js';
import { compactJournal, memoryJournal, openHealthRegistry, resolveHealthPolicy, type HealthFact } from '../../src/index.js';

const T0 = 1_700_000_000_000;
const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';
const FALLBACK = 'custom|chat_completions|http://127.0.0.1:11434/v1';
const crash = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 } as const;

async function setup() {
  const clock = new VirtualClock(T0);
  const journal = memoryJournal();
  const registry = await openHealthRegistry({ journal, clock, random: () => 0 });
  const changes: HealthChangedEvent[] = [];
  const appended: HealthFact[] = [];
  registry.health$.subscribe((e) => changes.push(e));
  registry.events$.subscribe((f) => appended.push(f));
  return { clock, journal, registry, changes, appended };
}

describe('health registry', () => {
  it('journals a failure first, then delivers it: the backend is unroutable until its deadline', async () => {
    const { registry, journal, changes, appended } = await setup();
    const fact = registry.record({ type: 'call.failed', backend: FACADE, purpose: 'main', turnId: 't-1', failure: crash });
    expect(fact).toMatchObject({ v: 1, type: 'call.failed', at: T0, backend: FACADE, purpose: 'main', turnId: 't-1', startedAt: T0, jitterSample: 0, seq: 1 });
    expect(journal.facts).toEqual([fact]);
    expect(appended).toEqual([fact]);
    expect(changes.map((c) => [c.key, c.from, c.to, c.cause])).toEqual([[FACADE, 'healthy', 'cooldown', 'crash_signature']]);
    expect(registry.routability(FACADE)).toEqual({ routable: false, status: 'cooldown', until: T0 + 30_000, probeInFlight: false, probeDue: false });
    expect(registry.health(FALLBACK)).toMatchObject({ known: false, status: 'healthy' });
    expect(registry.soonestRecovery()).toEqual({ key: FACADE, at: T0 + 30_000 });
  });

  it('a success on a healthy or unknown backend costs no journal write, no actor and no event (the hot path)', async () => {
    const { registry, journal, changes, appended } = await setup();
    // Count what actors receive too: nothing may reach one.
    const inspected: string[] = [];
    const watched = await openHealthRegistry({ journal: memoryJournal(), clock: new VirtualClock(T0), inspect: (e) => void (e.type === '@xstate.event' && inspected.push(e.event.type)) });
    watched.record({ type: 'call.failed', backend: FACADE, failure: { kind: 'backend_fault', reason: 'http_500' } });
    watched.record({ type: 'call.succeeded', backend: FACADE }); // suspect → healthy: delivered
    const delivered = inspected.length;
    for (let i = 0; i < 100; i++) watched.record({ type: 'call.succeeded', backend: FACADE });
    expect(inspected.length).toBe(delivered);
    await watched.close();
    expect(registry.record({ type: 'call.succeeded', backend: FALLBACK })).toBeUndefined();
    registry.record({ type: 'call.failed', backend: FACADE, failure: { kind: 'request_fault', reason: 'context_length' } });
    expect(registry.record({ type: 'call.succeeded', backend: FACADE })).toBeUndefined();
    expect(journal.facts.map((f) => f.type)).toEqual(['call.failed']);
    expect(appended).toHaveLength(1);
    expect(changes).toEqual([]);
    expect(registry.all().map((v) => v.key)).toEqual([FACADE]);
  });

  it('a success on a suspect backend is journaled and clears it; an abort is not a fact', async () => {
    const { registry, journal } = await setup();
    registry.record({ type: 'call.failed', backend: FACADE, failure: { kind: 'backend_fault', reason: 'http_500' } });
    expect(registry.health(FACADE).status).toBe('suspect');
    expect(registry.record({ type: 'call.failed', backend: FACADE, failure: { kind: 'aborted', reason: 'aborted' } })).toBeUndefined();
    expect(registry.record({ type: 'call.succeeded', backend: FACADE })).toBeDefined();
    expect(registry.health(FACADE)).toMatchObject({ status: 'healthy', streak: 0 });
    expect(journal.facts.map((f) => f.type)).toEqual(['call.failed', 'call.succeeded']);
  });

  it('a restarted process within the cooldown reports the backend unroutable with the same deadline', async () => {
    const first = await setup();
    first.registry.record({ type: 'call.failed', backend: FACADE, failure: crash });
    first.registry.close();
    const later = new VirtualClock(T0 + 5_000);
    const second = await openHealthRegistry({ journal: first.journal, clock: later });
    expect(second.routability(FACADE)).toEqual({ routable: false, status: 'cooldown', until: T0 + 30_000, probeInFlight: false, probeDue: false });
    later.advanceTo(T0 + 30_000);
    expect(second.routability(FACADE)).toMatchObject({ routable: true, as: 'probe', status: 'recovering' });
  });

  it('a cooldown that ended while the process was down comes back as recovering', async () => {
    const first = await setup();
    first.registry.record({ type: 'call.failed', backend: FACADE, failure: crash });
    const second = await openHealthRegistry({ journal: first.journal, clock: new VirtualClock(T0 + 120_000) });
    expect(second.health(FACADE)).toMatchObject({ status: 'recovering', routability: { routable: true, as: 'probe' } });
  });

  it('after compaction the next start reads the snapshot; a stored backend wakes at its own deadline', async () => {
    const first = await setup();
    first.registry.record({ type: 'call.failed', backend: FACADE, failure: crash });
    first.clock.advanceTo(T0 + 10_000);
    first.registry.record({ type: 'call.failed', backend: FALLBACK, failure: { kind: 'auth_config', reason: 'http_401' } });
    const snapshot = await compactJournal(first.journal);
    expect(snapshot).toMatchObject({ v: 1, position: 2, at: T0 + 10_000 });
    expect(Object.keys(snapshot.backends).sort()).toEqual([FACADE, FALLBACK].sort());
    expect((await first.journal.load()).facts).toEqual([]);
    const clock = new VirtualClock(T0 + 20_000);
    const second = await openHealthRegistry({ journal: first.journal, clock });
    const changes: HealthChangedEvent[] = [];
    second.health$.subscribe((e) => changes.push(e));
    expect(second.routability(FACADE)).toEqual({ routable: false, status: 'cooldown', until: T0 + 30_000, probeInFlight: false, probeDue: false });
    expect(second.health(FALLBACK)).toMatchObject({ status: 'down', deadline: T0 + 10_000 + 900_000 });
    clock.advanceTo(T0 + 30_000);
    expect(changes.map((c) => [c.key, c.from, c.to, c.at])).toEqual([[FACADE, 'cooldown', 'recovering', T0 + 30_000]]);
  });

  it('compacts by itself every compactEvery appended facts, and a long tail found at startup', async () => {
    const clock = new VirtualClock(T0);
    const journal = memoryJournal();
    const registry = await openHealthRegistry({ journal, clock, compactEvery: 3 });
    for (let i = 0; i < 3; i++) {
      clock.advanceBy(1_000);
      registry.record({ type: 'call.failed', backend: `${FALLBACK}|m${i}`, failure: { kind: 'backend_fault', reason: 'http_500' } });
    }
    await registry.settled();
    const contents = await journal.load();
    expect(contents.snapshot?.position).toBe(3);
    expect(contents.facts).toEqual([]);
    expect(Object.keys(contents.snapshot!.backends)).toHaveLength(3);
    registry.close();

    const other = memoryJournal();
    for (const fact of journal.facts) other.append(fact);
    const reopened = await openHealthRegistry({ journal: other, clock, compactEvery: 2 });
    await reopened.settled();
    expect((await other.load()).snapshot?.position).toBe(3);
    expect(reopened.warnings).toEqual([]);
  });

  it('numbers each writer\'s facts without gaps, stamps them now, and never lets a call start after its fact', async () => {
    const { registry, journal, clock } = await setup();
    registry.record({ type: 'call.failed', backend: FACADE, failure: crash });
    registry.record({ type: 'call.succeeded', backend: FACADE, startedAt: T0 - 1 }); // stale: ignored, not journaled
    clock.advanceBy(1_000);
    registry.record({ type: 'call.failed', backend: FACADE, failure: crash, startedAt: T0 + 5_000 });
    expect(journal.facts.map((f) => [f.seq, f.at])).toEqual([[1, T0], [2, T0 + 1_000]]);
    expect(journal.facts[1]).toMatchObject({ startedAt: T0 + 1_000 });
  });

  it('a journal refuses an invalid fact, in memory as on file', () => {
    const journal = memoryJournal();
    expect(() => journal.append({ v: 1, type: 'call.succeeded', at: 0.5, backend: FACADE, startedAt: 0 })).toThrow(/refusing to append an invalid fact: at/);
  });

  it('a snapshot folded under another policy is ignored with a warning: the whole journal is replayed', async () => {
    const strict = resolveHealthPolicy({ thresholds: { backend_fault: 1 } });
    const clock = new VirtualClock(T0);
    const journal = memoryJournal();
    const live = await openHealthRegistry({ journal, clock, policy: strict, random: () => 0 });
    live.record({ type: 'call.failed', backend: FACADE, failure: { kind: 'backend_fault', reason: 'http_500' } });
    expect(live.health(FACADE).status).toBe('cooldown');
    await compactJournal(journal); // folded under the default policy: only suspect
    const reopened = await openHealthRegistry({ journal, clock, policy: strict });
    expect(reopened.health(FACADE)).toMatchObject({ status: 'cooldown', deadline: T0 + 30_000 });
    expect(reopened.warnings).toEqual(['the snapshot of memory was folded under another health policy; replayed the whole journal instead']);
  });
});

describe('health registry: background compaction and an unwritable journal', () => {
  it('no compaction while facts wait for the journal; the count carries over to the first fact after the recovery', async () => {
    const clock = new VirtualClock(T0);
    const inner = memoryJournal();
    let down = false;
    let snapshots = 0;
    const journal = {
      ...inner,
      append(fact: HealthFact) {
        if (down) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        inner.append(fact);
      },
      async saveSnapshot(snapshot: Parameters<typeof inner.saveSnapshot>[0]) {
        snapshots += 1;
        await inner.saveSnapshot(snapshot);
      },
    };
    const registry = await openHealthRegistry({ journal, clock, random: () => 0, compactEvery: 3, journalBacklog: { retryMs: 1_000 } });
    down = true;
    for (let i = 0; i < 5; i++) registry.record({ type: 'call.failed', backend: `${FACADE}/${i}`, failure: crash });
    await registry.settled();
    expect(snapshots).toBe(0);
    expect(registry.journalStatus()).toMatchObject({ ok: false, pending: 5 });
    down = false;
    clock.advanceBy(1_000);
    expect(inner.facts.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5]);
    registry.record({ type: 'call.failed', backend: FALLBACK, failure: crash });
    await registry.settled();
    expect(snapshots).toBe(1);
    expect((await inner.load()).snapshot?.position).toBe(6);
    expect(registry.warnings).toEqual([]);
    await registry.close();
  });
});
