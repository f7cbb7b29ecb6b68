import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileJournal } from '../../src/journal/fileJournal.js';
import { factProblem } from '../../src/journal/factSchema.js';
import { openHealthRegistry } from '../../src/registry/index.js';
import { useChildren, type AppendConfig } from './fixtures/children.js';
import { sampleFact } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';

const tempDir = useTempDir();
const start = useChildren();
const config = (path: string, overrides: Partial<AppendConfig>): AppendConfig => ({
  path,
  writer: 'child',
  count: 10,
  fsync: 'never',
  reportEvery: 1,
  close: true,
  waitForGo: false,
  messageBytes: 0,
  ...overrides,
});

describe('real processes', () => {
  it('the interval fsync timer does not keep a process alive', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const child = start(config(path, { count: 5, fsync: 60_000, close: false }));
    const started = Date.now();
    const bound = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
    const { code, signal, stderr } = await child.exited;
    clearTimeout(bound);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await fileJournal(path).load()).facts.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('SIGKILL mid-append: every record the child reported written is loaded and rehydrated, then a new writer appends', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    // Records up to ~9 KB, so many span a page boundary, where a kill can cut a write short.
    const child = start(config(path, { count: null, fsync: 'never', reportEvery: 50, messageBytes: 9000 }));
    await child.waitFor(/^wrote (\d{4,})$/); // at least 1000 appends in
    child.process.kill('SIGKILL');
    const { signal } = await child.exited;
    expect(signal).toBe('SIGKILL');
    const reported = Math.max(...child.lines.map((line) => Number(/^wrote (\d+)$/.exec(line)?.[1] ?? 0)));

    const seen: string[] = [];
    const journal = fileJournal(path, { onWarning: (w) => seen.push(w) });
    const afterKill = await journal.load();
    const seqs = afterKill.facts.map((f) => f.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(reported);
    expect(seqs).toEqual(seqs.map((_, i) => i)); // none lost, none doubled, in order
    expect(afterKill.warnings.length).toBeLessThanOrEqual(1);
    console.info(`killed after ${reported} reported appends; loaded ${seqs.length}; warnings: ${JSON.stringify(afterKill.warnings)}`);

    // Rehydrate health from what the killed process left: the registry replays every record.
    const registry = await openHealthRegistry({ journal: fileJournal(path), compactEvery: 0 });
    expect(registry.warnings).toEqual(afterKill.warnings);
    const backends = new Set(afterKill.facts.map((f) => f.backend));
    expect(registry.all().map((v) => v.key).sort()).toEqual([...backends].sort());
    await registry.close();

    journal.append(sampleFact('next', 0));
    journal.append(sampleFact('next', 1));
    await journal.close();
    const again = await fileJournal(path).load();
    expect(again.facts).toEqual([...afterKill.facts, sampleFact('next', 0), sampleFact('next', 1)]);
    expect(again.warnings).toHaveLength(afterKill.warnings.length);
  });

  it('two processes appending to one file at once: every record present once, every line valid, each writer in order', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const count = 2000;
    const writers = ['a', 'b'].map((writer) => start(config(path, { writer, count, waitForGo: true, reportEvery: count, messageBytes: 300 })));
    await Promise.all(writers.map((child) => child.waitFor(/^ready$/)));
    for (const child of writers) child.process.stdin.write('go\n');
    const ends = await Promise.all(writers.map((child) => child.exited));
    expect(ends.map(({ code, stderr }) => ({ code, stderr }))).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);

    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2 * count);
    const records = lines.map((line) => JSON.parse(line) as { writer: string; seq: number });
    expect(records.map(factProblem).filter(Boolean)).toEqual([]);
    for (const writer of ['a', 'b']) {
      expect(records.filter((r) => r.writer === writer).map((r) => r.seq)).toEqual(Array.from({ length: count }, (_, i) => i));
    }
    const { facts, warnings } = await fileJournal(path).load();
    expect(facts).toHaveLength(2 * count);
    expect(warnings).toEqual([]);
    // The writers really overlapped (otherwise this test would prove nothing about concurrency).
    const switches = records.filter((r, i) => i > 0 && r.writer !== records[i - 1]!.writer).length;
    console.info(`writer switches in the file: ${switches}`);
    expect(switches).toBeGreaterThan(1);
  });
});
