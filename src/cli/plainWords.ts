import type { HealthChangedEvent, HealthFact } from '../index.js';

/** `19:40:05` (UTC): replays print the date once and times after it. */
export const timeOfDay = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** What a call was for, as a phrase: "the main reply of turn t-3", "an active probe". */
function whatFor(fact: HealthFact): string {
  const turn = fact.turnId ? ` of turn ${fact.turnId}` : '';
  switch (fact.purpose) {
    case undefined:
      return 'a call';
    case 'main':
      return `the main reply${turn}`;
    case 'title':
      return `the title${turn}`;
    case 'delegate':
      return `a delegated call${turn}`;
    case 'probe':
      return 'a probe';
    case 'manual':
      return 'an operator';
    default:
      return `the ${fact.purpose.slice('auxiliary:'.length)} task${turn}`;
  }
}

/**
 * One journaled fact in plain words.
 *
 * @example
 * ```ts
 * describeFact(fact); // '19:40:05  the main reply of turn t-1 to anthropic|… failed: crash (crash_signature), HTTP 500: Claude Code process exited with code 1'
 * ```
 */
export function describeFact(fact: HealthFact): string {
  const at = timeOfDay(fact.at);
  switch (fact.type) {
    case 'call.failed': {
      const f = fact.failure;
      const status = f.status !== undefined ? `, HTTP ${f.status}` : '';
      return `${at}  ${whatFor(fact)} to ${fact.backend} failed: ${f.kind} (${f.reason})${status}${f.message ? `: ${f.message}` : ''}`;
    }
    case 'call.succeeded':
      return `${at}  ${whatFor(fact)} to ${fact.backend} succeeded`;
    case 'probe.started':
      return `${at}  ${whatFor(fact) === 'a call' ? 'a caller' : whatFor(fact)} claimed the probe slot of ${fact.backend}${fact.panic ? ' (every candidate was closed)' : ''}`;
    case 'probe.abandoned':
      return fact.claim !== undefined
        ? `${at}  the probe of ${fact.backend} was given back by its claimer (its call ended without an answer about this backend)`
        : `${at}  the probe of ${fact.backend} claimed by ${fact.claimedBy} was given up (that process is gone)`;
    case 'backend.reset':
      return `${at}  ${fact.backend} was reset${fact.reason ? ` (${fact.reason})` : ''}`;
  }
}

const STATE_WORDS: Record<HealthChangedEvent['to'], string> = {
  healthy: 'healthy',
  suspect: 'suspect (failing, still used)',
  recovering: 'recovering (one probe allowed)',
  cooldown: 'cooldown (not used)',
  down: 'down (needs a fix or a reset)',
};

/**
 * A state change in plain words, indented under the fact that caused it (or on its own when a timer did).
 *
 * @example
 * ```ts
 * describeChange(change); // '          → anthropic|…: healthy → cooldown (not used) until 19:40:35, level 1'
 * ```
 */
export function describeChange(change: HealthChangedEvent): string {
  const lead = change.cause === 'timer' ? `${timeOfDay(change.at)}  time ran out: ` : '          → ';
  const to = change.probeInFlight ? `${change.to} (a probe in flight)` : change.probeDue ? 'cooldown (an early probe is due)' : STATE_WORDS[change.to];
  const until = change.until !== null && !change.probeInFlight && !change.probeDue ? ` until ${timeOfDay(change.until)}` : '';
  const level = change.level > 0 && (change.to === 'cooldown' || change.to === 'recovering') ? `, level ${change.level}` : '';
  return `${lead}${change.key}: ${change.from} → ${to}${until}${level}`;
}
