import { factProblem } from './factSchema.js';
import type { HealthFact } from './facts.js';
import type { Journal, JournalContents, JournalSnapshot } from './journal.js';

/**
 * A journal in memory: the default. Health survives nothing beyond the process, but the facts,
 * replay and snapshots behave exactly as with a file, which makes it the journal for tests.
 *
 * @example
 * ```ts
 * import { memoryJournal } from 'llm-health-router';
 * const journal = memoryJournal();
 * journal.append({ v: 1, type: 'backend.reset', at: Date.now(), backend: 'openai|chat_completions|https://api.openai.com/v1' });
 * (await journal.load()).facts.length; // 1
 * ```
 */
export function memoryJournal(): Journal & { readonly facts: readonly HealthFact[] } {
  const facts: HealthFact[] = [];
  let snapshot: JournalSnapshot | undefined;
  let closed = false;
  return {
    location: 'memory',
    facts,
    append(fact) {
      if (closed) throw new Error('memory journal is closed');
      // The same check as the file journal: a fact one journal would refuse, the other must too.
      const problem = factProblem(fact);
      if (problem) throw new TypeError(`refusing to append an invalid fact: ${problem}`);
      facts.push(structuredClone(fact));
    },
    async load(options?: { readonly ignoreSnapshot?: boolean }): Promise<JournalContents> {
      const used = options?.ignoreSnapshot ? undefined : snapshot;
      const from = used?.position ?? 0;
      return { ...(used ? { snapshot: structuredClone(used) } : {}), facts: facts.slice(from).map((f) => structuredClone(f)), position: facts.length, warnings: [] };
    },
    async saveSnapshot(next) {
      if (next.position < 0 || next.position > facts.length) throw new RangeError(`snapshot position ${next.position} is outside the journal (0…${facts.length})`);
      snapshot = structuredClone(next);
    },
    async flush() {},
    async close() {
      closed = true;
    },
  };
}
