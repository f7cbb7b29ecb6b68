import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fileJournal, type HealthFact } from '../../src/index.js';
import { openJournalReader } from '../../src/journal/journalReader.js';
import { fcSeed } from '../support/fcSeed.js';
import { tempDir } from '../report/fixtures.js';

const seed = fcSeed('journal reader', 'test/journal/journalReader.test.ts');
const dir = tempDir('lhr-reader-');
afterAll(() => dir.remove());

const fact = (i: number, message = 'x'): HealthFact => ({
  v: 1,
  type: 'call.failed',
  at: 1_000 + i * 10,
  backend: `b${i % 3}`,
  startedAt: 1_000 + i * 10,
  failure: { kind: 'backend_fault', reason: 'http_500', message: `${message} ${'é'.repeat(i % 4)}` },
  jitterSample: 0.5,
});
const line = (f: HealthFact) => `${JSON.stringify(f)}\n`;

/** The pieces a journal is made of, crash leftovers included (see jsonlRecords.ts). */
type Piece = { kind: 'fact' | 'fragmentMarked' | 'glued' | 'empty' | 'garbage' };
const pieces = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.constant<Piece>({ kind: 'fact' }) },
    { weight: 1, arbitrary: fc.constant<Piece>({ kind: 'fragmentMarked' }) },
    { weight: 1, arbitrary: fc.constant<Piece>({ kind: 'glued' }) },
    { weight: 1, arbitrary: fc.constant<Piece>({ kind: 'empty' }) },
    { weight: 1, arbitrary: fc.constant<Piece>({ kind: 'garbage' }) },
  ),
  { maxLength: 30 },
);

function journalText(parts: readonly Piece[], tornTail: number): string {
  let text = '';
  parts.forEach((piece, i) => {
    const whole = line(fact(i));
    const cut = whole.slice(0, 5 + (i % 20));
    if (piece.kind === 'fact') text += whole;
    else if (piece.kind === 'empty') text += '\n';
    else if (piece.kind === 'garbage') text += `not json ${i}\n`;
    else if (piece.kind === 'glued') text += `${cut}${whole}`;
    else text += `${cut}\n${JSON.stringify({ v: 1, type: 'journal.torn', at: 1, bytes: Buffer.byteLength(cut) })}\n`;
  });
  if (tornTail > 0) text += line(fact(99)).slice(0, tornTail);
  return text;
}

/** Everything a whole-file load says: facts, warnings, or the error. */
async function loadWhole(path: string) {
  const warnings: string[] = [];
  try {
    const { facts } = await fileJournal(path, { onWarning: (w) => warnings.push(w) }).load({ ignoreSnapshot: true });
    return { facts, warnings, error: undefined as string | undefined };
  } catch (error) {
    return { facts: [], warnings, error: (error as Error).message };
  }
}

async function readStreamed(path: string, windowBytes: number, from = 0) {
  const warnings: string[] = [];
  const reader = await openJournalReader(path, { onWarning: (w) => warnings.push(w), windowBytes, ignoreSnapshot: true });
  const facts: HealthFact[] = [];
  try {
    for await (const batch of reader.batches(from)) facts.push(...batch);
    return { facts, warnings, error: undefined as string | undefined };
  } catch (error) {
    return { facts: [], warnings, error: (error as Error).message };
  } finally {
    await reader.close();
  }
}

describe('openJournalReader: the journal in batches', () => {
  it('reads what one load of the whole file reads — facts, crash-leftover warnings, errors — whatever the batch size', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(pieces, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 300 }), async (parts, tornTail, windowBytes) => {
        const path = join(dir.path, `p${run++}.jsonl`);
        writeFileSync(path, journalText(parts, tornTail));
        const whole = await loadWhole(path);
        const streamed = await readStreamed(path, windowBytes);
        expect(streamed.error).toBe(whole.error);
        if (whole.error !== undefined) return;
        expect(streamed.facts).toEqual(whole.facts);
        // A load that fails stops at its error; before it, the same warnings, same places.
        expect(streamed.warnings).toEqual(whole.warnings);
      }),
      { seed, numRuns: 150 },
    );
  });

  it('finds the last N lines and the first fact at or after a time, never between a fragment and its marker', async () => {
    const path = join(dir.path, 'positions.jsonl');
    const parts: Piece[] = Array.from({ length: 40 }, (_, i) => ({ kind: i === 20 ? 'fragmentMarked' : 'fact' }));
    const text = journalText(parts, 0);
    writeFileSync(path, text);
    for (const windowBytes of [7, 64, 4096]) {
      const reader = await openJournalReader(path, { windowBytes });
      try {
        const lines = text.split('\n').slice(0, -1);
        const startOf = (index: number) => Buffer.byteLength(lines.slice(0, index).map((l) => `${l}\n`).join(''));
        expect(await reader.countLines(0)).toBe(lines.length); // 41: the fragment and its marker are two lines
        expect(await reader.lastLinesStart(3)).toBe(startOf(lines.length - 3));
        expect(await reader.lastLinesStart(1_000)).toBe(0);
        // Line 20 is the fragment, 21 its marker: a range beginning at the marker begins at the fragment.
        expect(await reader.lastLinesStart(lines.length - 21)).toBe(startOf(20));
        expect(await reader.lineStartAtTime(fact(30).at)).toBe(startOf(31)); // line 31 holds fact 30 (the marker shifts it)
        expect(await reader.lineStartAtTime(fact(30).at - 5)).toBe(startOf(31));
        expect(await reader.lineStartAtTime(0)).toBe(0);
        expect(await reader.lineStartAtTime(fact(39).at + 1)).toBe(reader.size);
        const tail: HealthFact[] = [];
        for await (const batch of reader.batches(await reader.lineStartAtTime(fact(37).at))) tail.push(...batch);
        expect(tail.map((f) => f.at)).toEqual([fact(37).at, fact(38).at, fact(39).at]);
      } finally {
        await reader.close();
      }
    }
  });
});
