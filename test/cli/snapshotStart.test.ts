import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { fileJournal, openHealthRegistry, VirtualClock, type FactInput, type HealthRegistry } from '../../src/index.js';
import { segmentsIn, tempDir } from '../report/fixtures.js';
import { runNode } from '../support/runNode.js';

const BIN = inject('builtCli');
const T0 = Date.parse('2026-11-27T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';
const FALLBACK = 'custom|chat_completions|http://127.0.0.1:11434/v1';
const THIRD = 'openai|chat_completions|http://127.0.0.1:9001/v1';
const FOURTH = 'openai|chat_completions|http://127.0.0.1:9002/v1';
const FIFTH = 'openai|chat_completions|http://127.0.0.1:9003/v1';
const CRASH = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 } as const;
const FAULT = { kind: 'backend_fault', reason: 'http_503', message: 'overloaded', status: 503 } as const;

/** Before the snapshot: a cooldown escalated to level 2, a suspect streak, a recovery, a rate limit, a down backend. */
const BEFORE: readonly (readonly [number, FactInput])[] = [
  [0, { type: 'call.failed', backend: FACADE, failure: CRASH, purpose: 'main', turnId: 't1' }],
  [1, { type: 'call.failed', backend: FALLBACK, failure: FAULT, purpose: 'title', turnId: 't1' }],
  [2, { type: 'call.failed', backend: THIRD, failure: CRASH, purpose: 'main', turnId: 't2' }],
  [35, { type: 'probe.started', backend: THIRD, purpose: 'probe' }],
  [36, { type: 'call.succeeded', backend: THIRD, purpose: 'probe' }],
  [40, { type: 'call.failed', backend: FOURTH, failure: { kind: 'rate_limited', reason: 'http_429', message: '429', status: 429, cooldownHintMs: 20_000 }, purpose: 'main', turnId: 't3' }],
  [41, { type: 'call.failed', backend: FIFTH, failure: { kind: 'auth_config', reason: 'http_401', message: 'invalid x-api-key', status: 401 }, purpose: 'main', turnId: 't3' }],
  [45, { type: 'probe.started', backend: FACADE, purpose: 'probe' }],
  [46, { type: 'call.failed', backend: FACADE, failure: CRASH, purpose: 'probe' }],
];
/** After it: the streak closed by a success, an early probe closing the escalated cooldown, a new streak. */
const AFTER: readonly (readonly [number, FactInput])[] = [
  [50, { type: 'call.succeeded', backend: FALLBACK, purpose: 'main', turnId: 't4' }],
  [76, { type: 'probe.started', backend: FACADE, purpose: 'probe' }],
  [77, { type: 'call.succeeded', backend: FACADE, purpose: 'probe' }],
  [80, { type: 'call.failed', backend: THIRD, failure: FAULT, purpose: 'main', turnId: 't5' }],
];
const AT = iso(T0 + 90_000);

async function record(path: string, steps: readonly (readonly [number, FactInput])[], from: number): Promise<void> {
  const journal = fileJournal(path);
  const clock = new VirtualClock(T0 + from * 1000);
  // No background compaction: the test decides where the snapshot is.
  const registry: HealthRegistry = await openHealthRegistry({ journal, clock, random: () => 0, compactEvery: 0 });
  for (const [seconds, fact] of steps) {
    clock.advanceTo(Math.max(clock.now(), T0 + seconds * 1000));
    registry.record(fact);
  }
  await registry.close();
  await journal.close();
}

/** The status table's rows without the last column (last success), which a snapshot cannot know for facts before it. */
const withoutLastSuccess = (table: string) =>
  table
    .trim()
    .split('\n')
    .filter((line) => line.includes('|') || line.startsWith('backend'))
    .map((line) => line.split(/ {2,}/).slice(0, -1).join('  '));

