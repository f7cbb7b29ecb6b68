import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import type { HealthFact } from '../../src/journal/facts.js';
import type { Journal } from '../../src/journal/journal.js';
import type { JournalNotice } from '../../src/journal/journalStatus.js';
import { JournalWriter } from '../../src/journal/journalWriter.js';
import { memoryJournal } from '../../src/journal/memoryJournal.js';
import { sampleFact, sampleFacts } from './fixtures/facts.js';

/**
 * The writer's bookkeeping (order, bound, retries, notices) over any Journal: here a memory
 * journal whose appends throw ENOSPC while `down` — the errors a file journal throws on a full
 * disk are tested for real in test/journal/shortWrites.test.ts and test/registry/journalOutage.test.ts.
 */
function switchableJournal() {
  const inner = memoryJournal();
  // `failAttempt`: that one append attempt fails with EIO (a journal failing again in the middle of a backlog).
  const state: { down: boolean; attempts: number; failAttempt?: number } = { down: false, attempts: 0 };
  const journal: Journal = {
    ...inner,
    location: '/var/lib/agent/health.jsonl',
    append(fact: HealthFact) {
      state.attempts += 1;
      if (state.down) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
      if (state.attempts === state.failAttempt) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', errno: -5 });
      inner.append(fact);
    },
  };
  return { journal, state, written: () => inner.facts.map((f) => f.seq) };
}

function setUp(options: { maxFacts?: number; retryMs?: number } = {}) {
  const clock = new VirtualClock(1_700_000_000_000);
  const { journal, state, written } = switchableJournal();
  const writer = new JournalWriter(journal, clock, options);
  const notices: JournalNotice[] = [];
  writer.notices$.subscribe((n) => notices.push(n));
  return { clock, state, written, writer, notices };
}

