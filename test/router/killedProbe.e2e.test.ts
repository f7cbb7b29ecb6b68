import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, inject } from 'vitest';
import { endpointKey, fileJournal, identify, loadGatewayConfig, startGateway, type HealthFact } from '../../src/index.js';
import { FakeBackend, faults, type StartedFakeBackend } from '../../src/testing/index.js';
import { ROOT } from '../support/runNode.js';

// A gateway (`serve`, the built CLI, a real subprocess) is killed with SIGKILL while its active
// probe of the recovered primary is in flight. The next gateway on the same journal must not wait
// out that probe's timeout (60 s) with the primary unused: it releases the dead process's claim
// at startup, probes the primary itself and routes to it as soon as that probe answers.

const BIN = inject('builtCli');

/** Polls `done` (real time, bounded far beyond what a local round trip needs); throws naming `what`. */
async function until(what: string, done: () => boolean | Promise<boolean>, boundMs = 20_000): Promise<void> {
  for (const end = Date.now() + boundMs; !(await done()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const chat = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'hello' }] }),
  });

describe('a gateway killed mid-probe (real subprocess, SIGKILL)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('the next gateway on the same journal releases the dead probe at startup and has the recovered primary back within one probe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lhr-killed-probe-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    // The primary: probes (max_tokens 1) hang while `dead`; afterwards it answers everything.
    let dead = true;
    const primaryFake = new FakeBackend({ fallback: (r) => (dead && (r.body as { max_tokens?: number }).max_tokens === 1 ? faults.hang() : faults.ok('from the primary')) });
    const fallbackFake = new FakeBackend({ fallback: faults.ok('from the fallback') });
    const primary: StartedFakeBackend = await primaryFake.start();
    const fallback: StartedFakeBackend = await fallbackFake.start();
    cleanup.push(() => primary.close(), () => fallback.close());
    const probes = () => primaryFake.requests.filter((r) => (r.body as { max_tokens?: number }).max_tokens === 1).length;

    const configPath = join(dir, 'router.yaml');
    const yaml = [
      'model: primary-model',
      'provider: custom',
      `base_url: ${primary.url}/v1`,
      'api_mode: chat_completions',
      'fallback_providers:',
      '  - provider: custom',
      '    model: fallback-model',
      `    base_url: ${fallback.url}/v1`,
      '    api_mode: chat_completions',
      '',
    ].join('\n');
    writeFileSync(configPath, yaml);
    const primaryKey = endpointKey(identify({ provider: 'custom', baseUrl: `${primary.url}/v1`, apiMode: 'chat_completions' }));

    // The journal as an earlier run left it: the primary crashed 40 s ago; its 30 s cooldown is over.
    const journalPath = join(dir, 'health.jsonl');
    const seed = fileJournal(journalPath);
    const now = Date.now();
    seed.append({ v: 1, type: 'call.failed', at: now - 40_000, backend: primaryKey, purpose: 'main', startedAt: now - 40_001, failure: { kind: 'crash', reason: 'crash_signature', status: 500 }, jitterSample: 0, writer: 'e4r1e4r1', seq: 1 });
    await seed.close();

    // Gateway 1: its first request makes the route's router, whose active probe claims the half-open primary and hangs there.
    const child = spawn(process.execPath, [BIN, 'serve', '--config', configPath, '--port', '0', '--journal', journalPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    cleanup.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    await until('gateway 1 to listen', () => /gateway on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout));
    const url1 = /gateway on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
    const first = await chat(url1);
    expect(await first.json()).toMatchObject({ choices: [{ message: { content: 'from the fallback' } }] });
    await until('the probe to reach the primary', () => probes() === 1);
    const claims = (await fileJournal(journalPath).load()).facts.filter((f) => f.type === 'probe.started');
    expect(claims).toHaveLength(1);
    const deadWriter = claims[0]!.writer!;
    expect(deadWriter).toMatch(new RegExp(`-${child.pid}@`));

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    dead = false;

    // Gateway 2 on the same journal: the dead claim is released as it opens, before any request.
    const gateway = await startGateway({ config: loadGatewayConfig(yaml), journal: fileJournal(journalPath) });
    cleanup.push(() => gateway.close());
    expect(gateway.registry.health(primaryKey)).toMatchObject({ status: 'recovering', probeInFlight: false });
    const facts: readonly HealthFact[] = (await fileJournal(journalPath).load()).facts;
    expect(facts.at(-1)).toMatchObject({ type: 'probe.abandoned', backend: primaryKey, claimedBy: deadWriter });

    // Its first request makes the router, whose probe of the primary answers; from then on the primary serves.
    await chat(gateway.url);
    await until('the primary to be healthy again', () => gateway.registry.health(primaryKey).status === 'healthy');
    expect(probes()).toBe(2);
    const served = await chat(gateway.url);
    expect(await served.json()).toMatchObject({ choices: [{ message: { content: 'from the primary' } }] });
  });
});
