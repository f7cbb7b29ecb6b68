import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthFact } from '../../src/journal/facts.js';
import { compactJournal, fileJournal, openHealthRegistry } from '../../src/index.js';
import { VirtualClock } from '../../src/clock/virtualClock.js';

// A probe claimed by a process that is gone must not hold the half-open slot until the probe
// timeout (60 s): a process opening the journal releases it with a `probe.abandoned` fact. The
// journals here are written exactly as a killed claimer leaves them: its crash, then its claim,
// and nothing after. A claim of a process that still runs is left alone.

const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';

/** The pid of a process that has exited (ran and waited for here), so certainly not running now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** A journal as a process killed mid-probe leaves it: a crash 40 s ago (cooldown over), its probe claim 5 s ago. */
async function killedMidProbe(path: string, claimer: string): Promise<void> {
  const journal = fileJournal(path, { fsync: 'never' });
  const now = Date.now();
  const facts: HealthFact[] = [
    { v: 1, type: 'call.failed', at: now - 40_000, backend: FACADE, purpose: 'main', startedAt: now - 40_001, failure: { kind: 'crash', reason: 'crash_signature', status: 500 }, jitterSample: 0, writer: claimer, seq: 1 },
    { v: 1, type: 'probe.started', at: now - 5_000, backend: FACADE, purpose: 'probe', writer: claimer, seq: 2 },
  ];
  for (const fact of facts) journal.append(fact);
  await journal.close();
}

describe('a probe claimed by a process that is gone is released when the journal is opened', () => {
  let dir: string | undefined;
  const temp = () => (dir = mkdtempSync(join(tmpdir(), 'lhr-abandoned-')));
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('its pid runs nothing on this host: released at once (probe.abandoned), half-open again, replay agrees', async () => {
    const path = join(temp(), 'journal.jsonl');
    const dead = `0badc0de-${deadPid()}@${hostname()}`;
    await killedMidProbe(path, dead);
    const journal = fileJournal(path);
    const registry = await openHealthRegistry({ journal });
    expect(registry.health(FACADE)).toMatchObject({ status: 'recovering', probeInFlight: false });
    expect(registry.routability(FACADE)).toEqual({ routable: true, as: 'probe', status: 'recovering' });
    await registry.close();
    await journal.close();
    const after = (await fileJournal(path).load()).facts;
    expect(after.map((f) => f.type)).toEqual(['call.failed', 'probe.started', 'probe.abandoned']);
    expect(after[2]).toMatchObject({ type: 'probe.abandoned', backend: FACADE, claimedBy: dead, purpose: 'probe' });
    // Another process opening it later folds the same state, and writes nothing more.
    const again = await openHealthRegistry({ journal: fileJournal(path) });
    expect(again.health(FACADE)).toMatchObject({ status: 'recovering', probeInFlight: false });
    await again.close();
    expect((await fileJournal(path).load()).facts).toHaveLength(3);
  });

  it('compaction folds such a journal without writing to it (a fold never appends); the next registry opened on it releases the claim', async () => {
    const path = join(temp(), 'journal.jsonl');
    const dead = `0badc0de-${deadPid()}@${hostname()}`;
    await killedMidProbe(path, dead);
    const snapshot = await compactJournal(fileJournal(path));
    expect(snapshot.backends[FACADE]).toMatchObject({ value: { degraded: { recovering: 'probing' } }, context: { probeBy: dead } });
    expect((await fileJournal(path).load({ ignoreSnapshot: true })).facts).toHaveLength(2);
    const journal = fileJournal(path);
    const registry = await openHealthRegistry({ journal });
    expect(registry.health(FACADE)).toMatchObject({ status: 'recovering', probeInFlight: false });
    await registry.close();
    await journal.close();
  });

  it.each([
    ['a process that still runs (sharing the journal)', () => `1111aaaa-${process.ppid}@${hostname()}`],
    ['a process on another host (its pid means nothing here)', () => `2222bbbb-${deadPid()}@not-${hostname()}`],
    ['a writer id without a pid (an older journal)', () => '9f2c41aa'],
  ])('claimed by %s: left alone, the slot holds until its probe timeout', async (_name, claimer) => {
    const path = join(temp(), 'journal.jsonl');
    await killedMidProbe(path, claimer());
    const registry = await openHealthRegistry({ journal: fileJournal(path) });
    expect(registry.health(FACADE)).toMatchObject({ status: 'recovering', probeInFlight: true });
    expect(registry.routability(FACADE).routable).toBe(false);
    await registry.close();
    expect((await fileJournal(path).load()).facts.map((f) => f.type)).toEqual(['call.failed', 'probe.started']);
  });

  it('in one process: a registry still open keeps its claim; once it is closed without an answer, the next one releases it', async () => {
    const path = join(temp(), 'journal.jsonl');
    // The first registry lived a minute ago: its crash, then (the cooldown over) its probe claim 29 s ago.
    const clock = new VirtualClock(Date.now() - 60_000);
    const firstJournal = fileJournal(path);
    const first = await openHealthRegistry({ journal: firstJournal, clock, random: () => 0 });
    first.record({ type: 'call.failed', backend: FACADE, failure: { kind: 'crash', reason: 'crash_signature', message: 'crash' } });
    clock.advanceBy(31_000);
    const claim = first.record({ type: 'probe.started', backend: FACADE, purpose: 'probe' })!;
    expect(first.health(FACADE)).toMatchObject({ status: 'recovering', probeInFlight: true });

    // A second registry of this process opens the journal while the first is open: its claim stands.
    const second = await openHealthRegistry({ journal: fileJournal(path) });
    expect(second.health(FACADE)).toMatchObject({ status: 'recovering', probeInFlight: true });
    await second.close();
    expect((await fileJournal(path).load()).facts.map((f) => f.type)).toEqual(['call.failed', 'probe.started']);

    // The first is closed with its probe unanswered: the next registry frees the slot.
    await first.close();
    await firstJournal.close();
    const thirdJournal = fileJournal(path);
    const third = await openHealthRegistry({ journal: thirdJournal });
    expect(third.health(FACADE)).toMatchObject({ status: 'recovering', probeInFlight: false });
    await third.close();
    await thirdJournal.close();
    const facts = (await fileJournal(path).load()).facts;
    expect(facts.at(-1)).toMatchObject({ type: 'probe.abandoned', claimedBy: claim.writer });
  });
});

