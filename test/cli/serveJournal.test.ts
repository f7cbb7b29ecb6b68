import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { FakeBackend, faults, type StartedFakeBackend } from '../../src/testing/index.js';
import { ROOT } from '../support/runNode.js';
import { until } from '../support/virtualTimers.js';

const BIN = inject('builtCli');

describe('llm-health-router serve with its --journal on a full disk (built CLI, subprocess)', () => {
  let dir: string;
  let primary: StartedFakeBackend;
  let fallback: StartedFakeBackend;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-serve-full-'));
    primary = await new FakeBackend({ fallback: faults.crash() }).start();
    fallback = await new FakeBackend({ fallback: faults.ok('from the fallback') }).start();
  });
  afterAll(async () => {
    await primary.close();
    await fallback.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every request from the fallback and prints the journal warning once on stderr', async () => {
    const config = join(dir, 'router.yaml');
    writeFileSync(
      config,
      `model: claude-sonnet-4-6\nprovider: anthropic\nbase_url: ${primary.url}\napi_key: k\nfallback_providers:\n  - provider: custom\n    model: qwen3:32b\n    base_url: ${fallback.url}/v1\n    api_mode: chat_completions\n`,
    );
    const journal = join(dir, 'health.jsonl');
    symlinkSync('/dev/full', journal); // every write: ENOSPC
    const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0', '--journal', journal], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const statuses: number[] = [];
    const texts: unknown[] = [];
    let health: { journal?: unknown } = {};
    try {
      await until('the gateway to print its URL', () => /gateway on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout)).catch((error: Error) => {
        throw new Error(`${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`);
      });
      const url = /gateway on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(url, `stdout: ${stdout}\nstderr: ${stderr}`).toBeDefined();
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'anything', messages: [{ role: 'user', content: `hello ${i}` }] }),
        });
        statuses.push(response.status);
        texts.push(((await response.json()) as { choices?: { message: { content: string } }[] }).choices?.[0]?.message.content);
      }
      health = (await (await fetch(`${url}/health`)).json()) as { journal?: unknown };
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(texts).toEqual(Array.from({ length: 5 }, () => 'from the fallback'));
    expect(health.journal).toMatchObject({ ok: false, error: 'ENOSPC', dropped: 0 });
    const lines = stderr.split('\n').filter((line) => line !== '');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^warning: journal ${journal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} cannot be written \\(ENOSPC: no space left on device, write\\); health goes on in memory`))]);
  });
});
