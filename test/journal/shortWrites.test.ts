import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileJournal } from '../../src/journal/fileJournal.js';
import { factLine } from '../../src/journal/jsonlRecords.js';
import { PRLIMIT_MISSING, useLimitedChildren } from '../support/limitedChild.js';
import { sampleFact } from './fixtures/facts.js';
import { useTempDir } from './fixtures/tempDir.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/limitedAppends.ts', import.meta.url));
const tempDir = useTempDir();
const start = useLimitedChildren();
const bytesOf = (seq: number) => Buffer.byteLength(factLine(sampleFact('w', seq)));
const seqs = (facts: readonly { seq?: number }[]) => facts.map((f) => f.seq);
type Answer = { ok: boolean; code?: string; message?: string };

/**
 * Real short writes: the writer runs under a file size limit (RLIMIT_FSIZE), so a record that
 * crosses it is written in part and every later write fails with EFBIG until the limit is raised
 * — a disk filling up and getting space back. At every step the file must load.
 */
describe.skipIf(PRLIMIT_MISSING !== undefined)(`file journal: short writes and recovery (${PRLIMIT_MISSING ?? 'RLIMIT_FSIZE'})`, () => {
  it('a record cut short: the append throws SHORT_WRITE, later ones EFBIG without growing the file; once writable, the retried record follows the fragment on its line', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const head = bytesOf(0) + bytesOf(1);
    const child = start(FIXTURE, { path }, head + 30);
    const append = (seq: number) => child.send<Answer>({ op: 'append', seq });

    expect(await append(0)).toEqual({ ok: true });
    expect(await append(1)).toEqual({ ok: true });
    expect(await append(2)).toMatchObject({ ok: false, code: 'SHORT_WRITE', message: expect.stringMatching(/short write \(30 of \d+ bytes\)/) });
    // While the disk stays full, the repair writes nothing and the append fails cleanly, again and again.
    for (let i = 0; i < 3; i++) expect(await append(2)).toMatchObject({ ok: false, code: 'EFBIG' });
    expect((await stat(path)).size).toBe(head + 30);
    const during = await fileJournal(path).load();
    expect(seqs(during.facts)).toEqual([0, 1]);
    expect(during.warnings).toEqual([expect.stringMatching(/skipped a torn last line \(30 bytes without a newline/)]);

    child.setFileSizeLimit('unlimited');
    expect(await append(2)).toEqual({ ok: true });
    expect(await append(3)).toEqual({ ok: true });
    await child.send({ op: 'close' });

    const bytes = await readFile(path);
    expect(bytes.subarray(0, head + 30)).toEqual(Buffer.from(factLine(sampleFact('w', 0)) + factLine(sampleFact('w', 1)) + factLine(sampleFact('w', 2))).subarray(0, head + 30));
    expect(bytes.toString('utf8')).not.toContain('journal.torn');
    const after = await fileJournal(path).load();
    expect(seqs(after.facts)).toEqual([0, 1, 2, 3]);
    expect(after.warnings).toEqual([expect.stringMatching(new RegExp(`line 3 \\(byte ${head}\\): skipped a torn fragment \\(30 bytes at byte ${head}\\)`))]);
    expect(after.position).toBe(bytes.length);
  });

  it('a record that lost only its newline counts as written; the next append adds the newline first, so a snapshot taken meanwhile stays usable', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const head = bytesOf(0) + bytesOf(1);
    const child = start(FIXTURE, { path }, head + bytesOf(2) - 1);
    const append = (seq: number) => child.send<Answer>({ op: 'append', seq });
    for (const seq of [0, 1, 2]) expect(await append(seq)).toEqual({ ok: true });

    // A reader keeps the record already: that is why the append did not throw (a retry would write it twice).
    const reader = fileJournal(path);
    const during = await reader.load();
    expect(seqs(during.facts)).toEqual([0, 1, 2]);
    expect(during.warnings).toEqual([]);
    expect(during.position).toBe(head + bytesOf(2) - 1);
    await reader.saveSnapshot({ v: 1, position: during.position, at: 1, backends: {} });

    expect(await append(3)).toMatchObject({ ok: false, code: 'EFBIG' }); // the newline itself does not fit
    child.setFileSizeLimit('unlimited');
    expect(await append(3)).toEqual({ ok: true });
    await child.send({ op: 'close' });

    const fromSnapshot = await reader.load();
    expect(fromSnapshot.snapshot?.position).toBe(during.position);
    expect(seqs(fromSnapshot.facts)).toEqual([3]);
    expect(fromSnapshot.warnings).toEqual([]);
    const whole = await reader.load({ ignoreSnapshot: true });
    expect(seqs(whole.facts)).toEqual([0, 1, 2, 3]);
    expect(whole.warnings).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe([0, 1, 2, 3].map((seq) => factLine(sampleFact('w', seq))).join(''));
  });

  it('a retry cut short too (space came back, but not enough): both fragments are skipped, every record after them kept', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    const head = bytesOf(0);
    const child = start(FIXTURE, { path }, head + 30);
    const append = (seq: number) => child.send<Answer>({ op: 'append', seq });
    expect(await append(0)).toEqual({ ok: true });
    expect(await append(1)).toMatchObject({ ok: false, code: 'SHORT_WRITE' });
    child.setFileSizeLimit(head + 30 + 50);
    expect(await append(1)).toMatchObject({ ok: false, code: 'SHORT_WRITE', message: expect.stringMatching(/short write \(50 of/) });
    expect((await fileJournal(path).load()).facts).toHaveLength(1); // loadable in between, too
    child.setFileSizeLimit('unlimited');
    expect(await append(1)).toEqual({ ok: true });
    expect(await append(2)).toEqual({ ok: true });
    await child.send({ op: 'close' });

    const after = await fileJournal(path).load();
    expect(seqs(after.facts)).toEqual([0, 1, 2]);
    expect(after.warnings).toEqual([
      expect.stringMatching(new RegExp(`skipped a torn fragment \\(30 bytes at byte ${head}\\)`)),
      expect.stringMatching(new RegExp(`skipped a torn fragment \\(50 bytes at byte ${head + 30}\\)`)),
    ]);
  });
});
