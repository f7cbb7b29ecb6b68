/**
 * The contract every simulated policy in bench/peers implements, and what the outage simulation
 * (bench/routing.bench.ts) hands it. Not a re-implementation of anything: the shared vocabulary.
 *
 * A peer runs one turn at a time on simulated time (`now`, ms since the outage began). It decides
 * where each call goes and calls `send(backend, purpose)`, which answers at once (calls take no
 * simulated time) with the outcome the backend has at that instant. The harness counts requests;
 * the peer reports which backend served the main reply and how many warnings the user saw.
 */

/** The primary (the facade that goes down) or the one fallback (always healthy). */
export type SimBackend = 'primary' | 'fallback';

/** Which call of the turn a request belongs to. */
export type SimPurpose = 'main' | 'title' | 'auxiliary';

/**
 * What the dead primary answers, as a peer's own classifier would see it: an HTTP status and
 * message, or a transport error (connection refused: no status).
 */
export interface SimFailure {
  readonly status?: number;
  readonly message: string;
  readonly transport: boolean;
}

/** One request's result. */
export type SimOutcome = { readonly ok: true } | { readonly ok: false; readonly failure: SimFailure };

/** Sends one request to a backend now. */
export type SimSend = (backend: SimBackend, purpose: SimPurpose) => SimOutcome;

/** What a turn ended with, as the user saw it. */
export interface SimTurnReport {
  /** The backend that served the main reply, or null when the main reply failed (a user-visible failure). */
  readonly mainServedBy: SimBackend | null;
  /** Warnings printed to the user in this turn (e.g. `⚠ Auxiliary title generation failed`). */
  readonly warnings: number;
}

/** A policy under simulation: one instance per run. */
export interface SimPolicy {
  /** Plays one turn (main + title + one auxiliary task) at simulated time `now`. */
  turn(now: number, send: SimSend): SimTurnReport;
  /** How many cooldowns / down windows / ejections the policy has entered so far (0 for none). */
  readonly cooldownsEntered: number;
}

/** True for an HTTP 5xx or a transport error: what every peer here treats as a server-side failure. */
export const isServerSide = (f: SimFailure): boolean => f.transport || (f.status !== undefined && f.status >= 500);
