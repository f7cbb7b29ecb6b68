import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fileJournal, openHealthRegistry, snapshotPathFor, VirtualClock, type BackendHealthView, type JournalNotice, type JournalStatus } from '../../src/index.js';
import { PRLIMIT_MISSING, useLimitedChildren } from '../support/limitedChild.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/limitedRegistry.ts', import.meta.url));
const T0 = 1_700_000_000_000;
const A = 'anthropic|anthropic_messages|http://127.0.0.1:8082';
const B = 'openai|chat_completions|http://127.0.0.1:11434/v1';
const RETRY_MS = 1_000;

type Recorded = { seq: number | null; status: JournalStatus };
type State = { at: number; health: BackendHealthView[]; status: JournalStatus; notices: JournalNotice[] };

/**
 * The disk fills up under a live registry and gets space back, for real: the registry runs in a
 * child process under a file size limit (RLIMIT_FSIZE) set just above the journal's size — the
 * next record is cut short, every later write fails with EFBIG — and raised again with prlimit.
 */
describe.skipIf(PRLIMIT_MISSING !== undefined)(`registry: the journal's disk fills up and gets space back (${PRLIMIT_MISSING ?? 'RLIMIT_FSIZE'})`, () => {
  const start = useLimitedChildren();
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('facts wait in order while the disk is full, a snapshot covers only what was written, and once space returns the backlog then new facts are written in order; a fresh registry folds the file to the live health', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lhr-recovery-'));
    const path = join(dir, 'journal.jsonl');
    const child = start(FIXTURE, { path, start: T0, retryMs: RETRY_MS, maxFacts: 1_000 }, 'unlimited');
    const fail = (backend: string) => child.send<Recorded>({ op: 'fail', backend });
    const succeed = (backend: string) => child.send<Recorded>({ op: 'succeed', backend });
    const advance = (ms: number) => child.send<{ status: JournalStatus }>({ op: 'advance', ms });

    // Healthy: a crash of each, both cool down and come back, A crashes again.
    for (const step of [() => fail(A), () => fail(B)]) expect((await step()).status.ok).toBe(true);
    await advance(40_000);
    expect(await succeed(A)).toMatchObject({ seq: 3, status: { ok: true } });
    expect(await fail(A)).toMatchObject({ seq: 4, status: { ok: true } });
    const written = (await stat(path)).size;

    // The disk fills: 100 bytes are left, less than a record.
    child.setFileSizeLimit(written + 100);
    const cut = await fail(B);
    expect(cut).toMatchObject({ seq: 5, status: { ok: false, pending: 1, error: { code: 'SHORT_WRITE' }, errors: 1 } });
    await advance(RETRY_MS); // a retry: EFBIG now, and the file does not grow
    expect((await fail(A)).status).toMatchObject({ ok: false, pending: 2, error: { code: 'EFBIG' } });
    await advance(30_000);
    const recoveredB = await succeed(B);
    expect(recoveredB.seq).toBe(7); // B's cooldown ended: its success changes health, so it is recorded (and waits)
    expect(recoveredB.status).toMatchObject({ ok: false, pending: 3, error: { code: 'EFBIG' } });
    expect((await stat(path)).size).toBe(written + 100);

    // A snapshot taken now covers only what is in the file: up to the end of seq 4, not the fragment, not the waiting facts.
    // RLIMIT_FSIZE holds for every file the child writes, and the snapshot file is about as large
    // as the journal (its size varies with the pid in the writer id), so the limit is lifted for
    // the compaction alone: no retry runs meanwhile (retries wait for the simulated clock), so
    // the facts are still waiting when the snapshot is taken.
    child.setFileSizeLimit('unlimited');
    expect((await child.send<{ warnings: string[] }>({ op: 'compact' })).warnings).toEqual([]);
    child.setFileSizeLimit(written + 100);
    expect((await child.send<State>({ op: 'state' })).status).toMatchObject({ ok: false, pending: 3 });
    const snapshot = JSON.parse(await readFile(snapshotPathFor(path), 'utf8')) as { position: number };
    expect(snapshot.position).toBe(written);
    const during = await fileJournal(path).load();
    expect(during.facts).toEqual([]);
    expect(during.warnings).toEqual([expect.stringMatching(/skipped a torn last line \(100 bytes without a newline/)]);

    // Space returns: the next retry writes the backlog, oldest first; then new facts follow it.
    child.setFileSizeLimit('unlimited');
    expect((await advance(RETRY_MS)).status).toMatchObject({ ok: true, pending: 0, dropped: 0 });
    expect((await fail(A)).status).toMatchObject({ ok: true, pending: 0 });
    await advance(5_000);
    const live = await child.send<State>({ op: 'state' });
    expect(live.health.map((v) => [v.key, v.status])).toEqual([
      [A, 'cooldown'], // crashed again 5 s ago
      [B, 'healthy'],
    ]);
    expect(live.notices).toEqual([
      { type: 'journal.degraded', location: path, at: T0 + 40_000, error: { code: 'SHORT_WRITE', message: expect.stringMatching(/short write \(100 of \d+ bytes\)/) }, message: expect.any(String) },
      { type: 'journal.recovered', location: path, at: T0 + 40_000 + RETRY_MS + 30_000 + RETRY_MS, since: T0 + 40_000, written: 3, dropped: 0, message: expect.stringMatching(/3 waiting facts written in order$/) },
    ]);
    expect((await child.send<{ warnings: string[] }>({ op: 'close' })).warnings).toEqual([]);
    expect((await child.exited).code).toBe(0);

    const whole = await fileJournal(path).load({ ignoreSnapshot: true });
    expect(whole.facts.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // gapless, in recording order
    expect(new Set(whole.facts.map((f) => f.writer)).size).toBe(1);
    expect(whole.warnings).toEqual([expect.stringMatching(new RegExp(`line 5 \\(byte ${written}\\): skipped a torn fragment \\(100 bytes at byte ${written}\\)`))]);
    const tail = await fileJournal(path).load();
    expect(tail.snapshot?.position).toBe(written);
    expect(tail.facts.map((f) => f.seq)).toEqual([5, 6, 7, 8]);

    // A fresh registry folds the file (from the snapshot, and from scratch) to the health the live one had.
    const restored = async (journalPath: string) => {
      const journal = fileJournal(journalPath);
      const registry = await openHealthRegistry({ journal, clock: new VirtualClock(live.at), random: () => 0.5 });
      const health = registry.all();
      const warnings = registry.warnings;
      await registry.close();
      await journal.close();
      return { health: JSON.parse(JSON.stringify(health)) as BackendHealthView[], warnings };
    };
    const fromSnapshot = await restored(path);
    expect(fromSnapshot.health).toEqual(live.health);
    expect(fromSnapshot.health.map((v) => v.status)).toEqual(live.health.map((v) => v.status));
    const copy = join(dir, 'copy.jsonl');
    await copyFile(path, copy);
    const fromScratch = await restored(copy);
    expect(fromScratch.health).toEqual(live.health);
    expect(fromScratch.warnings).toHaveLength(1); // the torn fragment, read once
  });
});
