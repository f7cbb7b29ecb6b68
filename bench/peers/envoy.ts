/**
 * Envoy-style outlier ejection — a re-implementation of the row in
 * /work/shared/reference/anchors.md line 7: health per host; ejected after 5 consecutive 5xx
 * (local-origin failures such as a refused connection count as 5xx by default); ejected for
 * `base_ejection_time` 30 s × the ejection multiplier, at most 300 s; the multiplier decays while
 * the host is healthy; no probe (time-based return). Jitter (off by default in Envoy) is left out.
 *
 * Mechanics as in Envoy's outlier detector (`DetectorImpl::ejectHost`, `checkHostForUneject`): a
 * consecutive-5xx ejection happens on the failing response, resets the counter and raises the
 * multiplier by one (while 30 s × multiplier < 300 s + 30 s); the interval timer (default 10 s,
 * aligned with the start of the simulation) returns an ejected host once 30 s × multiplier
 * (capped at 300 s) has passed, and lowers the multiplier by one on every tick at which the host
 * is not ejected — "healthy" there means not ejected, so at an agent's few calls a minute the
 * multiplier decays between ejections. Any success resets the consecutive counter.
 * `max_ejection_percent` (10 %) does not stop the first ejection (0 % ejected < 10 %).
 *
 * As a router for an agent: the primary is priority 0 and the fallback priority 1, each call
 * (main, title, auxiliary, sent one after another) goes to the primary unless it is ejected, and a
 * route retry policy (`retry_on: 5xx`, one retry, `previous_hosts` predicate) sends a failed
 * call to the fallback, so no failure reaches the user. No warnings: every call falls back.
 */
import { isServerSide, type SimBackend, type SimPolicy, type SimSend, type SimTurnReport } from './simulation.js';

const CONSECUTIVE_5XX = 5;
const BASE_MS = 30_000;
const MAX_MS = 300_000;
const INTERVAL_MS = 10_000;

export class EnvoyOutlier implements SimPolicy {
  cooldownsEntered = 0;
  private consecutive = 0;
  private multiplier = 0;
  private ejectedAt: number | null = null;
  private ejectedForMs = 0;
  private lastTick = 0;

  turn(now: number, send: SimSend): SimTurnReport {
    this.runIntervalTimer(now);
    const served = this.request(now, 'main', send);
    this.request(now, 'title', send);
    this.request(now, 'auxiliary', send);
    return { mainServedBy: served, warnings: 0 };
  }

  private request(now: number, purpose: 'main' | 'title' | 'auxiliary', send: SimSend): SimBackend | null {
    if (this.ejectedAt === null) {
      const outcome = send('primary', purpose);
      if (outcome.ok) {
        this.consecutive = 0;
        return 'primary';
      }
      if (isServerSide(outcome.failure) && ++this.consecutive >= CONSECUTIVE_5XX) this.eject(now);
    }
    return send('fallback', purpose).ok ? 'fallback' : null; // the retry to the next priority
  }

  private eject(now: number): void {
    if (BASE_MS * this.multiplier < MAX_MS + BASE_MS) this.multiplier += 1;
    this.ejectedAt = now;
    this.ejectedForMs = Math.min(BASE_MS * this.multiplier, MAX_MS);
    this.consecutive = 0;
    this.cooldownsEntered += 1;
  }

  /** Every interval tick up to `now` (`checkHostForUneject`): a host not ejected has its multiplier lowered; an ejected one returns when its time is up. */
  private runIntervalTimer(now: number): void {
    for (let tick = this.lastTick + INTERVAL_MS; tick <= now; tick += INTERVAL_MS) {
      if (this.ejectedAt === null) {
        if (this.multiplier > 0) this.multiplier -= 1;
      } else if (tick - this.ejectedAt >= this.ejectedForMs) {
        this.ejectedAt = null;
        this.consecutive = 0;
      }
      this.lastTick = tick;
    }
  }
}
