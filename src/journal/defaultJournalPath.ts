import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Where the file journal lives unless the caller says otherwise:
 *
 * 1. `$LLM_HEALTH_ROUTER_JOURNAL`, when set and not empty (one variable to point every process of
 *    an agent at the same file, or at a test directory);
 * 2. `$XDG_STATE_HOME/llm-health-router/journal.jsonl`, when that is set to an absolute path
 *    (health is state: it should survive restarts but is not worth backing up, which is exactly
 *    what the XDG base directory spec means by state; it also says to ignore relative values);
 * 3. `~/.local/state/llm-health-router/journal.jsonl` (the XDG default for state).
 *
 * The snapshot lives next to it (`journal.jsonl.snapshot.json`).
 *
 * @example
 * ```ts
 * import { defaultJournalPath, fileJournal } from 'llm-health-router';
 * defaultJournalPath({ XDG_STATE_HOME: '/var/state' }); // '/var/state/llm-health-router/journal.jsonl'
 * const journal = fileJournal(defaultJournalPath());
 * ```
 */
export function defaultJournalPath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.LLM_HEALTH_ROUTER_JOURNAL;
  if (explicit) return explicit;
  const state = env.XDG_STATE_HOME;
  const base = state && isAbsolute(state) ? state : join(homedir(), '.local', 'state');
  return join(base, 'llm-health-router', 'journal.jsonl');
}
