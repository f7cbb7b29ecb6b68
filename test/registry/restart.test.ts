import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runNode } from '../support/runNode.js';

const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';

describe('health survives a restart (real processes, a real file journal)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a process records a crash and exits; a new one started within the cooldown reports it unroutable with the same deadline', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-restart-'));
    const path = join(dir, 'journal.jsonl');
    const first = await runNode('test/registry/fixtures/recordCrash.ts', [path, FACADE], { tsx: true });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const recorded = JSON.parse(first.stdout) as { routable: boolean; status: string; until: number };
    expect(recorded).toMatchObject({ routable: false, status: 'cooldown' });

    const second = await runNode('test/registry/fixtures/reportHealth.ts', [path, FACADE], { tsx: true });
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout) as { now: number; routability: unknown; warnings: string[] };
    expect(report.now).toBeLessThan(recorded.until); // still within the 30 s cooldown
    expect(report.routability).toEqual({ routable: false, status: 'cooldown', until: recorded.until, probeInFlight: false, probeDue: false });
    expect(report.warnings).toEqual([]);
  });
});
