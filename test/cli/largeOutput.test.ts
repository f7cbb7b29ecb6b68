import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { fileJournal, openHealthRegistry, VirtualClock } from '../../src/index.js';
import { tempDir } from '../report/fixtures.js';
import { runNode } from '../support/runNode.js';

const BIN = inject('builtCli');
const T0 = Date.parse('2026-11-27T10:00:00Z');
const FACTS = 4_000;

describe('output larger than a pipe holds (built CLI, subprocess)', () => {
  const dir = tempDir('lhr-large-');
  let journal: string;
  beforeAll(async () => {
    journal = join(dir.path, 'health.jsonl');
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: fileJournal(journal), clock, random: () => 0, compactEvery: 0 });
    for (let i = 0; i < FACTS; i++) {
      clock.advanceBy(1_000);
      registry.record({ type: 'call.failed', backend: `custom|chat_completions|http://127.0.0.1:${9000 + (i % 50)}/v1`, failure: { kind: 'backend_fault', reason: 'http_503', message: `overloaded ${i}`, status: 503 } });
    }
    await registry.close();
  });
  afterAll(() => dir.remove());

  it('replay and replay --json reach the reader whole: the process exits only after its output left', async () => {
    const text = await runNode(BIN, ['replay', journal]);
    expect(text.code).toBe(0);
    expect(text.stdout.length).toBeGreaterThan(256 * 1024);
    expect(text.stdout).toContain(`failed: backend_fault (http_503), HTTP 503: overloaded ${FACTS - 1}\n`);
    const json = await runNode(BIN, ['replay', journal, '--json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { facts: unknown[] }).facts).toHaveLength(FACTS);
  });
});
