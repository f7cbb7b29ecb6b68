import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileJournal } from '../../src/journal/fileJournal.js';
import type { JournalSnapshot } from '../../src/journal/journal.js';
import { snapshotPathFor, snapshotProblem } from '../../src/journal/snapshotFile.js';
import { sampleFacts } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';

const tempDir = useTempDir();

/** A journal of 8 facts with a snapshot after the first 5; returns its path and that position. */
async function journalWithSnapshot(): Promise<{ path: string; position: number }> {
  const path = join(tempDir(), 'journal.jsonl');
  const journal = fileJournal(path);
  for (const fact of sampleFacts('w', 5)) journal.append(fact);
  const { position } = await journal.load();
  await journal.saveSnapshot({ v: 1, position, at: 5, backends: { b: { value: 'cooldown' } } });
  for (const fact of sampleFacts('w', 3, 5)) journal.append(fact);
  await journal.close();
  return { path, position };
}

describe('snapshots', () => {
  it('are written atomically next to the journal, leaving no temporary file', async () => {
    const { path, position } = await journalWithSnapshot();
    expect(await readdir(tempDir())).toEqual(['journal.jsonl', 'journal.jsonl.snapshot.json']);
    const stored = JSON.parse(await readFile(snapshotPathFor(path), 'utf8')) as JournalSnapshot & { lastLine: unknown };
    expect(stored).toMatchObject({ v: 1, position, at: 5, backends: { b: { value: 'cooldown' } }, lastLine: { bytes: expect.any(Number), sha256: expect.any(String) } });
    const { snapshot, facts } = await fileJournal(path).load();
    expect(snapshot).toEqual({ v: 1, position, at: 5, backends: { b: { value: 'cooldown' } } });
    expect(facts).toEqual(sampleFacts('w', 3, 5));
  });

  it.each([
    ['not JSON', 'garbage{'],
    ['a wrong version', JSON.stringify({ v: 2, position: 0, at: 0, backends: {} })],
    ['no backends', JSON.stringify({ v: 1, position: 0, at: 0 })],
    ['a position past the end', JSON.stringify({ v: 1, position: 1e9, at: 0, backends: {} })],
    ['a position inside a record', JSON.stringify({ v: 1, position: 7, at: 0, backends: {} })],
    ['a text position', JSON.stringify({ v: 1, position: '12', at: 0, backends: {} })],
  ])('a corrupt or unusable snapshot (%s) is a warning and a full replay of the same facts', async (_, text) => {
    const { path } = await journalWithSnapshot();
    await writeFile(snapshotPathFor(path), text);
    const seen: string[] = [];
    const contents = await fileJournal(path, { onWarning: (w) => seen.push(w) }).load();
    expect(contents.snapshot).toBeUndefined();
    expect(contents.facts).toEqual(sampleFacts('w', 8));
    expect(contents.warnings).toHaveLength(1);
    expect(contents.warnings[0]).toMatch(new RegExp(`^snapshot ${snapshotPathFor(path)} is unusable \\(.+\\); replaying the whole journal instead$`));
    expect(seen).toEqual(contents.warnings);
  });

  it('a snapshot is not used with a different journal (deleted to reset, then grown past its position)', async () => {
    const { path, position } = await journalWithSnapshot();
    await rm(path);
    const journal = fileJournal(path);
    // Same record lengths as before (writer 'W' vs 'w'), so the old position is even a line boundary.
    for (const fact of sampleFacts('W', 12)) journal.append(fact);
    await journal.close();
    const contents = await journal.load();
    expect((await readFile(path)).length).toBeGreaterThan(position);
    expect(contents.snapshot).toBeUndefined();
    expect(contents.facts).toEqual(sampleFacts('W', 12));
    expect(contents.warnings).toEqual([expect.stringMatching(/was replaced or rewritten/)]);
  });

  it('snapshotProblem names what is wrong with the envelope', () => {
    expect(snapshotProblem({ v: 1, position: 0, at: 0, backends: {} })).toBeUndefined();
    expect(snapshotProblem([])).toBe('not a JSON object');
    expect(snapshotProblem({ v: 1, position: -1, at: 0, backends: {} })).toMatch(/position/);
    expect(snapshotProblem({ v: 1, position: 0, at: 'now', backends: {} })).toMatch(/^at/);
  });
});
