/**
 * LiteLLM Router defaults — a re-implementation of the row in /work/shared/reference/anchors.md
 * line 5: health keyed by deployment; trips on 429, 401, 404, 408 and ≥ 500; `allowed_fails` 3;
 * a fixed `cooldown_time` of 5 s with no escalation; no half-open state and no probe (the
 * deployment simply becomes eligible again when its cooldown ends); "a lone deployment is almost
 * never cooled".
 *
 * A primary with fallbacks. LiteLLM's `fallbacks` map one model group to another, so a primary
 * facade whose fallback is another provider is a model group with one deployment: the lone
 * deployment. LiteLLM exempts such a group from its default cooldown rules unless 100 % of at
 * least SINGLE_DEPLOYMENT_TRAFFIC_FAILURE_THRESHOLD (1,000) requests in the minute failed; an
 * agent sends a handful a minute. Hence two modes:
 *
 * - `lone` (LiteLLM as configured for this setup): the primary is never cooled; every call tries
 *   it, then falls back.
 * - `cooled` (the anchor's numbers applied as if the primary could be cooled, e.g. with
 *   `allowed_fails` set): more than 3 failures in the current minute → 5 s cooldown, every further
 *   failure in that minute → another 5 s.
 *
 * Each call (main, title, auxiliary) is one router request from an agent that sends them one
 * after another like this router's turns (LiteLLM has no notion of a turn or a title): the
 * primary unless it is cooled, then the fallback group. No warnings: every call falls back.
 * Choices that favour LiteLLM: `num_retries` is 0 (its Router defaults to
 * openai.DEFAULT_MAX_RETRIES = 2, which sends up to three requests per call to a lone dead
 * deployment before falling back); the failure counter is per calendar minute (in LiteLLM's code
 * it expires `cooldown_time` after the last failure, which at one turn per 20 s would never reach
 * a 4th failure). Connection errors never cool a deployment (`_is_cooldown_required` ignores
 * `APIConnectionError`).
 */
import type { SimBackend, SimFailure, SimPolicy, SimSend, SimTurnReport } from './simulation.js';

const ALLOWED_FAILS = 3;
const COOLDOWN_MS = 5_000;

export class LiteLlmRouter implements SimPolicy {
  cooldownsEntered = 0;
  private coolUntil = 0;
  private failMinute = -1;
  private fails = 0;

  constructor(private readonly mode: 'lone' | 'cooled') {}

  turn(now: number, send: SimSend): SimTurnReport {
    const served = this.request(now, 'main', send);
    this.request(now, 'title', send);
    this.request(now, 'auxiliary', send);
    return { mainServedBy: served, warnings: 0 };
  }

  private request(now: number, purpose: 'main' | 'title' | 'auxiliary', send: SimSend): SimBackend | null {
    if (now >= this.coolUntil) {
      const outcome = send('primary', purpose);
      if (outcome.ok) return 'primary';
      this.recordFailure(now, outcome.failure);
    }
    return send('fallback', purpose).ok ? 'fallback' : null;
  }

  private recordFailure(now: number, failure: SimFailure): void {
    if (this.mode === 'lone' || failure.transport || (failure.status ?? 0) < 500) return;
    const minute = Math.floor(now / 60_000);
    if (minute !== this.failMinute) {
      this.failMinute = minute;
      this.fails = 0;
    }
    this.fails += 1;
    if (this.fails > ALLOWED_FAILS) {
      this.coolUntil = now + COOLDOWN_MS;
      this.cooldownsEntered += 1;
    }
  }
}
