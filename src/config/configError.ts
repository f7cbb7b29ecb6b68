/**
 * One thing wrong with a router config: where it is and what to do about it. `message` names the
 * value (secrets hidden) and the fix; `line`/`column` are set for syntax errors, where there is no
 * field path yet.
 *
 * @example
 * ```ts
 * import type { ConfigIssue } from 'llm-health-router';
 * const issue: ConfigIssue = {
 *   path: 'fallback_providers[1].api_mode',
 *   message: '"anthropic" is not an api mode; use anthropic_messages, chat_completions or responses',
 * };
 * ```
 */
export interface ConfigIssue {
  /** The config path (`fallback_providers[1].api_mode`); `''` for the document as a whole or a syntax error. */
  readonly path: string;
  /** The value, the problem and the fix, e.g. `"anthropic" is not an api mode; use …`. */
  readonly message: string;
  /** 1-based line of a syntax error. */
  readonly line?: number;
  /** 1-based column of a syntax error. */
  readonly column?: number;
}

/**
 * Thrown by `loadRouterConfig` / `readRouterConfig` for a config that cannot be used. The message
 * lists every issue at once (one line each: path, value, fix), so one run shows everything to
 * repair; `issues` has them as data. Secrets are never part of it.
 *
 * @example
 * ```ts
 * import { ConfigError, loadRouterConfig } from 'llm-health-router';
 * try {
 *   loadRouterConfig('model: m\nprovider: anthropic\napi_mode: anthropic\n');
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.message);
 *   // invalid router config:
 *   //   - api_mode: "anthropic" is not an api mode; use anthropic_messages, chat_completions or responses
 * }
 * ```
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Every problem found, in the order found (top-level keys, health, primary, chain, auxiliary, delegation). */
  readonly issues: readonly ConfigIssue[];
  /** The file the config came from, when known. */
  readonly file: string | undefined;

  constructor(issues: readonly ConfigIssue[], file?: string) {
    const where = file === undefined ? '' : ` in ${file}`;
    super(`invalid router config${where}:\n${issues.map((issue) => `  - ${formatIssue(issue)}`).join('\n')}`);
    this.issues = Object.freeze([...issues]);
    this.file = file;
  }
}

/**
 * One issue as one line: `path: message`, or `line L, column C: message` for a syntax error.
 *
 * @example
 * ```ts
 * import { formatIssue } from 'llm-health-router';
 * formatIssue({ path: 'delegation.model', message: '4 is not text; quote it ("4")' });
 * // 'delegation.model: 4 is not text; quote it ("4")'
 * ```
 */
export function formatIssue(issue: ConfigIssue): string {
  if (issue.line !== undefined) return `line ${issue.line}, column ${issue.column ?? 1}: ${issue.message}`;
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}
