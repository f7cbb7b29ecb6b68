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
      const lived = Number(/exited (\d+) ms after stop/.exec(result.stdout)?.[1]);
      expect(lived).toBeLessThan(1_000);
    });
  }
});
