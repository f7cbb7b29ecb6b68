import type { DroppedEntry } from './routerConfig.js';
import type { IssueList } from './issueList.js';

/**
 * What resolving any entry needs from the load around it: where keys are looked up, where problems
 * and drops are recorded, and the config-wide default health scope (`health.scope`), if given.
 *
 * @internal
 * @example
 * ```ts
 * const ctx: EntryContext = { env: process.env, issues: new IssueList(), dropped: [] };
 * ```
 */
export interface EntryContext {
  readonly env: NodeJS.ProcessEnv;
  readonly issues: IssueList;
  readonly dropped: DroppedEntry[];
  readonly healthScope?: 'endpoint' | 'model';
}
