import type { BackendHealthView, HealthFact } from '../index.js';
import { table } from './format.js';
import { terminalText } from './terminalText.js';

/** "42 s", "3 min", "2 h": a duration as an operator reads it. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** At most `max` characters, on one line. */
export function shorten(text: string, max = 48): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** At most `max` characters, the rest cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The last recorded success per backend (successes on a healthy backend are not journaled, so this is the last one that mattered). */
export function lastSuccesses(facts: readonly HealthFact[]): Map<string, number> {
  const last = new Map<string, number>();
  for (const f of facts) if (f.type === 'call.succeeded' && f.at >= (last.get(f.backend) ?? -Infinity)) last.set(f.backend, f.at);
  return last;
}

/** One backend as a row of plain data: what `status --json` prints. */
export function statusRow(view: BackendHealthView, now: number, lastSuccessAt: number | undefined) {
  const r = view.routability;
  return {
    backend: view.key,
    state: view.probeInFlight ? `${view.status} (probe in flight)` : view.status,
    streak: view.streak,
    cooldownRemainingMs: r.routable ? 0 : Math.max(0, r.until - now),
    level: view.level,
    lastError: view.lastFailure ? `${view.lastFailure.kind} (${view.lastFailure.reason})${view.lastFailure.message ? `: ${view.lastFailure.message}` : ''}` : null,
    lastErrorAt: view.lastFailure?.at ?? null,
    lastSuccessAt: lastSuccessAt ?? null,
  };
}

/** The longest backend key a table shows whole: a client-chosen model name must not widen every row. */
const KEY_WIDTH = 120;

/**
 * The status table: backend, state, streak, cooldown left, escalation level, last error, last
 * recorded success (`noSuccess` where none is known: "—", or what a snapshot leaves unknown).
 */
export function healthTable(views: readonly BackendHealthView[], now: number, successes: ReadonlyMap<string, number>, noSuccess = '—'): string {
  if (views.length === 0) return 'no backends in this journal yet';
  return table([
    ['backend', 'state', 'streak', 'cooldown left', 'level', 'last error', 'last success'],
    ...views.map((v) => {
      const row = statusRow(v, now, successes.get(v.key));
      return [
        clip(row.backend, KEY_WIDTH),
        row.state,
        String(row.streak),
        row.cooldownRemainingMs > 0 ? ago(row.cooldownRemainingMs) : '—',
        String(row.level),
        // Masked and escaped before it is shortened, so a cut can never leave half a key unmasked.
        row.lastError ? `${shorten(terminalText(row.lastError))} (${ago(now - row.lastErrorAt!)} ago)` : '—',
        row.lastSuccessAt === null ? noSuccess : `${ago(now - row.lastSuccessAt)} ago`,
      ];
    }),
  ]);
}
