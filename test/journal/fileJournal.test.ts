import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileJournal, type FsyncPolicy } from '../../src/journal/fileJournal.js';
import type { Journal, JournalSnapshot } from '../../src/journal/journal.js';
import { JournalError } from '../../src/journal/journalError.js';
import { memoryJournal } from '../../src/journal/memoryJournal.js';
import { snapshotPathFor } from '../../src/journal/snapshotFile.js';
import { sampleFact, sampleFacts } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';

const tempDir = useTempDir();

/** Whether `position` starts a line of `bytes` (0, or right after a newline). */
function atRecordStart(bytes: Buffer, position: number): boolean {
  return position === 0 || bytes[position - 1] === 0x0a;
}

const snapshotAt = (position: number, at = 123): JournalSnapshot => ({ v: 1, position, at, backends: { b: { value: 'healthy', streak: 0 } } });

describe('fileJournal through the Journal interface', () => {
  it('loads exactly what memoryJournal loads for the same appends, each record one line starting with {"v":', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const file = fileJournal(relative(process.cwd(), path));
    const memory = memoryJournal();
    expect(isAbsolute(file.location)).toBe(true);
    expect(file.location).toBe(path);
    for (const fact of sampleFacts('w', 41)) for (const journal of [file, memory]) journal.append(fact);

    const [fromFile, fromMemory] = await Promise.all([file.load(), memory.load()]);
    expect(fromFile.facts).toEqual(fromMemory.facts);
    expect(fromFile.facts).toHaveLength(41);
    expect(fromFile.warnings).toEqual([]);
    const bytes = await readFile(path);
    expect(fromFile.position).toBe(bytes.length);
    const lines = bytes.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.every((line) => line.startsWith('{"v":1,'))).toBe(true);
    await file.close();
  });

  it('snapshot + tail: the same snapshot and facts as memoryJournal, positions at record boundaries', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const file = fileJournal(path);
    const memory = memoryJournal();
    const facts = sampleFacts('w', 15);
    const append = (from: number, to: number) => facts.slice(from, to).forEach((fact) => [file, memory].forEach((journal) => journal.append(fact)));

    // An empty journal takes a snapshot at 0 too.
    await Promise.all([file.saveSnapshot(snapshotAt(0)), memory.saveSnapshot(snapshotAt(0))]);
    append(0, 10);
    const before = await Promise.all([file.load(), memory.load()]);
    expect(before[0].facts).toEqual(before[1].facts);
    await Promise.all([file.saveSnapshot(snapshotAt(before[0].position, 9)), memory.saveSnapshot(snapshotAt(before[1].position, 9))]);
    append(10, 15);

    const [fromFile, fromMemory] = await Promise.all([file.load(), memory.load()]);
    expect(fromFile.snapshot).toEqual({ ...fromMemory.snapshot, position: before[0].position });
    expect(fromFile.facts).toEqual(fromMemory.facts);
    expect(fromFile.facts.map((f) => f.seq)).toEqual([10, 11, 12, 13, 14]);
    const bytes = await readFile(path);
    expect(atRecordStart(bytes, before[0].position)).toBe(true);
    expect(fromFile.position).toBe(bytes.length);

    // A snapshot at the very end: nothing after it.
    await file.saveSnapshot(snapshotAt(fromFile.position));
    expect(await file.load()).toEqual({ snapshot: snapshotAt(fromFile.position), facts: [], position: bytes.length, warnings: [] });
    await file.close();
  });

  it('after a snapshot, load reads only the tail: a corrupt byte before the snapshot position does not matter', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const writer = fileJournal(path, { fsync: 'never' });
    for (let seq = 0; seq < 20_000; seq++) writer.append(sampleFact('old', seq));
    const { position } = await writer.load();
    await writer.saveSnapshot(snapshotAt(position));
    for (const fact of sampleFacts('new', 3)) writer.append(fact);
    await writer.close();

    // Corrupt the first record, far before the snapshot position: a full replay would stop there.
    const handle = await import('node:fs/promises').then((fs) => fs.open(path, 'r+'));
    await handle.write('#', 5);
    await handle.close();

    const reader = fileJournal(path);
    const started = performance.now();
    const contents = await reader.load();
    const elapsedMs = performance.now() - started;
    expect(contents.snapshot?.position).toBe(position);
    expect(contents.facts).toEqual(sampleFacts('new', 3));
    expect(contents.warnings).toEqual([]);
    // Evidence only (not a timing assertion): a tail read of a multi-megabyte journal.
    console.info(`tail load of a ${(position / 1e6).toFixed(1)} MB journal: ${elapsedMs.toFixed(1)} ms`);

    // Without the snapshot, the whole file is replayed and the corrupt byte is found.
    await writeFile(snapshotPathFor(path), 'not a snapshot');
    await expect(reader.load()).rejects.toMatchObject({ name: 'JournalError', line: 1, offset: 0 });
  });

  it('creates parent directories on the first append; a load alone creates nothing', async () => {
    const path = join(tempDir(), 'deep', 'er', 'journal.jsonl');
    const journal = fileJournal(path);
    expect(await journal.load()).toEqual({ facts: [], position: 0, warnings: [] });
    expect(existsSync(join(tempDir(), 'deep'))).toBe(false);
    journal.append(sampleFact('w', 0));
    expect(existsSync(path)).toBe(true);
    expect((await journal.load()).facts).toEqual([sampleFact('w', 0)]);
    await journal.close();
  });

  it('append after close throws; close is idempotent; the journal can still be loaded', async () => {
    const journal = fileJournal(join(tempDir(), 'journal.jsonl'));
    journal.append(sampleFact('w', 0));
    await Promise.all([journal.close(), journal.close()]);
    await journal.close();
    expect(() => journal.append(sampleFact('w', 1))).toThrow(/is closed/);
    expect((await journal.load()).facts).toHaveLength(1);
  });

  it('refuses a fact the schema rejects, so one bad write cannot make the file unloadable', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const journal = fileJournal(path);
    journal.append(sampleFact('w', 0));
    const bad = { ...sampleFact('w', 1), at: Number.NaN } as Parameters<Journal['append']>[0];
    expect(() => journal.append(bad)).toThrow(TypeError);
    expect(() => journal.append(bad)).toThrow(/at: /);
    await journal.close();
    expect((await fileJournal(path).load()).facts).toEqual([sampleFact('w', 0)]);
  });

  it('saveSnapshot rejects a position outside the journal or inside a record, like memoryJournal', async () => {
    const journal = fileJournal(join(tempDir(), 'journal.jsonl'));
    await expect(journal.saveSnapshot(snapshotAt(1))).rejects.toThrow(RangeError);
    journal.append(sampleFact('w', 0));
    const { position } = await journal.load();
    await expect(journal.saveSnapshot(snapshotAt(position + 1))).rejects.toThrow(/outside the journal/);
    await expect(journal.saveSnapshot(snapshotAt(3))).rejects.toThrow(/not at a line boundary/);
    await expect(journal.saveSnapshot({ ...snapshotAt(0), backends: null } as unknown as JournalSnapshot)).rejects.toThrow(/backends/);
    await journal.close();
  });

  const policies: FsyncPolicy[] = ['always', 'never', { intervalMs: 5 }];
  it.each(policies.map((policy) => [JSON.stringify(policy), policy] as const))('fsync %s: appends survive close and reopen', async (_, policy) => {
    const path = join(tempDir(), 'journal.jsonl');
    const warnings: string[] = [];
    const journal = fileJournal(path, { fsync: policy, onWarning: (w) => warnings.push(w) });
    for (const fact of sampleFacts('w', 10)) journal.append(fact);
    // Lets an interval policy's timer (armed by the first append) run once between the two batches:
    // Node runs due timers in the order they fall due, and this one falls due after it, however
    // late a busy machine runs both. (No real-time bound is asserted; the order is what counts.)
    await new Promise((resolve) => setTimeout(resolve, typeof policy === 'object' ? policy.intervalMs + 1 : 0));
    for (const fact of sampleFacts('w', 10, 10)) journal.append(fact);
    await journal.flush();
    await journal.close();
    const reopened = fileJournal(path, { fsync: policy });
    expect((await reopened.load()).facts).toEqual(sampleFacts('w', 20));
    reopened.append(sampleFact('w', 20));
    await reopened.close();
    expect((await reopened.load()).facts).toEqual(sampleFacts('w', 21));
    expect(warnings).toEqual([]);
  });

  it('rejects an fsync policy it does not know', () => {
    expect(() => fileJournal(join(tempDir(), 'j.jsonl'), { fsync: { intervalMs: 0 } })).toThrow(RangeError);
    expect(() => fileJournal(join(tempDir(), 'j.jsonl'), { fsync: 'sometimes' as 'never' })).toThrow(/fsync must be/);
  });

  it('a journal that is corrupt fails with a JournalError, also when read through a fresh instance', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    await writeFile(path, 'nonsense\n');
    await expect(fileJournal(path).load()).rejects.toBeInstanceOf(JournalError);
  });
});
