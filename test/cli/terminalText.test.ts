import { describe, expect, it } from 'vitest';
import { jsonLine, terminalLines, terminalText } from '../../src/cli/terminalText.js';

describe('terminalText: text from a journal or a backend, safe for a terminal', () => {
  it('shows every control, format and separator character as its escape, and leaves printable text of any script alone', () => {
    expect(terminalText('a\u001b[2Jb\u001b]0;title\u0007c')).toBe('a\\x1b[2Jb\\x1b]0;title\\x07c');
    expect(terminalText('\u0000\t\n\r\u007f\u0080\u009b\u00ad')).toBe('\\x00\\t\\n\\r\\x7f\\x80\\x9b\\xad');
    expect(terminalText('\u061c\u200b\u200e\u202a\u202e\u2066\u2069\u2028\u2029\ufeff')).toBe('\\u061c\\u200b\\u200e\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029\\ufeff');
    expect(terminalText('tag\u{e0041}\ud800')).toBe('tag\\u{e0041}\\ud800');
    const printable = 'Claude — 日本語 ✓ é ß Ω 🙂 \\x1b (already escaped) 100%';
    expect(terminalText(printable)).toBe(printable);
  });

  it('masks credentials before escaping, and is idempotent', () => {
    const once = terminalText('401 Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx\u001b[0m');
    expect(once).toBe('401 Incorrect API key provided: sk-[redacted]\\x1b[0m');
    expect(terminalText(once)).toBe(once);
  });

  it('terminalLines keeps the lines it is given and makes each safe', () => {
    expect(terminalLines('one\u001b[1m\ntwo\u202e')).toBe('one\\x1b[1m\ntwo\\u202e');
  });
});

describe('jsonLine: --json output', () => {
  it('parses back to the same data with strings masked, and carries no raw DEL, C1 or format character', () => {
    const value = { key: 'm\u202e\u009b\u007f\u2028\u{e0041}', nested: [{ message: 'Bearer abcdefghijklmnop', n: 1, none: null }], 'sk-proj-abcdefghijklmnopqrstuvwx': true };
    const text = jsonLine(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u202e\u2028\u{e0041}]/u);
    expect(text).toContain('\\u202e\\u009b\\u007f\\u2028\\udb40\\udc41');
    expect(JSON.parse(text)).toEqual({ key: value.key, nested: [{ message: 'Bearer [redacted]', n: 1, none: null }], 'sk-[redacted]': true });
  });
});
