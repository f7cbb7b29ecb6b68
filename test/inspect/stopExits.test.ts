import { describe, expect, it } from 'vitest';
import { runNode } from '../support/runNode.js';

// A CLI run with --inspect must end when its work is done: after stop(), nothing of the
// inspector may keep the process alive, whatever state it was left in.
describe('an inspector stopped lets its process exit at once', () => {
  for (const scenario of ['server-with-open-page', 'websocket-unreachable', 'sky-unreachable']) {
    it(scenario.replace(/-/g, ' '), async () => {
      const result = await runNode('test/inspect/fixtures/stopThenExit.ts', [scenario], { tsx: true, timeoutMs: 20_000 });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Nothing holds the event loop a few turns after stop(): it exits at once, in turns of the
      // event loop rather than milliseconds, so a busy machine cannot make this fail (or pass).
      const held = /held after \d+ turns by (.*)/.exec(result.stdout)?.[1];
      expect(held, result.stdout).toBeDefined();
      expect(JSON.parse(held!)).toEqual([]);
      expect(result.stdout).toMatch(/exited \d+ ms after stop/);
    });
  }
});
