/**
 * Hermes' draft fix — a re-implementation of the process-local registry described in
 * /work/shared/reference/hermes.md line 52–54 ("A draft fix proposed …"), on top of today's
 * behaviour (hermesToday.ts, l. 40–51):
 *
 * - 2 transport failures → 180 s down; 2 server failures (5xx) → 300 s down; an error whose message
 *   contains "process exited with code" → 300 s down at once;
 * - the failure streak resets after 180 s without failures; a success clears the entry.
 *
 * How it is consulted (the reference does not say; chosen to favour the draft): the turn-start
 * restore skips a backend that is down (the turn starts on the first chain entry that is not), the
 * concurrent title follows that turn-start runtime, and the same-backend retry is skipped when the
 * first failure already put the backend down. Only main-reply failures are recorded (a title
 * failure still prints its warning, l. 44–46, but does not count towards the streak).
 */
import { isServerSide, type SimBackend, type SimFailure, type SimPolicy, type SimSend, type SimTurnReport } from './simulation.js';

const CRASH = /process exited with code/i;
const STREAK_RESET_MS = 180_000;

interface Entry {
  server: number;
  transport: number;
  lastFailureAt: number;
  downUntil: number;
}

export class HermesDraft implements SimPolicy {
  cooldownsEntered = 0;
  private readonly registry = new Map<SimBackend, Entry>();

  turn(now: number, send: SimSend): SimTurnReport {
    const runtime: SimBackend = this.isDown('primary', now) ? 'fallback' : 'primary';
    let warnings = 0;
    if (!send(runtime, 'title').ok) warnings += 1;
    const served = this.main(now, runtime, send);
    if (served !== null && !send(served, 'auxiliary').ok) warnings += 1;
    return { mainServedBy: served, warnings };
  }

  private main(now: number, runtime: SimBackend, send: SimSend): SimBackend | null {
    const chain: SimBackend[] = runtime === 'primary' ? ['primary', 'fallback'] : ['fallback'];
    for (const backend of chain) {
      if (this.isDown(backend, now)) continue;
      let outcome = send(backend, 'main');
      if (!outcome.ok) {
        this.recordFailure(backend, outcome.failure, now);
        if (isServerSide(outcome.failure) && !this.isDown(backend, now)) {
          outcome = send(backend, 'main');
          if (!outcome.ok) this.recordFailure(backend, outcome.failure, now);
        }
      }
      if (outcome.ok) {
        this.registry.delete(backend); // success clears the entry
        return backend;
      }
    }
    return null;
  }

  private isDown(backend: SimBackend, now: number): boolean {
    return (this.registry.get(backend)?.downUntil ?? 0) > now;
  }

  private recordFailure(backend: SimBackend, failure: SimFailure, now: number): void {
    let e = this.registry.get(backend);
    if (!e || now - e.lastFailureAt > STREAK_RESET_MS) e = { server: 0, transport: 0, lastFailureAt: now, downUntil: e?.downUntil ?? 0 };
    e.lastFailureAt = now;
    let downMs = 0;
    if (CRASH.test(failure.message)) downMs = 300_000;
    else if (failure.transport) downMs = ++e.transport >= 2 ? 180_000 : 0;
    else if ((failure.status ?? 0) >= 500) downMs = ++e.server >= 2 ? 300_000 : 0;
    if (downMs > 0) {
      e.downUntil = now + downMs;
      e.server = 0;
      e.transport = 0;
      this.cooldownsEntered += 1;
    }
    this.registry.set(backend, e);
  }
}
