import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factLine, readJsonlRecords, RecordProblem, tailEndsInRecord, tornTailBytes } from '../../src/journal/jsonlRecords.js';
import { sampleFact, sampleFacts } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';

const tempDir = useTempDir();

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('readJsonlRecords', () => {
  const facts = sampleFacts('w', 9);
  const text = Buffer.from(facts.map(factLine).join(''));

  it('reads the same facts and position whatever the chunk size (lines and UTF-8 characters split across chunks)', async () => {
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const read = await readJsonlRecords(chunksOf(text, size), 0);
      expect(read).toEqual({ facts, notes: [], position: text.length });
    }
  });

  it('offsets and indexes count from the start it is given', async () => {
    const torn = Buffer.concat([text, Buffer.from('{"v":1,"ty')]);
    const read = await readJsonlRecords(chunksOf(torn, 5), 1000);
    expect(read.position).toBe(1000 + text.length);
    expect(read.notes).toEqual([{ offset: 1000 + text.length, index: 9, message: expect.stringMatching(/torn last line \(10 bytes/) }]);
  });

  it('throws a RecordProblem with the line index and offset', async () => {
    const bad = Buffer.from(`${factLine(sampleFact('w', 0))}[1,2]\n`);
    const error = await readJsonlRecords(chunksOf(bad, 8), 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordProblem);
    expect(error).toMatchObject({ index: 1, offset: Buffer.byteLength(factLine(sampleFact('w', 0))) });
  });

  it('writes records with v first', () => {
    const { v: _, ...withoutV } = sampleFact('w', 0);
    expect(factLine({ ...withoutV, v: 1 } as ReturnType<typeof sampleFact>)).toMatch(/^\{"v":1,"at":/);
  });
});

describe('tailEndsInRecord: what a writer must do about the end of the file before its next record', () => {
  const record = factLine(sampleFact('w', 1));
  const cases: [string, string, boolean][] = [
    ['a clean file', factLine(sampleFact('w', 0)), false],
    ['a torn record', record.slice(0, 40), false],
    ['a record that lost only its newline', record.trimEnd(), true],
    ['a fragment, then a record that lost only its newline', `${record.slice(0, 25)}${record.trimEnd()}`, true],
    ['a record with a fragment after it', `${record.trimEnd()}${record.slice(0, 25)}`, false],
    ["an earlier writer's marker that lost its newline", '{"v":1,"type":"journal.torn","at":1,"bytes":3}', true],
  ];
  for (const [name, content, expected] of cases) {
    it(`${name}: ${expected ? 'end it with a newline' : 'write the next record right after it'}`, () => {
      const path = join(tempDir(), 'journal.jsonl');
      writeFileSync(path, `${factLine(sampleFact('w', 0))}${content}`);
      const fd = openSync(path, 'r');
      try {
        const size = fstatSync(fd).size;
        expect(tornTailBytes(fd, size)).toBe(content.endsWith('\n') ? 0 : Buffer.byteLength(content));
        expect(tailEndsInRecord(fd, size, tornTailBytes(fd, size))).toBe(expected);
      } finally {
        closeSync(fd);
      }
    });
  }
});
