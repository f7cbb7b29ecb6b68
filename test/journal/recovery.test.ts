import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileJournal } from '../../src/journal/fileJournal.js';
import { factLine } from '../../src/journal/jsonlRecords.js';
import { sampleFact, sampleFacts } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';

const tempDir = useTempDir();
const lines = (facts: ReturnType<typeof sampleFacts>) => facts.map(factLine).join('');
/** The first `bytes` bytes of a record: what a write cut short by a crash leaves. */
const fragmentOf = (text: string, bytes: number) => Buffer.from(text).subarray(0, bytes);

describe('what a crash leaves behind', () => {
  it('torn last line: load skips it with one warning; the next writer appends right after it; nothing is truncated', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const complete = lines(sampleFacts('w', 3));
    const fragment = fragmentOf(factLine(sampleFact('w', 3)), 40);
    await writeFile(path, Buffer.concat([Buffer.from(complete), fragment]));

    const seen: string[] = [];
    const journal = fileJournal(path, { onWarning: (w) => seen.push(w) });
    const first = await journal.load();
    expect(first.facts).toEqual(sampleFacts('w', 3));
    expect(first.position).toBe(Buffer.byteLength(complete));
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatch(new RegExp(`^journal ${path} line 4 \\(byte ${Buffer.byteLength(complete)}\\): skipped a torn last line \\(40 bytes without a newline`));
    expect(seen).toEqual(first.warnings);

    // The next record goes right after the fragment, on its line: no marker, nothing a short write of its own could break.
    for (const fact of sampleFacts('w', 2, 10)) journal.append(fact);
    await journal.close();
    const bytes = await readFile(path);
    expect(bytes.subarray(0, Buffer.byteLength(complete) + 40)).toEqual(Buffer.concat([Buffer.from(complete), fragment]));
    expect(bytes.toString('utf8').split('\n')[3]).toBe(`${fragment.toString('utf8')}${factLine(sampleFact('w', 10)).trimEnd()}`);

    const after = await fileJournal(path).load();
    expect(after.facts).toEqual([...sampleFacts('w', 3), ...sampleFacts('w', 2, 10)]);
    expect(after.warnings).toHaveLength(1);
    expect(after.warnings[0]).toMatch(/line 4 .*skipped a torn fragment \(40 bytes at byte \d+\) that a crash or a failed write left/);
    expect(after.position).toBe(bytes.length);
  });

  it('two crashes in a row: a fragment, then a complete record that lost only its newline — the record is kept', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const head = lines(sampleFacts('w', 1));
    const fragment = fragmentOf(factLine(sampleFact('w', 1)), 30);
    const lostNewline = factLine(sampleFact('w', 2)).trimEnd();
    await writeFile(path, Buffer.concat([Buffer.from(head), fragment, Buffer.from(lostNewline)]));
    // Before anyone appends: the unterminated last line still yields the glued record.
    const before = await fileJournal(path).load();
    expect(before.facts.map((f) => f.seq)).toEqual([sampleFact('w', 0).seq, sampleFact('w', 2).seq]);
    // The tail ends in a complete record: a later writer ends it with a newline, and the record survives.
    const journal = fileJournal(path);
    journal.append(sampleFact('w', 3));
    await journal.close();
    const after = await fileJournal(path).load();
    expect(after.facts.map((f) => f.seq)).toEqual([0, 2, 3].map((i) => sampleFact('w', i).seq));
    expect(after.warnings).toHaveLength(1);
    expect(after.warnings[0]).toMatch(/skipped a torn fragment \(30 bytes/);
  });

  it('a fragment counts bytes, not characters (multi-byte text in the torn record)', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const record = factLine(sampleFact('w', 1)); // its message contains '✗' (3 bytes in UTF-8)
    const cut = Buffer.from(record).indexOf('✗') + 2; // cut inside the character
    await writeFile(path, fragmentOf(record, cut));
    const journal = fileJournal(path);
    journal.append(sampleFact('w', 2));
    await journal.close();
    const { facts, warnings } = await journal.load();
    expect(facts).toEqual([sampleFact('w', 2)]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`skipped a torn fragment \\(${cut} bytes at byte 0\\)`));
  });

  it('glued record: a record appended right after a fragment is kept, the fragment warned about', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const fragment = fragmentOf(factLine(sampleFact('crashed', 0)), 57);
    await writeFile(path, lines(sampleFacts('w', 2)));
    await appendFile(path, Buffer.concat([fragment, Buffer.from(factLine(sampleFact('w', 2)))]));
    await appendFile(path, factLine(sampleFact('w', 3)));

    const { facts, warnings } = await fileJournal(path).load();
    expect(facts).toEqual(sampleFacts('w', 4));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/line 3 .*skipped a torn fragment \(57 bytes at byte \d+\).*kept the complete records after it/);
  });

  it('glued records after two fragments: every complete record is kept, in order', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const glued = Buffer.concat([
      fragmentOf(factLine(sampleFact('a', 0)), 30),
      Buffer.from(factLine(sampleFact('w', 0)).trimEnd()), // a complete record whose newline alone was lost
      fragmentOf(factLine(sampleFact('b', 0)), 12),
      Buffer.from(factLine(sampleFact('w', 1))),
    ]);
    await writeFile(path, glued);
    const { facts, warnings } = await fileJournal(path).load();
    expect(facts).toEqual(sampleFacts('w', 2));
    expect(warnings).toHaveLength(2);
  });

  it('a complete last record without its newline is kept, and a snapshot after it does not replay it twice', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    await writeFile(path, lines(sampleFacts('w', 2)).trimEnd());
    const journal = fileJournal(path);
    const first = await journal.load();
    expect(first.facts).toEqual(sampleFacts('w', 2));
    expect(first.warnings).toEqual([]);
    await journal.saveSnapshot({ v: 1, position: first.position, at: 1, backends: {} });

    journal.append(sampleFact('w', 2)); // repairs the tail first: the complete record gets its newline
    await journal.close();
    const next = await journal.load();
    expect(next.snapshot?.position).toBe(first.position);
    expect(next.facts).toEqual([sampleFact('w', 2)]);
    expect(next.warnings).toEqual([]);
    // And a full replay sees each record once.
    await writeFile(`${path}.snapshot.json`, '{}');
    expect((await journal.load()).facts).toEqual(sampleFacts('w', 3));
  });

  it('an empty line (a tail repair racing another append) is skipped; a stray marker is not a fact', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    await writeFile(path, `${factLine(sampleFact('w', 0))}\n{"v":1,"type":"journal.torn","at":1,"bytes":99}\n${factLine(sampleFact('w', 1))}`);
    expect(await fileJournal(path).load()).toEqual({ facts: sampleFacts('w', 2), position: (await readFile(path)).length, warnings: [] });
  });
});
