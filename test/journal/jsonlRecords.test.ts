import { describe, expect, it } from 'vitest';
import { factLine, readJsonlRecords, RecordProblem, tornMarkerLines } from '../../src/journal/jsonlRecords.js';
import { sampleFact, sampleFacts } from './fixtures/facts.js';

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

  it('writes records with v first and markers after a newline', () => {
    const { v: _, ...withoutV } = sampleFact('w', 0);
    expect(factLine({ ...withoutV, v: 1 } as ReturnType<typeof sampleFact>)).toMatch(/^\{"v":1,"at":/);
    expect(tornMarkerLines(37, 5)).toBe('\n{"v":1,"type":"journal.torn","at":5,"bytes":37}\n');
  });
});
