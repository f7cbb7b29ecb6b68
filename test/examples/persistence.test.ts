import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runNode } from '../support/runNode.js';

describe('examples/persistence.ts (the README persistence example)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the first run records the crash; a second process, started within the cooldown, remembers it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-example-'));
    const env = { HEALTH_JOURNAL: join(dir, 'health.jsonl') };
    const first = await runNode('examples/persistence.ts', [], { tsx: true, env });
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('recorded: cooldown');
    const second = await runNode('examples/persistence.ts', [], { tsx: true, env });
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toMatch(/^still cooldown for (2\d|3[0-3]) s \(remembered across the restart\)$/);
  });
});
