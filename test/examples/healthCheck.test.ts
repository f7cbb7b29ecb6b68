import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend, faults, type StartedFakeBackend } from '../../src/testing/index.js';
import { runNode } from '../support/runNode.js';

// The README's example, run as a user would run it, against a local facade that crashes.
describe('examples/health-check.ts (the README example)', () => {
  let started: StartedFakeBackend | undefined;
  afterEach(async () => started?.close());

  it('calls a crashed facade once, then keeps the second call off it for the cooldown', async () => {
    const facade = new FakeBackend({ fallback: faults.crash() });
    started = await facade.start();
    const startedAt = Date.now();
    const run = await runNode('examples/health-check.ts', [], { tsx: true, env: { FACADE_URL: started.url } });
    const ranMs = Date.now() - startedAt;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['failed: crash (crash_signature)', 'health: healthy -> cooldown (crash_signature)']);
    // 30 s plus up to 10 % jitter, rounded up to whole seconds, less what passed between the crash
    // and the second call: at most the whole run, however slowly a busy machine ran it.
    const left = Number(/^skipped: cooldown for (\d+) s more$/.exec(lines[2] ?? '')?.[1]);
    expect(left).toBeLessThanOrEqual(33);
    expect(left).toBeGreaterThanOrEqual(Math.ceil((30_000 - ranMs) / 1000));
    expect(lines).toHaveLength(3);
    expect(facade.count('/v1/messages')).toBe(1);
  });

  it('gets a reply from a healthy facade both times', async () => {
    const facade = new FakeBackend({ fallback: faults.ok('hi there') });
    started = await facade.start();
    const run = await runNode('examples/health-check.ts', [], { tsx: true, env: { FACADE_URL: started.url } });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['reply: hi there', 'reply: hi there']);
    expect(facade.count('/v1/messages')).toBe(2);
  });
});
