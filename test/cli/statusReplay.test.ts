import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileJournal, openHealthRegistry, VirtualClock, type HealthRegistry } from '../../src/index.js';
import { runNode } from '../support/runNode.js';

/** The CLI as this run built it (test/globalSetup.ts). */
const BIN = inject('builtCli');
const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';
const FALLBACK = 'custom|chat_completions|http://127.0.0.1:11434/v1';
const T0 = Date.parse('2026-11-27T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const CRASH = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 } as const;

/** A journal of the problem case: the facade crashes, fails its first probe, and is closed by an early probe. */
async function writeJournal(path: string): Promise<void> {
  const clock = new VirtualClock(T0);
  const registry = await openHealthRegistry({ journal: fileJournal(path), clock, random: () => 0 });
  registry.record({ type: 'call.failed', backend: FACADE, failure: CRASH, purpose: 'main', turnId: 't1' });
  registry.record({ type: 'call.failed', backend: FALLBACK, failure: { kind: 'backend_fault', reason: 'http_503', message: 'overloaded', status: 503 }, purpose: 'title', turnId: 't1' });
  clock.advanceTo(T0 + 30_000); // the cooldown ends: half-open
  registry.record({ type: 'probe.started', backend: FACADE, purpose: 'probe' });
  registry.record({ type: 'call.failed', backend: FACADE, failure: CRASH, purpose: 'probe' }); // level 2: 60 s
  clock.advanceTo(T0 + 60_000); // an early probe is due 30 s into the 60 s cooldown
  registry.record({ type: 'probe.started', backend: FACADE, purpose: 'probe' });
  registry.record({ type: 'call.succeeded', backend: FACADE, purpose: 'probe' });
  await registry.close();
}

describe('llm-health-router status and replay (built CLI, subprocess)', () => {
  let dir: string;
  let journal: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-status-'));
    journal = join(dir, 'health.jsonl');
    await writeJournal(journal);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('status --at: the table shows state, streak, cooldown left, level, the last error and the last success', async () => {
    const run = await runNode(BIN, ['status', journal, '--at', iso(T0 + 40_000)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^backend +state +streak +cooldown left +level +last error +last success$/);
    const facade = lines.find((l) => l.startsWith(FACADE))!;
    // Level 2 cooldown from T0+30 s to T0+90 s: at T0+40 s, 50 s left.
    expect(facade).toMatch(/ cooldown +2 +50 s +2 +crash \(crash_signature\): 500 Claude Code proces… \(10 s ago\) +— *$/);
    expect(lines.find((l) => l.startsWith(FALLBACK))).toMatch(/ suspect +1 +— +0 +backend_fault \(http_503\): overloaded \(40 s ago\)/);
  });

  it('status --json after the early probe: healthy again, with the last success', async () => {
    const run = await runNode(BIN, ['status', journal, '--json', '--at', iso(T0 + 61_000)]);
    expect(run.code).toBe(0);
    const { at, backends } = JSON.parse(run.stdout) as { at: number; backends: { backend: string; state: string; level: number; lastSuccessAt: number | null; cooldownRemainingMs: number }[] };
    expect(at).toBe(T0 + 61_000);
    expect(backends.find((b) => b.backend === FACADE)).toMatchObject({ state: 'healthy', level: 2, lastSuccessAt: T0 + 60_000, cooldownRemainingMs: 0 });
  });

  it('replay tells the story in order, in plain words, timer changes included', async () => {
    const run = await runNode(BIN, ['replay', journal]);
    expect(run.code).toBe(0);
    const text = run.stdout;
    const order = [
      `10:00:00  the main reply of turn t1 to ${FACADE} failed: crash (crash_signature), HTTP 500: 500 Claude Code process exited with code 1`,
      `          → ${FACADE}: healthy → cooldown (not used) until 10:00:30, level 1`,
      `10:00:30  time ran out: ${FACADE}: cooldown → recovering (one probe allowed), level 1`,
      `10:00:30  a probe claimed the probe slot of ${FACADE}`,
      `          → ${FACADE}: recovering → recovering (a probe in flight), level 1`,
      `10:00:30  a probe to ${FACADE} failed: crash (crash_signature), HTTP 500: 500 Claude Code process exited with code 1`,
      `          → ${FACADE}: recovering → cooldown (not used) until 10:01:30, level 2`,
      `10:01:00  time ran out: ${FACADE}: cooldown → cooldown (an early probe is due), level 2`,
      `10:01:00  a probe claimed the probe slot of ${FACADE}`,
      `10:01:00  a probe to ${FACADE} succeeded`,
      `          → ${FACADE}: cooldown → healthy`,
    ];
    let from = 0;
    for (const line of order) {
      const at = text.indexOf(line, from);
      expect(at, `in order: ${line}\n---\n${text}`).toBeGreaterThanOrEqual(0);
      from = at + line.length;
    }
  });

  it('replay --at stops at that moment and shows every backend then', async () => {
    const run = await runNode(BIN, ['replay', journal, '--at', iso(T0 + 45_000)]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('succeeded');
    expect(run.stdout).toContain(`Health at ${iso(T0 + 45_000)}:`);
    expect(run.stdout).toMatch(new RegExp(`^${FACADE.replace(/[|.]/g, '\\$&')} +cooldown +2 +45 s +2 `, 'm'));
  });

  it('status --from a running gateway reads its GET /health', async () => {
    const clock = new VirtualClock(T0);
    const registry: HealthRegistry = await openHealthRegistry({ clock, random: () => 0 });
    registry.record({ type: 'call.failed', backend: FACADE, failure: CRASH });
    const server: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/health' ? JSON.stringify(registry.snapshot()) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const run = await runNode(BIN, ['status', '--from', `http://127.0.0.1:${port}`]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^${FACADE.replace(/[|.]/g, '\\$&')} +cooldown +1 +30 s +1 +crash`, 'm'));
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await registry.close();
    }
  });

  it('names a missing or corrupt journal (file and line) with exit code 1, and bad arguments with exit code 2', async () => {
    const missing = await runNode(BIN, ['status', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no journal at ${join(dir, 'nope.jsonl')}`);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `{"v":1,"type":"backend.reset","at":1,"backend":"x"}\n{"v":1,"type":"oops"}\n`);
    const corrupt = await runNode(BIN, ['replay', bad]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(`${bad} line 2`);
    const at = await runNode(BIN, ['replay', journal, '--at', 'yesterday']);
    expect(at.code).toBe(2);
    expect(at.stderr).toContain('--at must be an ISO time like 2026-11-27T19:40:05Z or epoch milliseconds, got "yesterday"');
    const none = await runNode(BIN, ['replay']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('replay needs a journal file');
    const unreachable = await runNode(BIN, ['status', '--from', 'http://127.0.0.1:9']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach http://127.0.0.1:9/health');
  });
});
