import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileJournal, openHealthRegistry, resolveHealthPolicy, VirtualClock } from '../../src/index.js';
import { runNode } from '../support/runNode.js';

const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';

describe('examples/persistence.ts (the README persistence example)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the first run records the crash; a second process, started within the cooldown, remembers it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-example-'));
    const path = join(dir, 'health.jsonl');
    const env = { HEALTH_JOURNAL: path };
    const first = await runNode('examples/persistence.ts', [], { tsx: true, env });
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('recorded: cooldown');
    const secondStarted = Date.now();
    const second = await runNode('examples/persistence.ts', [], { tsx: true, env });
    const secondEnded = Date.now();
    expect(second.code).toBe(0);
    const shown = Number(/^still cooldown for (\d+) s \(remembered across the restart\)$/.exec(second.stdout.trim())?.[1]);

    // The cooldown's end, folded from the same journal as the second process did, at the moment
    // of the crash; the example shows the whole seconds left at some instant of its run. However
    // long a busy machine took to start either process, that instant lies between the readings
    // taken around the second run.
    const [crash] = (await fileJournal(path).load()).facts;
    const registry = await openHealthRegistry({ journal: fileJournal(path), clock: new VirtualClock(crash!.at), policy: resolveHealthPolicy() });
    const route = registry.routability(FACADE);
    await registry.close();
    expect(route).toMatchObject({ routable: false, status: 'cooldown' });
    const until = (route as { until: number }).until;
    expect(until - crash!.at).toBeGreaterThanOrEqual(27_000); // the default 30 s cooldown, less its 10 % jitter
    expect(shown).toBeGreaterThanOrEqual(Math.ceil((until - secondEnded) / 1000));
    expect(shown).toBeLessThanOrEqual(Math.ceil((until - secondStarted) / 1000));
  });
});
