import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { REPORT_HELP, reportCommand } from '../../src/cli/reportCommand.js';
import { JournalError } from '../../src/index.js';
import { CRASH, FACADE, FALLBACK, OUTAGE, segmentsIn, T0, tempDir, writeJournal } from './fixtures.js';

const dir = tempDir('lhr-report-cli-');
let journal: string;
let printed: string;

beforeAll(async () => {
  journal = join(dir.path, 'health.jsonl');
  await writeJournal(journal, OUTAGE);
});
afterAll(() => dir.remove());
afterEach(() => vi.restoreAllMocks());

/** Runs the command with stdout captured into `printed`. */
async function run(...argv: string[]): Promise<number> {
  printed = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((printed += String(chunk)), true));
  return reportCommand(argv);
}

describe('llm-health-router report', () => {
  it('writes the page and prints where, with what it covers', async () => {
    const out = join(dir.path, 'report.html');
    expect(await run(journal, '--out', out)).toBe(0);
    expect(printed).toBe(`${out}\n  2 backends, 4 facts, 2026-11-27 10:00:00 UTC – 2026-11-27 10:00:43.050 UTC\n`);
    const html = readFileSync(out, 'utf8');
    expect([...segmentsIn(html).keys()]).toEqual([FACADE, FALLBACK]);
    expect(html).toContain(`<title>Backend health: ${journal}</title>`);
    expect(html).toContain('policy: built-in default');
  });

  it('accepts flags before the journal, --until as ISO time or epoch ms, and a title', async () => {
    const out = join(dir.path, 'until.html');
    expect(await run('--until', '2026-11-27T10:00:10Z', '--title', 'Night of the 27th', journal, `--out=${out}`)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(segmentsIn(html).get(FACADE)).toEqual([['cooldown', T0, T0 + 10_000, null]]);
    expect(html).toContain('<h1>Night of the 27th</h1>');
    expect(await run(journal, '--out', out, '--until', String(T0 + 5_000))).toBe(0);
    expect(segmentsIn(readFileSync(out, 'utf8')).get(FACADE)).toEqual([['cooldown', T0, T0 + 5_000, null]]);
  });

  it('replays under the policy of --config (its health section)', async () => {
    const config = join(dir.path, 'router.yaml');
    writeFileSync(config, 'model: claude-sonnet-4-6\nprovider: anthropic\nbase_url: http://127.0.0.1:8082\nhealth:\n  cooldown: { baseMs: 10000 }\n');
    const crashOnly = join(dir.path, 'crash.jsonl');
    await writeJournal(crashOnly, [[0, { type: 'call.failed', backend: FACADE, failure: CRASH }]]);
    const out = join(dir.path, 'config.html');
    expect(await run(crashOnly, '--config', config, '--out', out)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(segmentsIn(html).get(FACADE)![0]).toEqual(['cooldown', T0, T0 + 10_000, null]);
    expect(html).toContain(`policy: health section of ${config}`);
  });

  it('prints its help', async () => {
    expect(await run('--help')).toBe(0);
    expect(printed).toBe(REPORT_HELP);
  });

  it('names a missing journal, a folder given as one, and the file and line of a corrupt one', async () => {
    const missing = join(dir.path, 'nope.jsonl');
    await expect(run(missing, '--out', join(dir.path, 'x.html'))).rejects.toThrow(`no journal at ${missing}`);
    await expect(run(dir.path, '--out', join(dir.path, 'x.html'))).rejects.toThrow(`${dir.path} is a folder, not a journal file`);
    const bad = join(dir.path, 'bad.jsonl');
    writeFileSync(bad, '{"v":1,"type":"backend.reset","at":1,"backend":"x"}\n{"v":1,"type":"oops"}\n{"v":1,"type":"backend.reset","at":2,"backend":"x"}\n');
    const error = await run(bad, '--out', join(dir.path, 'x.html')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalError);
    expect((error as Error).message).toContain(`journal ${bad} line 2`);
  });

  it('names an output folder that does not exist, and an output that is a folder, before replaying anything', async () => {
    const nowhere = join(dir.path, 'no-such-folder');
    await expect(run(journal, '--out', join(nowhere, 'report.html'))).rejects.toThrow(`the folder ${nowhere} does not exist`);
    const folder = join(dir.path, 'a-folder');
    mkdirSync(folder);
    await expect(run(journal, '--out', folder)).rejects.toThrow(`cannot write the report to ${folder}: it is a folder`);
    const file = join(dir.path, 'plain-file');
    writeFileSync(file, '');
    await expect(run(journal, '--out', join(file, 'report.html'))).rejects.toThrow(`${file} is not a folder`);
  });

  it('rejects a bad command line with a UsageError (exit 2) that names the problem', async () => {
    const usage = async (argv: string[], message: string) => {
      const error = await run(...argv).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(message);
    };
    await usage(['--out', 'r.html'], 'report needs a journal file');
    await usage([journal, journal], ': this command takes one argument');
    await usage([journal, '--until', 'yesterday'], '--until must be an ISO time like 2026-11-27T19:40:05Z or epoch milliseconds, got "yesterday"');
    await usage([journal, '--at', '1'], 'unknown option --at');
    await usage([journal, '--out'], '--out needs a value');
  });
});
