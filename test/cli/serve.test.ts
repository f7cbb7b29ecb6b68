import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeBackend, faults, type StartedFakeBackend } from '../../src/testing/index.js';
import { HeldBackend } from '../gateway/heldBackend.js';
import { ROOT, runNode } from '../support/runNode.js';
import { until } from '../support/virtualTimers.js';

/** The CLI as this run built it (test/globalSetup.ts). */
const BIN = inject('builtCli');

describe('llm-health-router serve (built CLI, subprocess)', () => {
  let dir: string;
  let backend: StartedFakeBackend;
  const fake = new FakeBackend({ fallback: faults.ok('served through the gateway') });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-serve-'));
    backend = await fake.start();
  });
  afterAll(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on 127.0.0.1, prints its URL, answers a plain HTTP request and /health, and stops on SIGTERM with exit code 0', async () => {
    const config = join(dir, 'router.yaml');
    writeFileSync(config, `model: qwen3:32b\nprovider: custom\nbase_url: ${backend.url}/v1\napi_mode: chat_completions\n`);
    const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0', '--journal', join(dir, 'health.jsonl')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await until('the gateway to print its URL', () => /gateway on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout) || child.exitCode !== null).catch(() => undefined);
      const url = /gateway on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(url, `stdout: ${stdout}\nstderr: ${stderr}`).toBeDefined();
      expect(stdout).toContain('(1 route: *)');
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'anything', messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ object: 'chat.completion', model: 'qwen3:32b', choices: [{ message: { content: 'served through the gateway' } }] });
      const health = (await (await fetch(`${url}/health`)).json()) as { backends: unknown[] };
      expect(Array.isArray(health.backends)).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  /** Starts `serve` on a config for the held backend; `seen(pattern)` resolves when stdout shows it. */
  async function serveHeld(held: HeldBackend) {
    const config = join(dir, 'held.yaml');
    writeFileSync(config, `model: held-model\nprovider: custom\nbase_url: ${await held.start()}/v1\napi_mode: chat_completions\ngateway:\n  first_token_timeout_ms: 600000\n`);
    const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const watchers: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      for (const w of [...watchers]) {
        const m = w.pattern.exec(stdout);
        if (!m) continue;
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const seen = (pattern: RegExp) => new Promise<RegExpExecArray>((resolve) => {
      const m = pattern.exec(stdout);
      if (m) resolve(m);
      else watchers.push({ pattern, resolve });
    });
    const url = (await Promise.race([seen(/gateway on (http:\/\/127\.0\.0\.1:\d+)/), exited.then(() => undefined)]))?.[1];
    expect(url, `stdout: ${stdout}\nstderr: ${stderr}`).toBeDefined();
    return { child, url: url!, seen, exited, output: () => ({ stdout, stderr }) };
  }

  it('SIGTERM drains: the request in flight completes with 200, a new request during the drain gets 503, then the process exits 0', async () => {
    const held = new HeldBackend();
    try {
      const { child, url, seen, exited, output } = await serveHeld(held);
      const post = () => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }] }) });
      const inFlight = post();
      await held.holding(1);
      child.kill('SIGTERM');
      await seen(/SIGTERM: draining; 1 request in flight/);
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('shutting down');
      held.releaseAll();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'answered after being held' } }] });
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(output().stdout).toContain('stopped');
      expect(output().stderr).toBe('');
      expect(held.received).toHaveLength(1);
    } finally {
      await held.close();
    }
  });

  it('SIGHUP (the terminal or ssh session closed) drains like SIGTERM instead of cutting what is in flight; a second SIGHUP stops at once with 129', async () => {
    const held = new HeldBackend();
    try {
      const { child, url, seen, exited, output } = await serveHeld(held);
      const post = () => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }] }) });
      const inFlight = post();
      await held.holding(1);
      child.kill('SIGHUP');
      await seen(/SIGHUP: draining; 1 request in flight/);
      held.releaseAll();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'answered after being held' } }] });
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(output().stderr).toBe('');
    } finally {
      await held.close();
    }
    const again = new HeldBackend();
    try {
      const { child, url, seen, exited, output } = await serveHeld(again);
      const inFlight = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }] }) }).catch((e: unknown) => e);
      await again.holding(1);
      child.kill('SIGHUP');
      await seen(/draining/);
      child.kill('SIGHUP');
      expect(await exited).toEqual({ code: 129, signal: null });
      expect(output().stdout).toContain('SIGHUP again: stopping now');
      expect(await inFlight).toBeInstanceOf(Error);
    } finally {
      await again.close();
    }
  });

  it('a second signal during the drain stops at once (exit code 143 for SIGTERM)', async () => {
    const held = new HeldBackend();
    try {
      const { child, url, seen, exited, output } = await serveHeld(held);
      const inFlight = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }] }) }).catch((e: unknown) => e);
      await held.holding(1);
      child.kill('SIGTERM');
      await seen(/draining/);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 143, signal: null });
      expect(output().stdout).toContain('SIGTERM again: stopping now');
      // The held request was cut with the process: no answer reached the client.
      expect(await inFlight).toBeInstanceOf(Error);
    } finally {
      await held.close();
    }
  });

  it('names a missing config, a bad one, and a port in use', async () => {
    const missing = await runNode(BIN, ['serve', '--config', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read the gateway config ${join(dir, 'nope.yaml')}: no such file`);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'routes:\n  - match: "*"\n    model: x\n    provider: custom\ngateway:\n  port: 99999\n');
    const invalid = await runNode(BIN, ['serve', '--config', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('gateway.port');
    expect(invalid.stderr).toContain('routes[0]');
    const none = await runNode(BIN, ['serve']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('serve needs --config');
    const busy = join(dir, 'busy.yaml');
    writeFileSync(busy, `model: qwen3:32b\nprovider: custom\nbase_url: ${backend.url}/v1\napi_mode: chat_completions\n`);
    const port = backend.port;
    const inUse = await runNode(BIN, ['serve', '--config', busy, '--port', String(port)]);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain(`port ${port} on 127.0.0.1 is in use; pick another with --port`);
  });
});
