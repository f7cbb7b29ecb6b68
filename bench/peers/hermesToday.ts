/**
 * Hermes today — a re-implementation of the behaviour described in
 * /work/shared/reference/hermes.md, "What it does today (the baseline to beat)", lines 40–51:
 *
 * - l. 40–42: 5xx and transport errors arm NO cross-turn cooldown; the primary is restored at the
 *   start of every turn (only rate limits arm one, which this outage never produces).
 * - l. 43: 5xx and transport errors get one same-backend retry, then the chain is tried.
 * - l. 44–46: the title is generated concurrently with the main reply at turn start, through the
 *   same auxiliary resolver, so it goes to the primary too; when it fails the user sees
 *   `⚠ Auxiliary title generation failed: …` (one warning).
 * - l. 47–48: auxiliary `auto` "does not always" follow the effective runtime. Modelled with the
 *   generous reading: the auxiliary task, sent after the main reply, follows the backend that served it.
 *
 * Choices where the reference is silent, each the one that favours Hermes (fewer requests to the
 * dead backend): the title is one request with no retry and no fallback; the "5 s gate" (l. 51)
 * never triggers because the fallback is healthy.
 */
import { isServerSide, type SimBackend, type SimPolicy, type SimSend, type SimTurnReport } from './simulation.js';

export class HermesToday implements SimPolicy {
  readonly cooldownsEntered = 0;

  turn(_now: number, send: SimSend): SimTurnReport {
    const runtime: SimBackend = 'primary'; // restored every turn (l. 40–41)
    let warnings = 0;
    if (!send(runtime, 'title').ok) warnings += 1; // concurrent title on the turn-start runtime (l. 44–46)
    const served = this.main(send);
    if (served !== null && !send(served, 'auxiliary').ok) warnings += 1; // generous: follows the served backend
    return { mainServedBy: served, warnings };
  }

  private main(send: SimSend): SimBackend | null {
    for (const backend of ['primary', 'fallback'] as const) {
      let outcome = send(backend, 'main');
      if (!outcome.ok && isServerSide(outcome.failure)) outcome = send(backend, 'main'); // one same-backend retry (l. 43)
      if (outcome.ok) return backend;
    }
    return null;
  }
}
