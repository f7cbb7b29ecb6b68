import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DemoResult, DemoSummary } from '../../src/index.js';
import { inspectionReceiver, machineId, topState } from '../inspect/support.js';
import { runNode } from '../support/runNode.js';

/** The CLI as this run built it (test/globalSetup.ts). */
const BIN = inject('builtCli');
type DemoJson = DemoSummary & { outDir: string; journal: string; report: string; rows: DemoResult['rows'] };

describe('llm-health-router demo (built CLI, subprocess, real SDKs against local servers)', () => {
  let dir: string;
  let demo: DemoJson;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-demo-'));
    const run = await runNode(BIN, ['demo', '--json', '--turns', '14', '--outage', '180', '--out', join(dir, 'default')], { timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    demo = JSON.parse(run.stdout) as DemoJson;
  }, 70_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json: one object whose figures, counted at the local backends, show the problem solved', () => {
    expect(demo).toMatchObject({
      variant: 'default',
      turns: 14,
      outageSeconds: 180,
      sameTurnRequestsAfterFailure: 0,
      sameTurnTitleRequestsAfterFailure: 0,
      requestsDuringCooldown: 0,
      userVisibleFailures: 0,
      titleWarnings: 0,
      fallbackActivatedAtTurn: 1,
    });
    // The facade crashed on turn 1's main reply; after that it got one-token probes only.
    expect(demo.rows[0]).toMatchObject({ facadeDown: true, facadeRequests: 1, main: { servedBy: 'fallback_providers[0]' }, title: { servedBy: 'fallback_providers[0]' } });
    // While it was down: one user request in all (that first main reply) and at most one probe per 30 s.
    expect(demo.rows.filter((r) => r.facadeDown).reduce((n, r) => n + r.facadeRequests, 0)).toBe(1);
    expect(demo.userRequestsToDeadFacade).toBe(1);
    expect(demo.probesToDeadFacade).toBeGreaterThan(0);
    expect(demo.probesToDeadFacade).toBeLessThanOrEqual(180 / 30);
    expect(demo.requestsToDeadFacade).toBe(demo.userRequestsToDeadFacade + demo.probesToDeadFacade);
    // Probes are shown in the rows of the turns they preceded.
    expect(demo.rows.reduce((n, r) => n + r.facadeProbes, 0)).toBe(demo.probes);
    for (const row of demo.rows.filter((r) => r.facadeDown)) expect(row.main).toEqual({ servedBy: 'fallback_providers[0]', model: 'qwen3:32b' });
    // Restored after the recovery (180 s = turn 10 at 20 s per turn), within one 30 s probe interval.
    expect(demo.primaryRestoredAtTurn).not.toBeNull();
    expect(demo.rows[demo.primaryRestoredAtTurn! - 1]!.atSeconds).toBeGreaterThanOrEqual(180);
    expect(demo.backOnPrimaryAfterSeconds).toBeLessThanOrEqual(40);
    expect(demo.rows.at(-1)).toMatchObject({ main: { servedBy: 'model', model: 'claude-sonnet-4-6' }, title: { servedBy: 'model' }, delegate: { servedBy: 'model' } });
    expect(demo.rows.flatMap((r) => r.notices).filter((n) => n === 'primary.restored')).toHaveLength(1);
  });

  it('writes the journal (with the crash in it) and a self-contained HTML report', () => {
    expect(existsSync(demo.journal)).toBe(true);
    const journal = readFileSync(demo.journal, 'utf8');
    expect(journal).toContain('Claude Code process exited with code 1');
    expect(journal).toContain('"type":"probe.started"');
    const html = readFileSync(demo.report, 'utf8');
    expect(html).toContain('data-backend="anthropic|anthropic_messages|http://127.0.0.1:');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('prints a turn-by-turn table, the summary line, progress on stderr, and the paths', async () => {
    const run = await runNode(BIN, ['demo', '--turns', '12', '--out', join(dir, 'table')], { timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^turn +time +facade +its health +main +title +auxiliary +delegate +to facade +notices$/m);
    expect(run.stdout).toMatch(/^1 +0 s +down +healthy +fallback +fallback +fallback +fallback +1 req +fallback\.activated$/m);
    expect(run.stdout).toMatch(/^2 +20 s +down +cooldown \d+ s +fallback/m);
    expect(run.stdout).toMatch(/Summary: while it was down the facade received 1 user request\(s\) and \d+ one-token probe\(s\)/);
    expect(run.stdout).toContain('0 user-visible failure(s); 0 title warning(s)');
    expect(run.stdout).toContain(`Report:  ${join(dir, 'table', 'report.html')}`);
    expect(run.stderr).toContain('turn 12/12');
  }, 70_000);

  it('--compare runs every policy variant on the same scenario, side by side', async () => {
    const run = await runNode(BIN, ['demo', '--compare', '--json', '--turns', '12', '--out', join(dir, 'compare')], { timeoutMs: 90_000 });
    expect(run.code).toBe(0);
    const { compare } = JSON.parse(run.stdout) as { compare: DemoSummary[] };
    expect(compare.map((s) => s.variant)).toEqual(['default', 'no-early-probes', 'no-active-probes', 'patient']);
    for (const s of compare) expect(s).toMatchObject({ userVisibleFailures: 0, requestsDuringCooldown: 0, titleWarnings: 0, sameTurnTitleRequestsAfterFailure: 0 });
    const by = Object.fromEntries(compare.map((s) => [s.variant, s]));
    expect(by['no-active-probes']!.probes).toBe(0);
    // Early probes bring the facade back sooner than waiting for the escalated cooldown to end.
    expect(by['default']!.backOnPrimaryAfterSeconds!).toBeLessThanOrEqual(by['no-early-probes']!.backOnPrimaryAfterSeconds ?? Infinity);
  }, 100_000);

  it('rejects bad arguments with exit code 2 naming the flag, and an unwritable folder with exit code 1', async () => {
    const turns = await runNode(BIN, ['demo', '--turns', '0']);
    expect(turns.code).toBe(2);
    expect(turns.stderr).toContain('--turns must be a number from 1 to 500, got "0"');
    const variant = await runNode(BIN, ['demo', '--variant', 'fastest']);
    expect(variant.code).toBe(2);
    expect(variant.stderr).toContain('unknown policy variant "fastest"; known: default, no-early-probes, no-active-probes, patient');
    const inspect = await runNode(BIN, ['demo', '--inspect=localhost']);
    expect(inspect.code).toBe(2);
    expect(inspect.stderr).toContain('--inspect takes no value (a local inspector page), a port, a ws:// or wss:// URL, or "sky"; not "localhost"');
    // A folder under a plain file cannot be made (as root, too).
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    const out = await runNode(BIN, ['demo', '--turns', '1', '--out', join(dir, 'a-file', 'demo')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`cannot write the demo's journal and report to ${join(dir, 'a-file', 'demo')}: ENOTDIR`);
  });

  it('--inspect=ws://… streams the health and routed-call actors to a websocket inspector', async () => {
    const receiver = await inspectionReceiver();
    try {
      const run = await runNode(BIN, ['demo', '--json', '--turns', '3', '--out', join(dir, 'inspect'), `--inspect=${receiver.url}`], { timeoutMs: 60_000 });
      expect(run.code).toBe(0);
      const messages = receiver.inbox.messages;
      const facade = messages.find((m) => m.type === '@xstate.actor' && machineId(m) === 'backendHealth' && String(m.name).startsWith('anthropic|anthropic_messages|http://127.0.0.1:'));
      expect(facade, 'the facade health actor with its machine definition').toBeDefined();
      const states = messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === facade!.sessionId).map((m) => topState(m.snapshot?.value));
      expect(states).toContain('cooldown');
      expect(messages.some((m) => m.type === '@xstate.actor' && machineId(m) === 'turnCall')).toBe(true);
    } finally {
      await receiver.close();
    }
  }, 70_000);

  it('every command has --help, and "help <command>" prints the same', async () => {
    for (const command of ['demo', 'status', 'replay', 'report', 'compact', 'serve']) {
      const own = await runNode(BIN, [command, '--help']);
      expect(own.code, command).toBe(0);
      expect(own.stdout).toContain(`llm-health-router ${command}`);
      const viaHelp = await runNode(BIN, ['help', command]);
      expect(viaHelp.stdout).toBe(own.stdout);
    }
    const unknown = await runNode(BIN, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"; commands: demo, status, replay, report, compact, serve, help');
  });
});
