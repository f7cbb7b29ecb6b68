import { maskSecrets, maskSecretsDeep } from '../security/maskSecrets.js';

/**
 * Characters a terminal acts on or hides instead of printing: C0 controls (ESC starts a sequence
 * that can clear the screen, set the window title, write to the clipboard), DEL, C1 controls
 * (U+009B is a one-character CSI on some terminals), format characters (bidi overrides such as
 * U+202E reorder what follows; zero-width ones hide text), line and paragraph separators, and
 * unpaired surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** Of those, what JSON text may still carry raw (JSON.stringify escapes only U+0000–U+001F). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\x1b`, `\u202e`, `\u{e0041}`: a character as its escape, visibly. */
function visible(ch: string): string {
  const short = SHORT[ch];
  if (short) return short;
  const code = ch.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * Text from a journal, a backend or a client, made safe to print on a terminal as one line:
 * credentials masked (`maskSecrets`: configured keys and common key shapes, for journals written
 * before messages were masked at the source), then every control, format and separator character
 * shown as its escape (`\x1b[2J`, `\u202e`, `\n`) so it is seen, not obeyed. Printable text,
 * including every other script and emoji, is left as it is. Idempotent.
 *
 * @example
 * ```ts
 * terminalText('overloaded\u001b]0;pwned\u0007'); // 'overloaded\\x1b]0;pwned\\x07'
 * terminalText('model \u202egnp.exe'); // 'model \\u202egnp.exe'
 * ```
 */
export function terminalText(text: string): string {
  return maskSecrets(text).replace(UNSAFE, visible);
}

/** Several lines (ours, joined by `\n`) each made safe: the newlines between them stay. */
export function terminalLines(text: string): string {
  return text
    .split('\n')
    .map((line) => terminalText(line))
    .join('\n');
}

/**
 * A value as one line of JSON for `--json` output: every string (values and keys) masked with
 * `maskSecretsDeep`, and the characters JSON leaves raw that a terminal would act on (DEL, C1, bidi
 * and other format characters, U+2028/U+2029) written as `\uXXXX` escapes. The JSON parses to the
 * same data, masked; nothing else changes. `status --json`, `replay --json` and `demo --json` print
 * through this, so there is one place that decides what `--json` shows.
 *
 * @example
 * ```ts
 * jsonLine({ lastError: 'HTTP 401: Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx' });
 * // '{"lastError":"HTTP 401: Incorrect API key provided: sk-[redacted]"}'
 * ```
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(maskSecretsDeep(value)).replace(UNSAFE_IN_JSON, (ch) =>
    // Astral format characters (tags) come as two code units: each is written as its own escape.
    [...ch].map((c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')).join(''),
  );
}