describe('status, replay and report start from the journal snapshot (built CLI, subprocess)', () => {
  const dir = tempDir('lhr-snapshot-');
  let journal: string; // prefix, snapshot, tail
  let plain: string; // the same journal, no snapshot
  let position: number;
  beforeAll(async () => {
    journal = join(dir.path, 'health.jsonl');
    await record(journal, BEFORE, 0);
    const compacted = await runNode(BIN, ['compact', journal]);
    expect(compacted.code).toBe(0);
    await record(journal, AFTER, 46);
    position = (JSON.parse(readFileSync(`${journal}.snapshot.json`, 'utf8')) as { position: number }).position;
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThan(readFileSync(journal).length);
    plain = join(dir.path, 'plain.jsonl');
    copyFileSync(journal, plain);
  });
  afterAll(() => dir.remove());

  it('status from the snapshot plus the tail gives the same health as a full replay of the journal', async () => {
    const fromSnapshot = await runNode(BIN, ['status', journal, '--at', AT]);
    const full = await runNode(BIN, ['status', plain, '--at', AT]);
    expect(fromSnapshot.code).toBe(0);
    expect(full.code).toBe(0);
    expect(fromSnapshot.stderr).toBe('');
    expect(withoutLastSuccess(fromSnapshot.stdout)).toEqual(withoutLastSuccess(full.stdout));
    expect(withoutLastSuccess(full.stdout)).toHaveLength(6);
    // It says what it read; successes after the snapshot are known, earlier ones are not kept in it.
    expect(fromSnapshot.stdout).toContain(`From the snapshot of ${iso(T0 + 46_000)} and the 4 facts after it`);
    const line = (text: string, key: string) => text.split('\n').find((l) => l.startsWith(key))!;
    expect(line(fromSnapshot.stdout, FACADE)).toMatch(/13 s ago$/);
    expect(line(full.stdout, FACADE)).toMatch(/13 s ago$/);
    expect(line(full.stdout, THIRD)).toMatch(/54 s ago$/);
    expect(line(fromSnapshot.stdout, THIRD)).toMatch(/none since 44 s ago$/);
    // The replay's own table at the same moment (healthHistory over every fact) agrees too.
    const replay = await runNode(BIN, ['replay', plain, '--at', AT]);
    expect(withoutLastSuccess(replay.stdout.slice(replay.stdout.indexOf('Health at')))).toEqual(withoutLastSuccess(full.stdout));
  });

  it('status --json: every backend view is identical, and the source names the snapshot', async () => {
    const parse = async (path: string) => JSON.parse((await runNode(BIN, ['status', path, '--json', '--at', AT])).stdout) as { backends: { backend: string; view: unknown; state: string }[]; source: { snapshot: { at: number; position: number } | null; factsRead: number } };
    const fromSnapshot = await parse(journal);
    const full = await parse(plain);
    expect(fromSnapshot.backends.map((b) => b.view)).toEqual(full.backends.map((b) => b.view));
    expect(fromSnapshot.backends.map((b) => [b.backend, b.state])).toEqual([
      [FACADE, 'healthy'],
      [FALLBACK, 'healthy'],
      [THIRD, 'suspect'],
      [FOURTH, 'recovering'],
      [FIFTH, 'down'],
    ]);
    expect(fromSnapshot.source).toMatchObject({ snapshot: { at: T0 + 46_000, position }, factsRead: 4 });
    expect(full.source).toMatchObject({ snapshot: null, factsRead: 13 });
  });

  it('status reads only the tail: a damaged record before the snapshot does not matter to it (a full read fails there)', async () => {
    const damaged = join(dir.path, 'damaged.jsonl');
    const bytes = readFileSync(journal);
    const firstLineEnd = bytes.indexOf(0x0a);
    bytes.fill(0x78, 0, firstLineEnd); // "xxxx…": not JSON, same length, so the snapshot still fits
    writeFileSync(damaged, bytes);
    copyFileSync(`${journal}.snapshot.json`, `${damaged}.snapshot.json`);
    const fromSnapshot = await runNode(BIN, ['status', damaged, '--at', AT]);
    expect(fromSnapshot.code).toBe(0);
    expect(withoutLastSuccess(fromSnapshot.stdout)).toEqual(withoutLastSuccess((await runNode(BIN, ['status', plain, '--at', AT])).stdout));
    const full = await runNode(BIN, ['replay', damaged, '--all']);
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(`${damaged} line 1 (byte 0)`);
  });

  it('an unusable snapshot falls back to the whole journal with a warning', async () => {
    const corrupt = join(dir.path, 'corrupt.jsonl');
    copyFileSync(journal, corrupt);
    writeFileSync(`${corrupt}.snapshot.json`, '{"v":1,"position":');
    const run = await runNode(BIN, ['status', corrupt, '--at', AT]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning: snapshot ${corrupt}.snapshot.json is unusable (not JSON`);
    expect(run.stderr).toContain('replaying the whole journal instead');
    expect(run.stdout).toBe((await runNode(BIN, ['status', plain, '--at', AT])).stdout);
    // A snapshot of another journal (the line before its position differs) is refused the same way.
    const other = join(dir.path, 'other.jsonl');
    copyFileSync(plain, other);
    const snapshot = JSON.parse(readFileSync(`${journal}.snapshot.json`, 'utf8')) as { lastLine: { sha256: string } };
    snapshot.lastLine.sha256 = '0'.repeat(64);
    writeFileSync(`${other}.snapshot.json`, JSON.stringify(snapshot));
    const mismatch = await runNode(BIN, ['status', other, '--at', AT]);
    expect(mismatch.stderr).toContain('is not the one it was taken after');
    expect(mismatch.stdout).toBe((await runNode(BIN, ['status', plain, '--at', AT])).stdout);
  });

  it('a snapshot folded under another policy is not used with --config: a full replay under that policy, with a warning', async () => {
    const config = join(dir.path, 'router.yaml');
    writeFileSync(config, 'model: claude-sonnet-4-6\nprovider: anthropic\nbase_url: http://127.0.0.1:8082\nhealth:\n  cooldown: { baseMs: 10000 }\n');
    const run = await runNode(BIN, ['status', journal, '--at', AT, '--config', config]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('was folded under another health policy');
    expect(run.stdout).toBe((await runNode(BIN, ['status', plain, '--at', AT, '--config', config])).stdout);
  });

  it('status --at before the snapshot replays from the first fact', async () => {
    const before = iso(T0 + 20_000);
    const run = await runNode(BIN, ['status', journal, '--at', before]);
    expect(run.stdout).not.toContain('From the snapshot');
    expect(run.stdout).toBe((await runNode(BIN, ['status', plain, '--at', before])).stdout);
  });

  it('a journal of only a torn line: every command prints the warning, and nothing else goes wrong', async () => {
    const torn = join(dir.path, 'torn.jsonl');
    writeFileSync(torn, '{"v":1,"type":"call.failed","at":17');
    for (const args of [['status', torn], ['replay', torn], ['report', torn, '--out', join(dir.path, 'torn.html')], ['compact', torn]]) {
      const run = await runNode(BIN, args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stderr, args.join(' ')).toBe(`llm-health-router: warning: journal ${torn} line 1 (byte 0): skipped a torn last line (35 bytes without a newline: a write cut short)\n`);
    }
  });
});

describe('replay and report ranges, and the bound on what they fold (built CLI, subprocess)', () => {
  const dir = tempDir('lhr-ranges-');
  let journal: string;
  let plain: string;
  beforeAll(async () => {
    journal = join(dir.path, 'health.jsonl');
    await record(journal, BEFORE, 0);
    expect((await runNode(BIN, ['compact', journal])).code).toBe(0);
    await record(journal, AFTER, 46);
    plain = join(dir.path, 'plain.jsonl');
    copyFileSync(journal, plain);
  });
  afterAll(() => dir.remove());

  it('report over the bound names ranges that fit instead of folding (with a snapshot: --last / --since after it)', async () => {
    const run = await runNode(BIN, ['report', journal, '--all', '--out', join(dir.path, 'r.html')], { env: { LLM_HEALTH_ROUTER_MAX_FACTS: '6' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${journal}: the whole journal needs 13 facts folded (from the first fact: it begins before the snapshot), more than --max-facts 6. Ask for less:`);
    expect(run.stderr).toMatch(/--last 4 +the facts after the snapshot of 2026-11-27T10:00:46.000Z/);
    expect(run.stderr).toMatch(/--since 2026-11-27T10:00:46.001Z +the same, by time/);
    expect(run.stderr).toMatch(/--until 2026-11-27T10:00:40.000Z +the first 6 facts/);
    expect(run.stderr).toMatch(/--max-facts 13 +fold them all/);
    // What it proposes works.
    const last = await runNode(BIN, ['report', journal, '--last', '4', '--max-facts', '6', '--out', join(dir.path, 'last.html')]);
    expect(last.code).toBe(0);
    expect(last.stdout).toContain('5 backends, 4 facts');
  });

  it('without a snapshot it says to compact, or to ask for the first facts', async () => {
    const run = await runNode(BIN, ['report', plain, '--out', join(dir.path, 'r.html'), '--max-facts', '5']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('needs 13 facts folded (from the first fact: the journal has no snapshot), more than --max-facts 5');
    expect(run.stderr).toMatch(/llm-health-router compact <journal> +writes a snapshot at the end; ranges after it read only what follows/);
    expect(run.stderr).toMatch(/--until 2026-11-27T10:00:36.000Z +the first 5 facts/);
    const first = await runNode(BIN, ['report', plain, '--out', join(dir.path, 'first.html'), '--max-facts', '5', '--until', '2026-11-27T10:00:36.000Z']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 backends, 5 facts');
    const replay = await runNode(BIN, ['replay', plain, '--last', '2', '--max-facts', '5']);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('--last 2 needs 13 facts folded');
  });

  it('replay proposes the first facts with its own flag (--at; it has no --until), and what it proposes works', async () => {
    const run = await runNode(BIN, ['replay', plain, '--max-facts', '5']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--at 2026-11-27T10:00:36.000Z +the first 5 facts/);
    expect(run.stderr).not.toContain('--until');
    const first = await runNode(BIN, ['replay', plain, '--max-facts', '5', '--at', '2026-11-27T10:00:36.000Z']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${plain}: 5 facts from ${iso(T0)} to ${iso(T0 + 36_000)}`);
  });

  it('by default, a journal over the bound is drawn from its snapshot: the lanes start in their state then, and the page and stderr say so', async () => {
    const out = join(dir.path, 'default.html');
    const run = await runNode(BIN, ['report', journal, '--out', out, '--max-facts', '6']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('the report starts from its snapshot of 2026-11-27T10:00:46.000Z (--since, --last or --all for more)');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('each lane starting in its state then, from the snapshot of 2026-11-27T10:00:46.000Z; earlier facts are not drawn');
    const lanes = segmentsIn(html);
    // The facade was in its level-2 cooldown at the snapshot; the early probe at +76 s closes it.
    expect(lanes.get(FACADE)![0]).toEqual(['cooldown', T0 + 46_000, T0 + 76_000, null]);
    expect(lanes.get(FIFTH)![0]![0]).toBe('down');
    expect(lanes.get(FIFTH)![0]![1]).toBe(T0 + 46_000);
  });

  it('replay --last N tells the last N facts after the state they start from, as the full replay tells them', async () => {
    const full = (await runNode(BIN, ['replay', plain])).stdout;
    const run = await runNode(BIN, ['replay', plain, '--last', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${plain}: 2 facts from ${iso(T0 + 77_000)} to ${iso(T0 + 80_000)}`);
    expect(run.stdout).toContain(`State at ${iso(T0 + 77_000)}, from the 11 facts before it: 5 backends, 3 not healthy:`);
    expect(run.stdout).toMatch(new RegExp(`^${FIFTH.replace(/[|.]/g, '\\$&')} +down +0 `, 'm'));
    const narration = run.stdout.slice(run.stdout.indexOf('\n10:01:17') + 1);
    expect(narration.length).toBeGreaterThan(0);
    expect(full.endsWith(narration)).toBe(true);
  });

  it('replay --since TIME from a snapshot, with --json saying where it started', async () => {
    const run = await runNode(BIN, ['replay', journal, '--since', iso(T0 + 60_000), '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { facts: { at: number }[]; initial: { key: string; status: string }[]; source: { snapshot: { at: number } | null; leadIn: number } };
    expect(out.facts.map((f) => f.at)).toEqual([T0 + 76_000, T0 + 77_000, T0 + 80_000]);
    expect(out.source).toMatchObject({ snapshot: { at: T0 + 46_000 }, leadIn: 1 });
    expect(out.initial.find((v) => v.key === FACADE)!.status).toBe('cooldown');
  });

  it('rejects ranges that contradict each other, naming the flags', async () => {
    const usage = async (args: string[], message: string) => {
      const run = await runNode(BIN, args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    };
    await usage(['replay', plain, '--last', '2', '--since', iso(T0)], 'give --since or --last, not both');
    await usage(['replay', plain, '--last', '2', '--at', iso(T0)], '--last counts back from the end of the journal; it cannot be combined with --at');
    await usage(['report', plain, '--all', '--last', '2'], '--all reads from the first fact; leave out --since and --last');
    await usage(['report', plain, '--last', '1.5'], '--last must be a whole number of facts, got "1.5"');
    await usage(['report', plain, '--since', iso(T0 + 10_000), '--until', iso(T0)], '--since (2026-11-27T10:00:10.000Z) is after --until (2026-11-27T10:00:00.000Z)');
    const env = await runNode(BIN, ['replay', plain], { env: { LLM_HEALTH_ROUTER_MAX_FACTS: 'lots' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('$LLM_HEALTH_ROUTER_MAX_FACTS must be a whole number of facts from 1, got "lots"');
  });
});
