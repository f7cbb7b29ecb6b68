import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { fileJournal, openHealthRegistry, VirtualClock } from '../../src/index.js';
import { tempDir } from '../report/fixtures.js';
import { runNode } from '../support/runNode.js';

const BIN = inject('builtCli');
const T0 = Date.parse('2026-11-27T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

// What a hostile backend or client can put into a journal: a screen clear, a window-title OSC, an
// 8-bit CSI (C1), DEL, a right-to-left override, a zero-width space, a line separator, and a key.
const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;title\u0007';
const CSI8 = '\u009b31m';
const RLO = '\u202e';
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
const EVIL_MODEL = `custom|chat_completions|http://127.0.0.1:9/v1|gpt${CLEAR}${RLO}fdp.exe`;
const EVIL_MESSAGE = `401 Incorrect API key provided: ${KEY}${TITLE} then${CSI8}red\u007f and\u200bhidden\u2028next line\nsecond line`;
const PLAIN = 'anthropic|anthropic_messages|http://127.0.0.1:8082';

/** Characters a terminal acts on or hides (newline allowed: it separates our own lines). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

function expectTerminalSafe(text: string): void {
  const found = RAW_CONTROL.exec(text);
  expect(found, found ? `raw U+${found[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${found.index}: ${JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 40))}` : '').toBeNull();
  expect(text).not.toContain(KEY);
}

describe('the CLI on a journal with hostile text (built CLI, subprocess)', () => {
  const dir = tempDir('lhr-hostile-');
  let journal: string;
  beforeAll(async () => {
    journal = join(dir.path, 'health.jsonl');
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: fileJournal(journal), clock, random: () => 0 });
    registry.record({ type: 'call.failed', backend: EVIL_MODEL, failure: { kind: 'auth_config', reason: 'http_401', message: EVIL_MESSAGE, status: 401 }, purpose: 'main', turnId: `t${TITLE}` });
    registry.record({ type: 'call.failed', backend: PLAIN, failure: { kind: 'crash', reason: 'crash_signature', message: `500 ${CLEAR}exited`, status: 500 }, purpose: `auxiliary:x${RLO}y` });
    clock.advanceTo(T0 + 5_000);
    registry.record({ type: 'backend.reset', backend: EVIL_MODEL, reason: `operator ${TITLE}${RLO}` });
    await registry.close();
    // The journal holds the raw characters (JSON-escaped), as an old or hostile journal would.
    expect(readFileSync(journal, 'utf8')).toContain('\\u001b[2J');
  });
  afterAll(() => dir.remove());

  it('status shows escape sequences, C1 controls, DEL and bidi overrides escaped, never raw, and masks the key', async () => {
    const run = await runNode(BIN, ['status', journal, '--at', iso(T0 + 1_000)]);
    expect(run.code).toBe(0);
    expectTerminalSafe(run.stdout);
    expectTerminalSafe(run.stderr);
    // The model name is shown with its controls visible.
    expect(run.stdout).toContain('gpt\\x1b[2J\\u202efdp.exe');
    expect(run.stdout).toContain('500 \\x1b[2Jexited');
    // The last error is masked and escaped, then shortened to 48 characters.
    expect(run.stdout).toContain('auth_config (http_401): 401 Incorrect API key p…');
  });

  it('replay shows every hostile string escaped on one line each, the key masked', async () => {
    const run = await runNode(BIN, ['replay', journal, '--at', iso(T0 + 6_000)]);
    expect(run.code).toBe(0);
    expectTerminalSafe(run.stdout);
    expect(run.stdout).toContain(`401 Incorrect API key provided: sk-[redacted]\\x1b]0;title\\x07 then\\x9b31mred\\x7f and\\u200bhidden\\u2028next line\\nsecond line`);
    expect(run.stdout).toContain('the x\\u202ey task');
    expect(run.stdout).toContain('turn t\\x1b]0;title\\x07');
    expect(run.stdout).toContain('was reset (operator \\x1b]0;title\\x07\\u202e)');
    // One line per fact: the message's own newline and line separator did not break the line.
    const failed = run.stdout.split('\n').filter((line) => line.includes('failed: auth_config'));
    expect(failed).toHaveLength(1);
  });

  it('--json keeps the data (controls JSON-escaped, C1 and bidi as \\u escapes) and masks the key', async () => {
    for (const args of [['status', journal, '--json', '--at', iso(T0 + 1_000)], ['replay', journal, '--json']]) {
      const run = await runNode(BIN, args);
      expect(run.code).toBe(0);
      expectTerminalSafe(run.stdout);
      expect(run.stdout).toContain('\\u009b31m');
      expect(run.stdout).toContain('\\u202e');
      const parsed = JSON.stringify(JSON.parse(run.stdout));
      // Parsed back, the strings are the journal's own, only the key masked.
      expect(parsed).toContain(JSON.stringify(EVIL_MODEL).slice(1, -1));
      expect(parsed).toContain(JSON.stringify(EVIL_MESSAGE.replace(KEY, 'sk-[redacted]')).slice(1, -1));
    }
  });

  it('report prints only safe text, and errors naming a hostile file name are escaped too', async () => {
    const report = await runNode(BIN, ['report', journal, '--out', join(dir.path, 'report.html')]);
    expect(report.code).toBe(0);
    expectTerminalSafe(report.stdout);
    // A corrupt record in a file whose name carries an escape sequence: the JournalError names the file.
    const bad = join(dir.path, `bad${CLEAR}${RLO}.jsonl`);
    writeFileSync(bad, '{"v":1,"type":"oops","at":1,"backend":"b"}\n');
    const run = await runNode(BIN, ['status', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`bad\\x1b[2J\\u202e.jsonl line 1`);
    expectTerminalSafe(run.stderr);
  });
});
