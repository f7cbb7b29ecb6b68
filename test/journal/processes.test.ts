import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileJournal } from '../../src/journal/fileJournal.js';
import { factProblem } from '../../src/journal/factSchema.js';
import { openHealthRegistry } from '../../src/registry/index.js';
import { useChildren, type AppendConfig } from './fixtures/children.js';
import { sampleFact } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';
import { CONDITION_BOUND_MS, until } from '../support/virtualTimers.js';

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
    // A timer that kept it alive would keep it alive for good (it is an interval): the kill only
    // ends such a child, and its signal then fails the test; how long a busy machine takes to run
    // the child decides nothing.
    const bound = setTimeout(() => child.process.kill('SIGKILL'), CONDITION_BOUND_MS);
    const { code, signal, stderr } = await child.exited;
    clearTimeout(bound);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
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
    const writers = ['a', 'b'].map((writer) => start(config(path, { writer, count: null, waitForGo: true, untilStop: true, reportEvery: 50, messageBytes: 300 })));
    await Promise.all(writers.map((child) => child.waitFor(/^ready$/)));
    for (const child of writers) child.process.stdin.write('go\n');
    // Both write until the file shows their records interleaved — however long a busy machine
    // takes to run them side by side — so the test always proves something about concurrency.
    const file = interleaving(path);
    await until('both writers’ records interleaved in the file', () => file.switches() > 1);
    for (const child of writers) child.process.stdin.write('stop\n');
    const ends = await Promise.all(writers.map((child) => child.exited));
    expect(ends.map(({ code, stderr }) => ({ code, stderr }))).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    const counts = writers.map((child) => Number(child.lines.map((line) => /^stopped after (\d+)$/.exec(line)?.[1]).find(Boolean)));

    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(counts[0]! + counts[1]!);
    const records = lines.map((line) => JSON.parse(line) as { writer: string; seq: number });
    expect(records.map(factProblem).filter(Boolean)).toEqual([]);
    for (const [i, writer] of ['a', 'b'].entries()) {
      expect(records.filter((r) => r.writer === writer).map((r) => r.seq)).toEqual(Array.from({ length: counts[i]! }, (_, seq) => seq));
    }
    const { facts, warnings } = await fileJournal(path).load();
    expect(facts).toHaveLength(counts[0]! + counts[1]!);
    expect(warnings).toEqual([]);
    const switches = records.filter((r, i) => i > 0 && r.writer !== records[i - 1]!.writer).length;
    console.info(`records: ${counts.join(' + ')}; writer switches in the file: ${switches}`);
    expect(switches).toBeGreaterThan(1);
  });
});

/** Follows a journal file as it grows and counts how often the writer changes from one complete record to the next. */
function interleaving(path: string): { switches(): number } {
  let offset = 0;
  let partial = '';
  let last: string | undefined;
  let switches = 0;
  return {
    switches() {
      if (!existsSync(path)) return 0;
      const fd = openSync(path, 'r');
      try {
        const buffer = Buffer.alloc(1 << 20);
        for (let read = readSync(fd, buffer, 0, buffer.length, offset); read > 0; read = readSync(fd, buffer, 0, buffer.length, offset)) {
          offset += read;
          const parts = (partial + buffer.toString('utf8', 0, read)).split('\n');
          partial = parts.pop()!;
          for (const line of parts) {
            const writer = (JSON.parse(line) as { writer: string }).writer;
            if (last !== undefined && writer !== last) switches += 1;
            last = writer;
          }
        }
      } finally {
        closeSync(fd);
      }
      return switches;
    },
  };
}
