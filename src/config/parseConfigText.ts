import { parseDocument, type YAMLError } from 'yaml';
import { ConfigError, type ConfigIssue } from './configError.js';

/**
 * The text formats a config may be written in. YAML is the default and also reads JSON (YAML 1.2
 * is a superset of it, with better error positions); `json` parses strictly as JSON.
 *
 * @example
 * ```ts
 * import type { ConfigFormat } from 'llm-health-router';
 * const format: ConfigFormat = 'yaml';
 * ```
 */
export type ConfigFormat = 'yaml' | 'json';

const SYNTAX_FIX = 'check the indentation and quoting there (a value containing ": " or " #" needs quotes)';

/**
 * Parse config text into plain data, or throw a {@link ConfigError} listing every syntax error
 * with its line and column. Messages never quote the offending line: it may hold a key. YAML is
 * read as YAML 1.2 (so `yes`/`no`/`on` stay strings), with duplicate keys rejected (a second
 * `model:` silently winning hides the first) and a single document only.
 *
 * @internal
 * @example
 * ```ts
 * parseConfigText('model: claude-sonnet-4-6\nprovider: anthropic\n'); // { model: 'claude-sonnet-4-6', provider: 'anthropic' }
 * parseConfigText('model: [a\n');  // throws ConfigError: line 2, column 1: …
 * ```
 */
export function parseConfigText(text: string, format: ConfigFormat = 'yaml', file?: string): unknown {
  return format === 'json' ? parseJson(text, file) : parseYaml(text, file);
}

function parseYaml(text: string, file: string | undefined): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, version: '1.2' });
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map(yamlIssue), file);
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Alias bombs and similar: the document parsed, but expanding it is refused.
    throw new ConfigError([{ path: '', message: `the YAML cannot be expanded (${(error as Error).message}); remove the aliases (*name) that repeat large parts` }], file);
  }
}

function yamlIssue(error: YAMLError): ConfigIssue {
  // The library appends " at line L, column C:" and a copy of the line; the position is kept as
  // data and the copy dropped. Token excerpts (`in YAML stream: "…"`) go too: they are config text.
  const first = error.message.split(/ at line \d+, column \d+:?/)[0] ?? error.message;
  const reason = first.replace(/: ".*"$/s, '').trim();
  const pos = error.linePos?.[0];
  const message = `YAML syntax error: ${reason}; ${SYNTAX_FIX}`;
  return pos === undefined ? { path: '', message } : { path: '', message, line: pos.line, column: pos.col };
}

function parseJson(text: string, file: string | undefined): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const offset = jsonErrorOffset(text, (error as Error).message);
    // V8 quotes the surrounding text ("…" is not valid JSON): cut it, it may hold a key.
    const reason = (error as Error).message.replace(/,\s*(\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    const message = `JSON syntax error: ${reason}; check the quotes, commas and brackets there`;
    if (offset === undefined) throw new ConfigError([{ path: '', message }], file);
    const { line, column } = lineAndColumn(text, offset);
    throw new ConfigError([{ path: '', message, line, column }], file);
  }
}

/**
 * The offset of a JSON syntax error. Node 20's V8 gives `at position N` for some errors and only
 * an excerpt for "Unexpected token"; then the offset is found by bisection: the shortest prefix
 * that fails with something other than "the text ended early" ends just after the bad character.
 */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const at = /at position (\d+)/.exec(message);
  if (at !== null) return Number(at[1]);
  const failsEarly = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const m = (error as Error).message;
      if (/Unexpected end of JSON input|Unterminated string/.test(m)) return false;
      const pos = /at position (\d+)/.exec(m);
      return !(pos !== null && Number(pos[1]) >= length);
    }
  };
  if (!failsEarly(text.length)) return undefined;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsEarly(mid)) hi = mid;
    else lo = mid + 1;
  }
  return Math.max(0, lo - 1);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
