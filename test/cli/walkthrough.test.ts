import { describe, expect, it } from 'vitest';
import { runNode } from '../support/runNode.js';

// The CLI as a user runs it: the built bin (dist/, rebuilt once per run by test/globalSetup.ts).
const BIN = 'dist/src/cli/main.js';

interface Row {
  at: number;
  before: string;
  decision: string;
  answer?: string;
  after: string;
  until: number | null;
  level: number;
}

describe('llm-health-router walkthrough (built CLI, subprocess)', () => {

  it('keeps calls off the crashed facade during its cooldowns and returns to it after recovery', async () => {
    const run = await runNode(BIN, ['walkthrough', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { rows, summary } = JSON.parse(run.stdout) as { rows: Row[]; summary: Record<string, number | null> };
    expect(rows).toHaveLength(12);
    // No call is sent while the facade is closed; each closed window admits at most one probe.
    for (const row of rows) if (row.before === 'cooldown' && row.until !== null && row.at < row.until) expect(row.decision).toBe('kept off');
    expect(rows.filter((r) => r.decision === 'probe').every((r) => r.before === 'recovering')).toBe(true);
    // Seed 1: crash at 0:00 (cooldown ~32 s), a failed probe at 0:40 (cooldown 60 s), a good probe at 2:00.
    expect(summary).toEqual({
      calls: 12,
      outageSeconds: 120,
      facadeRequests: 8,
      facadeRequestsDuringOutage: 2,
      naiveRequestsDuringOutage: 6,
      backOnFacadeAfterSeconds: 0,
    });
    expect(rows.map((r) => r.decision)).toEqual(['call', 'kept off', 'probe', 'kept off', 'kept off', 'kept off', 'probe', 'call', 'call', 'call', 'call', 'call']);
  });

  it('prints a readable table by default', async () => {
    const run = await runNode(BIN, ['walkthrough', '--calls', '3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^0:00 +healthy +call +500 crash \(crash_signature\) +cooldown until 0:3\d$/m);
    expect(run.stdout).toMatch(/^0:20 +cooldown +kept off +— \(not sent\)/m);
    expect(run.stdout).toContain('The dead facade received 2 of the 3 calls made during its outage');
  });

  it('rejects bad arguments with exit code 2, naming the option and the value', async () => {
    const unknown = await runNode(BIN, ['walkthrough', '--speed', '3']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --speed; this command accepts --outage, --every, --calls, --seed, --json, --help');
    const bad = await runNode(BIN, ['walkthrough', '--every', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--every must be a number from 1 to 3600, got "soon"');
    const command = await runNode(BIN, ['dance']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "dance"');
  });

  it('answers --help and --version', async () => {
    const help = await runNode(BIN, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('llm-health-router walkthrough');
    const version = await runNode(BIN, ['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
