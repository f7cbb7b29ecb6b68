import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileJournal } from '../../src/journal/fileJournal.js';
import { JournalError } from '../../src/journal/journalError.js';
import { factLine } from '../../src/journal/jsonlRecords.js';
import { sampleFact, sampleFacts } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';

const tempDir = useTempDir();

/** Writes the lines as a journal and returns its path and the byte offset of each line. */
async function journalOf(lines: string[]): Promise<{ path: string; offsets: number[] }> {
  const path = join(tempDir(), 'journal.jsonl');
  await writeFile(path, lines.map((line) => `${line}\n`).join(''));
  const offsets = lines.map((_, i) => lines.slice(0, i).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0));
  return { path, offsets };
}

async function loadError(path: string): Promise<JournalError> {
  const error: unknown = await fileJournal(path).load().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JournalError);
  return error as JournalError;
}

const record = (seq: number) => factLine(sampleFact('w', seq)).trimEnd();

describe('records that are not valid facts are errors naming file, line, byte and reason', () => {
  it('a corrupt middle line', async () => {
    const { path, offsets } = await journalOf([record(0), record(1), '{"v":1,"type":"call.succeeded",#', record(3), record(4)]);
    const error = await loadError(path);
    expect(error).toMatchObject({ file: path, line: 3, offset: offsets[2] });
    expect(error.reason).toMatch(/^not JSON \(.+\)$/);
    expect(error.message).toBe(`journal ${path} line 3 (byte ${offsets[2]}): ${error.reason}`);
  });

  it('an unknown format version', async () => {
    const { path, offsets } = await journalOf([record(0), record(1), record(2), record(3), record(4), record(5), record(6).replace('{"v":1', '{"v":2')]);
    const error = await loadError(path);
    expect(error).toMatchObject({ line: 7, offset: offsets[6], reason: 'unsupported format version 2 (this version reads v1)' });
    expect(error.message).toBe(`journal ${path} line 7 (byte ${offsets[6]}): unsupported format version 2 (this version reads v1)`);
  });

  it('a record that breaks the schema names the field', async () => {
    const { path } = await journalOf([record(0), record(1).replace('"kind":"crash"', '"kind":"exploded"')]);
    const error = await loadError(path);
    expect(error.line).toBe(2);
    expect(error.reason).toMatch(/^failure\.kind: /);
  });

  it('an unparseable middle line with a marker that does not match it is still an error', async () => {
    const { path } = await journalOf([record(0), '{"v":1,"type":"call.su', '{"v":1,"type":"journal.torn","at":1,"bytes":3}', record(3)]);
    expect(await loadError(path)).toMatchObject({ line: 2 });
  });

  it('a glued line whose last record is not a valid fact is an error, not a recovery', async () => {
    const { path } = await journalOf([record(0), `{"v":1,"ty${record(1).replace('{"v":1', '{"v":3')}`]);
    expect(await loadError(path)).toMatchObject({ line: 2, reason: expect.stringMatching(/^not JSON/) });
  });

  it('after a snapshot, the line number is still the line of the file', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const journal = fileJournal(path);
    for (const fact of sampleFacts('w', 5)) journal.append(fact);
    const { position } = await journal.load();
    await journal.saveSnapshot({ v: 1, position, at: 0, backends: {} });
    journal.append(sampleFact('w', 5));
    await journal.close();
    await writeFile(path, `{"v":1,"type":"backend.reset"}\n`, { flag: 'a' });
    const error = await loadError(path);
    expect(error).toMatchObject({ line: 7, reason: expect.stringMatching(/^at: /) });
  });
});
