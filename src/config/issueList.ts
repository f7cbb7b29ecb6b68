import { maskSecrets, rememberSecret } from '../security/maskSecrets.js';
import { ConfigError, type ConfigIssue } from './configError.js';

/** Secrets shorter than this are not scrubbed: replacing `"x"` everywhere would garble messages. */
const MIN_SCRUBBED_SECRET = 8;

/**
 * Collects the problems of one config load, so the error lists all of them instead of the first.
 * Every secret the loader touches (literal `api_key`s, values read from the environment) is
 * registered here and scrubbed from the messages before they leave, as a last line of defence
 * behind the rule that no message prints a key in the first place. It is also remembered for the
 * whole process (`rememberSecret`), so a backend that echoes it later has it masked in failure
 * messages, journals, `/health` and reports.
 *
 * @internal
 * @example
 * ```ts
 * const issues = new IssueList();
 * issues.add('api_mode', '"x" is not an api mode; use anthropic_messages, chat_completions or responses');
 * issues.throwIfAny('router.yaml'); // throws ConfigError
 * ```
 */
export class IssueList {
  private readonly items: ConfigIssue[] = [];
  private readonly secrets = new Set<string>();

  /** `env` is where key variables are read from: {@link secretVariable} registers their values. */
  constructor(private readonly env: NodeJS.ProcessEnv = {}) {}

  /** Record a problem at `path` (already including the value and the fix). */
  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  /** Record an already-shaped issue (syntax errors with line and column). */
  push(issue: ConfigIssue): void {
    this.items.push(issue);
  }

  /** Remember a secret so that no message (of this load, or of the process later on) can carry it. */
  secret(value: string): void {
    if (value.length >= MIN_SCRUBBED_SECRET) this.secrets.add(value);
    rememberSecret(value);
  }

  /**
   * Remember the value of a key variable as a secret as soon as its name is seen, whether or not
   * the entry gets as far as reading it: another field may repeat it.
   */
  secretVariable(name: string): void {
    const value = this.env[name];
    if (value !== undefined) this.secret(value.trim());
  }

  get size(): number {
    return this.items.length;
  }

  /** Throw a {@link ConfigError} with every recorded problem, scrubbed; do nothing when there is none. */
  throwIfAny(file?: string): void {
    if (this.items.length === 0) return;
    throw new ConfigError(
      this.items.map((issue) => ({ ...issue, message: this.scrub(issue.message), path: this.scrub(issue.path) })),
      file,
    );
  }

  /** Mask every registered secret in `text`, and anything else `maskSecrets` recognises as a credential. */
  scrub(text: string): string {
    return maskSecrets(text, this.secrets);
  }
}
