import type { HealthStatus } from '../../machines/backendHealth.machine.js';
import type { HealthHistory } from '../history/healthHistory.js';

/** Numbers inside keys (ports, addresses) compare as numbers, so lanes read in the order people count. */
const NATURAL = new Intl.Collator('en', { numeric: true });

/**
 * One stretch of a lane in one visible state. Consecutive changes that look the same (a cooldown
 * extended by a re-failure, an early probe becoming due) are one segment: the lane shows what a
 * router would do, and the marks show each fact.
 *
 * @example
 * ```ts
 * const s: StateSegment = { key, status: 'cooldown', probeInFlight: false, start: T, end: T + 30_000, cause: 'crash_signature', level: 1 };
 * ```
 */
export interface StateSegment {
  readonly key: string;
  readonly status: HealthStatus;
  readonly probeInFlight: boolean;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive: where the next segment (or the timeline) begins. */
  readonly end: number;
  /** What led into this state: a failure reason, a fact type, `timer`, or `first fact`. */
  readonly cause: string;
  /** The escalation level on entry. */
  readonly level: number;
}

/**
 * Every backend's segments, by key in natural order (`…:8` before `…:10`), from its first fact to the end of the history. A
 * backend is healthy from its first fact until its first change — or, in a history that begins
 * after earlier facts (`history.initial`), in its state then from the history's start; segments
 * of zero length (a state left in the same millisecond) are left out because nobody can see them.
 *
 * @example
 * ```ts
 * const lanes = stateSegments(await healthHistory(facts));
 * lanes.get(key)?.find((s) => s.status === 'cooldown'); // { start: T, end: T + 30_000, … }
 * ```
 */
export function stateSegments(history: HealthHistory): ReadonlyMap<string, readonly StateSegment[]> {
  const firstSeen = new Map<string, number>();
  // A history that begins after earlier facts starts each backend known then in its state then.
  const initial = new Map((history.initial ?? []).map((view) => [view.key, view]));
  for (const key of initial.keys()) firstSeen.set(key, history.start);
  for (const fact of history.facts) if (!firstSeen.has(fact.backend)) firstSeen.set(fact.backend, fact.at);
  for (const view of history.backends) if (!firstSeen.has(view.key)) firstSeen.set(view.key, history.start);
  const open = new Map<string, Omit<StateSegment, 'end'>>();
  const closed = new Map<string, StateSegment[]>();
  for (const key of [...firstSeen.keys()].sort(NATURAL.compare)) {
    const was = initial.get(key);
    open.set(
      key,
      was
        ? { key, status: was.status, probeInFlight: was.probeInFlight, start: history.start, cause: 'the state at the start', level: was.level }
        : { key, status: 'healthy', probeInFlight: false, start: firstSeen.get(key)!, cause: 'first fact', level: 0 },
    );
    closed.set(key, []);
  }
  const close = (segment: Omit<StateSegment, 'end'>, end: number) => {
    if (end > segment.start) closed.get(segment.key)!.push({ ...segment, end });
  };
  for (const change of history.changes) {
    const current = open.get(change.key);
    if (!current) continue; // a change for a backend with no fact cannot happen; nothing to draw it on
    if (current.status === change.to && current.probeInFlight === change.probeInFlight) continue;
    const at = Math.max(change.at, current.start);
    close(current, at);
    open.set(change.key, { key: change.key, status: change.to, probeInFlight: change.probeInFlight, start: at, cause: change.cause, level: change.level });
  }
  for (const segment of open.values()) close(segment, Math.max(history.end, segment.start));
  return closed;
}
