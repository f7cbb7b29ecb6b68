import type { HealthFact } from '../journal/facts.js';
import { maskSecrets } from '../security/maskSecrets.js';
import { clockText } from './timeText.js';

/**
 * A fact drawn as a mark on its backend's lane. A failed or successful probe call is both a
 * probe and an outcome, so it gives two marks (one for each question a reader asks of the lane).
 *
 * @example
 * ```ts
 * const m: FactMark = { key, at: T, kind: 'failure', title: '10:00:00 failure: crash (crash_signature) …' };
 * ```
 */
export interface FactMark {
  readonly key: string;
  readonly at: number;
  readonly kind: 'failure' | 'probe' | 'success' | 'reset';
  /** Everything the fact says, in one line of plain text (escaped when rendered). */
  readonly title: string;
}

const MASK_CACHE_SIZE = 4096;

/**
 * The marks of every fact, in time order: failures (kind, reason, status, message), probes (a
 * `probe.started`, or any call with `purpose: 'probe'`), journaled successes and resets. Backend
 * messages and reset reasons are masked (`maskSecrets`): a journal written before messages were
 * masked at the source must not put a key into a page that gets shared.
 *
 * @example
 * ```ts
 * factMarks(history.facts).filter((m) => m.kind === 'failure').length; // failures in the journal
 * ```
 */
export function factMarks(facts: readonly HealthFact[]): FactMark[] {
  const marks: FactMark[] = [];
  // Journals repeat a handful of messages many times: each is masked once (up to a bound, so a
  // journal of a million different messages does not keep a million copies).
  const masked = new Map<string, string>();
  const mask = (text: string): string => {
    let out = masked.get(text);
    if (out === undefined) {
      out = maskSecrets(text);
      if (masked.size < MASK_CACHE_SIZE) masked.set(text, out);
    }
    return out;
  };
  for (const fact of facts) {
    const push = (kind: FactMark['kind'], what: string) => marks.push({ key: fact.backend, at: fact.at, kind, title: `${clockText(fact.at)} ${what}${context(fact)}` });
    switch (fact.type) {
      case 'call.failed': {
        const f = fact.failure;
        const said = [f.status === undefined ? '' : `HTTP ${f.status}`, f.message ? `"${mask(f.message)}"` : '', f.cooldownHintMs === undefined ? '' : `retry after ${f.cooldownHintMs} ms`];
        const text = `failure: ${f.kind} (${f.reason})${said.filter(Boolean).map((s) => `, ${s}`).join('')}`;
        push('failure', text);
        if (fact.purpose === 'probe') push('probe', `probe failed: ${f.kind} (${f.reason})`);
        break;
      }
      case 'call.succeeded':
        push(fact.purpose === 'probe' ? 'probe' : 'success', fact.purpose === 'probe' ? 'probe succeeded' : 'call succeeded');
        break;
      case 'probe.started':
        push('probe', fact.panic ? 'probe started (every candidate was closed)' : 'probe started');
        break;
      case 'probe.abandoned':
        push('probe', fact.claim !== undefined ? 'probe given back: its call ended without an answer about this backend' : `probe given up: its process (${fact.claimedBy}) is gone`);
        break;
      case 'backend.reset':
        push('reset', `reset${fact.reason ? `: ${mask(fact.reason)}` : ''}`);
        break;
    }
  }
  return marks;
}

function context(fact: HealthFact): string {
  const parts = [fact.purpose ? `purpose ${fact.purpose}` : '', fact.turnId ? `turn ${fact.turnId}` : ''].filter(Boolean);
  return parts.length ? ` — ${parts.join(', ')}` : '';
}