describe('JournalWriter: a journal that cannot be written never reaches the caller', () => {
  it('healthy: each fact is written at once, no timer armed, status ok', () => {
    const { clock, written, writer, notices } = setUp();
    for (const fact of sampleFacts('w', 5)) writer.write(fact);
    expect(written()).toEqual([0, 1, 2, 3, 4]);
    expect(clock.pending).toBe(0);
    expect(writer.status()).toEqual({ ok: true, location: '/var/lib/agent/health.jsonl', pending: 0, dropped: 0, errors: 0 });
    expect(notices).toEqual([]);
  });

  it('an outage: one notice, facts wait in order without touching the journal, retried on the timer, written in order when it returns, one recovery notice', () => {
    const { clock, state, written, writer, notices } = setUp({ retryMs: 1_000 });
    writer.write(sampleFact('w', 0));
    state.down = true;
    const start = clock.now();
    for (const fact of sampleFacts('w', 4, 1)) expect(() => writer.write(fact)).not.toThrow();
    // Only the first fact of the outage tried the journal; the rest queued behind it.
    expect(state.attempts).toBe(2);
    expect(writer.status()).toEqual({
      ok: false,
      location: '/var/lib/agent/health.jsonl',
      degradedSince: start,
      error: { code: 'ENOSPC', message: 'ENOSPC: no space left on device, write' },
      pending: 4,
      dropped: 0,
      errors: 1,
    });
    expect(notices).toEqual([{ type: 'journal.degraded', location: '/var/lib/agent/health.jsonl', at: start, error: { code: 'ENOSPC', message: 'ENOSPC: no space left on device, write' }, message: expect.stringMatching(/^journal \/var\/lib\/agent\/health\.jsonl cannot be written \(ENOSPC: no space left on device, write\); health goes on in memory/) }]);

    clock.advanceBy(3_000); // three retries, one write attempt each, all failing
    expect(state.attempts).toBe(5);
    expect(writer.status()).toMatchObject({ ok: false, pending: 4, errors: 4 });
    expect(notices).toHaveLength(1);

    writer.write(sampleFact('w', 5)); // still queued behind the others, not tried
    expect(state.attempts).toBe(5);
    state.down = false;
    clock.advanceBy(1_000);
    expect(written()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(writer.status()).toEqual({ ok: true, location: '/var/lib/agent/health.jsonl', pending: 0, dropped: 0, errors: 4 });
    expect(notices[1]).toEqual({ type: 'journal.recovered', location: '/var/lib/agent/health.jsonl', at: start + 4_000, since: start, written: 5, dropped: 0, message: expect.stringMatching(/is written again: 5 waiting facts written in order$/) });
    expect(clock.pending).toBe(0);

    writer.write(sampleFact('w', 6)); // back on the direct path
    expect(written()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a second outage is a second pair of notices', () => {
    const { clock, state, writer, notices } = setUp();
    for (let round = 0; round < 2; round++) {
      state.down = true;
      writer.write(sampleFact('w', round * 2));
      writer.write(sampleFact('w', round * 2 + 1));
      state.down = false;
      clock.advanceBy(1_000);
    }
    expect(notices.map((n) => n.type)).toEqual(['journal.degraded', 'journal.recovered', 'journal.degraded', 'journal.recovered']);
  });

  it('beyond the bound the oldest waiting facts are dropped and counted; what is kept is written in order', () => {
    const { clock, state, written, writer, notices } = setUp({ maxFacts: 3 });
    state.down = true;
    for (const fact of sampleFacts('w', 7)) writer.write(fact);
    expect(writer.status()).toMatchObject({ pending: 3, dropped: 4 });
    state.down = false;
    clock.advanceBy(1_000);
    expect(written()).toEqual([4, 5, 6]);
    expect(writer.status()).toMatchObject({ ok: true, pending: 0, dropped: 4 });
    expect(notices.at(-1)).toMatchObject({ type: 'journal.recovered', written: 3, dropped: 4, message: expect.stringMatching(/3 waiting facts written in order, 4 dropped while the backlog was full$/) });
  });

  it('a long backlog is written in batches, each on its own timer tick, in order', () => {
    const { clock, state, written, writer } = setUp({ maxFacts: 100_000 });
    state.down = true;
    for (let seq = 0; seq < 1_000; seq++) writer.write(sampleFact('w', seq));
    state.down = false;
    state.attempts = 0;
    clock.advanceBy(1_000);
    expect(written()).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(state.attempts).toBe(1_000);
  });

  it('the journal failing again halfway through a backlog: what was written stays, the rest waits, order kept', () => {
    const { clock, state, written, writer, notices } = setUp();
    state.down = true;
    for (let seq = 0; seq < 4; seq++) writer.write(sampleFact('w', seq));
    state.down = false;
    state.failAttempt = state.attempts + 3;
    clock.advanceBy(1_000);
    expect(written()).toEqual([0, 1]);
    expect(writer.status()).toMatchObject({ ok: false, pending: 2, error: { code: 'EIO' } });
    expect(notices).toHaveLength(1); // still the same outage
    clock.advanceBy(1_000);
    expect(written()).toEqual([0, 1, 2, 3]);
    expect(notices.map((n) => n.type)).toEqual(['journal.degraded', 'journal.recovered']);
  });

  it('stop: one last attempt; what still cannot be written is counted, the timer is gone', () => {
    const { clock, state, written, writer } = setUp();
    state.down = true;
    writer.write(sampleFact('w', 0));
    writer.write(sampleFact('w', 1));
    expect(writer.stop()).toBe(2);
    expect(clock.pending).toBe(0);
    expect(() => writer.write(sampleFact('w', 2))).toThrow(/stopped/);

    const second = setUp();
    second.state.down = true;
    second.writer.write(sampleFact('w', 0));
    second.state.down = false;
    expect(second.writer.stop()).toBe(0);
    expect(second.written()).toEqual([0]);
    expect(written()).toEqual([]);
  });

  it('an invalid fact is a caller bug, not an outage: TypeError, nothing queued', () => {
    const { writer } = setUp();
    expect(() => writer.write({ ...sampleFact('w', 0), at: Number.NaN })).toThrow(TypeError);
    expect(writer.status()).toMatchObject({ ok: true, pending: 0, errors: 0 });
  });

  it('bad options are refused naming the field', () => {
    const { journal } = switchableJournal();
    expect(() => new JournalWriter(journal, new VirtualClock(), { maxFacts: 0 })).toThrow(/journalBacklog\.maxFacts must be a positive integer, got 0/);
    expect(() => new JournalWriter(journal, new VirtualClock(), { retryMs: Number.NaN })).toThrow(/journalBacklog\.retryMs must be a positive number of milliseconds, got NaN/);
  });
});
