import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBackend, faults, type StartedFakeBackend } from '../../src/testing/index.js';
import { runNode } from '../support/runNode.js';

describe('examples/agent.ts (the README embedding example)', () => {
  const facade = new FakeBackend({ fallback: faults.crash() });
  const fallback = new FakeBackend({ fallback: faults.ok('Hi from the fallback') });
  let servers: StartedFakeBackend[] = [];
  let dir: string;
  beforeAll(async () => {
    servers = [await facade.start(), await fallback.start()];
    dir = mkdtempSync(join(tmpdir(), 'lhr-agent-'));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with a crashed primary facade: both turns answered by the fallback, the facade called once, titles from the fallback', async () => {
    const configPath = join(dir, 'router.yaml');
    writeFileSync(
      configPath,
      [
        'model: claude-sonnet-4-6',
        'provider: anthropic',
        `base_url: ${servers[0]!.url}`,
        'fallback_providers:',
        '  - provider: custom',
        '    model: qwen3:32b',
        `    base_url: ${servers[1]!.url}/v1`,
        '    api_mode: chat_completions',
        '',
      ].join('\n'),
    );
    const run = await runNode('examples/agent.ts', [], { tsx: true, env: { ROUTER_CONFIG: configPath, HEALTH_JOURNAL: join(dir, 'health.jsonl') } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'notice: fallback.activated (model -> fallback_providers[0])',
      '[fallback_providers[0]] Hi from the fallback',
      'title: Hi from the fallback',
      '[fallback_providers[0]] Hi from the fallback',
      'title: Hi from the fallback',
    ]);
    expect(facade.count('/v1/messages')).toBe(1);
    expect(fallback.count('/v1/chat/completions')).toBe(4);
  });
});
