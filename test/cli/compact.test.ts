import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileJournal, openHealthRegistry } from '../../src/index.js';
import { runNode } from '../support/runNode.js';

/** The CLI as this run built it (test/globalSetup.ts). */
const BIN = inject('builtCli');
const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';

describe('llm-health-router compact (built CLI, subprocess)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-compact-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a snapshot beside the journal; the next load starts after it', async () => {
    const path = join(dir, 'journal.jsonl');
    const journal = fileJournal(path);
    const registry = await openHealthRegistry({ journal });
    registry.record({ type: 'call.failed', backend: FACADE, failure: { kind: 'crash', reason: 'crash_signature' } });
    registry.close();
    await journal.close();
    const run = await runNode(BIN, ['compact', path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/snapshot of 1 backends covering \d+ bytes/);
    expect(existsSync(`${path}.snapshot.json`)).toBe(true);
    const contents = await fileJournal(path).load();
    expect(contents.facts).toEqual([]);
    expect(Object.keys(contents.snapshot!.backends)).toEqual([FACADE]);
  });

  it('names the file and line of a corrupt journal, and a missing one, with exit code 1', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"v":1,"type":"backend.reset","at":1,"backend":"x"}\n{"v":1,"type":"oops"}\n{"v":1,"type":"backend.reset","at":2,"backend":"x"}\n');
    const corrupt = await runNode(BIN, ['compact', bad]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(`${bad} line 2`);
    const missing = await runNode(BIN, ['compact', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no journal at ${join(dir, 'nope.jsonl')}`);
  });
});
