import { and, assign, enqueueActions, not, raise, setup, stateIn } from 'xstate';
import type { FailureKind } from '../src/classify/failure.js';
import { DEFAULT_HEALTH_POLICY } from '../src/policy/defaults.js';
import type { HealthPolicy } from '../src/policy/healthPolicy.js';
import { ejectionCooldownMs, escalatedRateLimitMs, maxEscalationLevel, maxRateLimitStreak, rateLimitCooldownMs } from '../src/policy/cooldownMath.js';

/**
 * The health of one backend (an endpoint, or one model on an endpoint) as a statechart.
 *
 * Every event is a fact with the time it happened (`at`): the rules never read a clock. Deadlines
 * are absolute times in context; the actor's clock only decides when a timer fires. A fact stamped
 * at or after the current deadline first takes the timer's transition (the timer is merely late),
 * then is handled, so the state depends on the facts alone, not on when timers ran: a replay of
 * the same facts gives the same state. A restored actor is re-armed with `health.rearm`.
 */

/**
 * What a health actor is doing, as one word. `recovering` with `probeInFlight` is the half-open slot taken.
 *
 * @example
 * ```ts
 * import type { HealthStatus } from 'llm-health-router';
 * const closed = (s: HealthStatus) => s === 'cooldown' || s === 'down';
 * ```
 */
export type HealthStatus = 'healthy' | 'suspect' | 'recovering' | 'cooldown' | 'down';

/**
 * The part of a classified failure the statechart reads; small, so it can be journaled with every fact.
 * A whole `ClassifiedFailure` is one.
 *
 * @example
 * ```ts
 * import type { FailureFact } from 'llm-health-router';
 * const fact: FailureFact = { kind: 'rate_limited', reason: 'http_429', cooldownHintMs: 20_000 };
 * ```
 */
export interface FailureFact {
  readonly kind: FailureKind;
  readonly reason: string;
  readonly message?: string;
  readonly cooldownHintMs?: number;
}

/**
 * Facts the health machine accepts. `startedAt` (default `at`) is when the call began: a call that
 * began before the backend was ejected says nothing about the backend now, so it is ignored.
 * `jitterSample` (in [0, 1)) is drawn once when the fact is recorded, so replay is exact.
 *
 * @example
 * ```ts
 * import type { BackendHealthEvent } from 'llm-health-router';
 * const started = Date.now() - 1_200;
 * const fact: BackendHealthEvent = { type: 'call.succeeded', at: Date.now(), startedAt: started };
 * ```
 */
export type BackendHealthEvent =
  | { type: 'call.failed'; at: number; startedAt?: number; failure: FailureFact; jitterSample?: number }
  | { type: 'call.succeeded'; at: number; startedAt?: number }
  /**
   * A caller claimed the probe slot. `by` names the claimer (the journal's writer), so a claim
   * whose process died can be told apart (`probe.abandoned`). `panic`: the claim of a request for
   * which every candidate was closed; a cooldown (not a rate-limit one) with its slot free takes
   * it as its one early probe.
   */
  | { type: 'probe.started'; at: number; by?: string; seq?: number; panic?: boolean }
  /**
   * The probe claimed by `by` will never report: its process is gone, or its call ended without a
   * fact about this backend (the caller aborted, the request was at fault, nothing was sent).
   * Frees the slot if that claim holds it; `claim` (the claim's `seq`) narrows it to one claim of
   * that writer, so a process giving up an old claim never frees a newer one of its own.
   */
  | { type: 'probe.abandoned'; at: number; by: string; claim?: number }
  | { type: 'backend.reset'; at: number }
  /**
   * Re-enters the current state so its timer is armed again after a restore (XState does not
   * persist timers). A deadline already passed at `at` fires at once, as if on time (and the
   * re-arm repeats in the state it led to), so a restored actor is up to date when the send
   * returns. It changes nothing else, not even the machine's time.
   */
  | { type: 'health.rearm'; at: number };

/**
 * Why the backend is in cooldown: a streak that reached its threshold, a crash signature, a
 * rate limit, or a failed probe.
 *
 * @example
 * ```ts
 * import type { CooldownCause } from 'llm-health-router';
 * const escalates = (c: CooldownCause) => c !== 'rate_limit';
 * ```
 */
export type CooldownCause = 'threshold' | 'crash' | 'rate_limit' | 'probe_failed';

/**
 * The machine's memory. Times are epoch ms; `deadline` is when the current state's timer fires.
 *
 * @example
 * ```ts
 * import type { BackendHealthContext } from 'llm-health-router';
 * const secondsLeft = (c: BackendHealthContext, now: number) => (c.deadline === null ? 0 : Math.max(0, c.deadline - now) / 1000);
 * ```
 */
export interface BackendHealthContext {
  readonly key: string;
  readonly policy: HealthPolicy;
  /** The status last announced (drives `from` in `health.changed`). */
  readonly status: HealthStatus;
  /** The latest time the machine has seen: the newest fact's `at`, or the deadline of a timer that fired. */
  readonly now: number;
  /** When the current state's timer fires: decay (healthy), streak end (suspect), expiry (cooldown), probe (down), probe timeout (probing). */
  readonly deadline: number | null;
  /** Consecutive counted failures in the current streak window. */
  readonly streak: number;
  /** Consecutive ejections, lowered by decay while healthy, capped where the cooldown reaches its max. */
  readonly level: number;
  /** When the latest cooldown, down or reset began; outcomes of calls started before it are stale, in every state. */
  readonly ejectedAt: number | null;
  /** The length chosen for the current cooldown (a re-failure extends the deadline by as much). */
  readonly cooldownMs: number | null;
  readonly cooldownCause: CooldownCause | null;
  readonly lastFailure: (FailureFact & { readonly at: number }) | null;
  /**
   * Early probes in cooldown: when the next one is admitted (`cooldown.resting`) or when the one in
   * flight is given up (`cooldown.probing`). Null where early probes do not apply (outside cooldown,
   * a rate-limit cooldown, no `probe.intervalMs`, or the cooldown ends first).
   */
  readonly probeAt: number | null;
  /** Who claimed the probe in flight (`probe.started`'s `by`); meaningful only while a probe is in flight. */
  readonly probeBy: string | null;
  /**
   * Which of its claims (`probe.started`'s `seq`) holds the probe in flight; absent in snapshots
   * stored before claims were numbered.
   */
  readonly probeClaim?: number | null;
  /**
   * Rate-limit cooldowns in a row without a success between them: a hintless 429 cools for
   * `escalatedRateLimitMs(policy, rateLimitStreak)`. Entering `healthy` clears it.
   */
  readonly rateLimitStreak: number;
}

/**
 * Emitted on every state change (not on a re-arm, not on start): what the CLI, the journal and the inspector show.
 *
 * @example
 * ```ts
 * actor.on('health.changed', (e) => console.log(`${e.key}: ${e.from} -> ${e.to} (${e.cause})`));
 * ```
 */
export interface HealthChangedEvent {
  readonly type: 'health.changed';
  readonly key: string;
  readonly at: number;
  readonly from: HealthStatus;
  readonly to: HealthStatus;
  readonly probeInFlight: boolean;
  /** In cooldown: an early probe is admitted now (active probes act on this). */
  readonly probeDue: boolean;
  /** The fact that caused it: a failure reason, an event type, or `timer`. */
  readonly cause: string;
  readonly level: number;
  readonly streak: number;
  /** The deadline of the new state (cooldown end, next probe …), or null. */
  readonly until: number | null;
}

/**
 * What a health actor is started with.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { backendHealthMachine, resolveHealthPolicy } from 'llm-health-router';
 * createActor(backendHealthMachine, { input: { key: 'openai|chat_completions|https://api.openai.com/v1', policy: resolveHealthPolicy(), at: Date.now() } });
 * ```
 */
export interface BackendHealthInput {
  readonly key: string;
  readonly policy?: HealthPolicy;
  /** The time the backend was first seen (default 0); facts carry their own times after that. */
  readonly at?: number;
}

/**
 * When the actor's next timer is due: the state's deadline, or an earlier early-probe time in
 * cooldown. What a stored (not running) backend must be woken at.
 *
 * @example
 * ```ts
 * import { nextTimerAt } from 'llm-health-router';
 * nextTimerAt({ deadline: 90_000, probeAt: 30_000 }); // 30000
 * ```
 */
export function nextTimerAt(context: Pick<BackendHealthContext, 'deadline' | 'probeAt'>): number | null {
  const { deadline, probeAt } = context;
  if (probeAt === null || probeAt === undefined) return deadline;
  return deadline === null ? probeAt : Math.min(deadline, probeAt);
}

type FailedEvent = Extract<BackendHealthEvent, { type: 'call.failed' }>;
type Ctx = BackendHealthContext;
type Ev = BackendHealthEvent | { type: `xstate.after.${string}` };

const factTime = (context: Ctx, event: Ev): number => ('at' in event ? Math.max(context.now, event.at) : context.now);
const startTime = (event: Ev): number => ('startedAt' in event && event.startedAt !== undefined ? event.startedAt : 'at' in event ? event.at : 0);
const failureOf = (event: Ev): FailureFact | undefined => (event.type === 'call.failed' ? (event as FailedEvent).failure : undefined);
const isKind = (event: Ev, ...kinds: FailureKind[]): boolean => kinds.includes(failureOf(event)?.kind as FailureKind);
/**
 * Time left until a context time by the actor's own clock (facts may be stamped a little ahead of
 * or behind it); the machine's time stands in where there is no clock (graph traversal).
 */
const until =
  (field: 'deadline' | 'probeAt') =>
  ({ context, self }: { context: Ctx; self: unknown }): number => {
    const clock = (self as { clock?: { now?: () => number } } | undefined)?.clock;
    const now = typeof clock?.now === 'function' ? clock.now() : context.now;
    // No early probe: wait for the deadline, where the cooldown's own timer leaves the state anyway.
    return Math.max(0, (context[field] ?? context.deadline ?? now) - now);
  };
const remaining = until('deadline');
/**
 * The next early probe in a cooldown that began (or was re-entered) at `now`: one interval on, if
 * that is still at least one interval before the cooldown ends (the half-open probe comes then,
 * so two probes are never closer than an interval).
 */
const nextEarlyProbe = (context: Ctx): number | null => {
  const interval = context.policy.probe.intervalMs;
  if (interval === null || context.cooldownCause === 'rate_limit' || context.deadline === null) return null;
  const at = context.now + interval;
  return at + interval <= context.deadline ? at : null;
};
const claimerOf = (event: Ev): string | null => (event.type === 'probe.started' ? (event.by ?? null) : null);
const claimOf = (event: Ev): number | null => (event.type === 'probe.started' ? (event.seq ?? null) : null);
/** A cooldown length stretched to the failure's hint, if it carries a longer one (clamped like a rate-limit hint). */
const atLeastHint = (context: Ctx, failure: FailureFact | undefined, lengthMs: number): number =>
  failure?.cooldownHintMs === undefined ? lengthMs : Math.max(lengthMs, rateLimitCooldownMs(context.policy.rateLimit, failure.cooldownHintMs));
// (a snapshot stored before the streak existed has none: it counts from 0)
const nextRateLimitStreak = (context: Ctx): number => Math.min((context.rateLimitStreak ?? 0) + 1, maxRateLimitStreak(context.policy));
const lastFailureOf = (context: Ctx, event: Ev) => {
  const failure = failureOf(event);
  return failure ? { ...failure, at: factTime(context, event) } : context.lastFailure;
};

/**
 * The backend health statechart: healthy → degraded.suspect → cooldown → degraded.recovering
 * (half-open, one probe) → healthy; `down` for auth/config failures. See `docs/health.md` for the
 * diagram generated from this definition.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { backendHealthMachine, routability } from 'llm-health-router';
 * const actor = createActor(backendHealthMachine, { input: { key: 'anthropic|anthropic_messages|http://127.0.0.1:8082', at: Date.now() } }).start();
 * actor.send({ type: 'call.failed', at: Date.now(), failure: { kind: 'crash', reason: 'crash_signature' } });
 * routability(actor.getSnapshot(), Date.now()); // { routable: false, status: 'cooldown', until: … }
 * ```
 */
export const backendHealthMachine = setup({
  types: {
    context: {} as BackendHealthContext,
    events: {} as BackendHealthEvent,
    input: {} as BackendHealthInput,
    emitted: {} as HealthChangedEvent,
    tags: {} as 'routable' | 'probe' | 'closed' | 'probeDue',
  },
  guards: {
    isStale: ({ context, event }) => context.ejectedAt !== null && startTime(event) < context.ejectedAt,
    isFresh: ({ context, event }) => context.ejectedAt === null || startTime(event) >= context.ejectedAt,
    isAuthConfig: ({ event }) => isKind(event, 'auth_config'),
    isRateLimited: ({ event }) => isKind(event, 'rate_limited'),
    isCrash: ({ event }) => isKind(event, 'crash'),
    countsTowardStreak: ({ event }) => isKind(event, 'backend_fault', 'unreachable'),
    reachesThreshold: ({ context, event }) => {
      const kind = failureOf(event)?.kind;
      if (kind !== 'backend_fault' && kind !== 'unreachable') return false;
      return context.streak + 1 >= context.policy.thresholds[kind];
    },
    ejects: ({ event }) => isKind(event, 'backend_fault', 'unreachable', 'crash'),
    deadlinePassed: ({ context, event }) => context.deadline !== null && 'at' in event && event.at >= context.deadline,
    hasEscalation: ({ context }) => context.level > 0,
    inRateLimitCooldown: ({ context }) => context.cooldownCause === 'rate_limit',
    isPanicClaim: ({ event }) => event.type === 'probe.started' && event.panic === true,
    /** The probe given up is the one holding the slot (another claimer's probe is left alone). */
    abandonsProbeInFlight: ({ context, event }) =>
      event.type === 'probe.abandoned' && event.by === context.probeBy && (event.claim === undefined || event.claim === (context.probeClaim ?? null)),
    /** The early-probe timer applies: it is set and comes before the cooldown's end. */
    earlyProbeTimerApplies: ({ context }) => context.probeAt !== null && (context.deadline === null || context.probeAt < context.deadline),
    /** A fact stamped at or after the early-probe timer, which comes first, arrived before that timer ran. */
    earlyProbeTimerPassed: ({ context, event }) =>
      context.probeAt !== null && 'at' in event && event.at >= context.probeAt && (context.deadline === null || context.probeAt < context.deadline),
  },
  delays: {
    decayInterval: remaining,
    streakWindow: remaining,
    cooldownExpiry: remaining,
    downProbeInterval: remaining,
    probeTimeout: remaining,
    earlyProbeInterval: until('probeAt'),
    earlyProbeTimeout: until('probeAt'),
  },
  actions: {
    /** A timer fired: the machine's time is now that deadline. */
    reachDeadline: assign({ now: ({ context }) => Math.max(context.now, context.deadline ?? context.now) }),
    /** Healthy again: the decay clock starts; the rate-limit streak is over (a success, a reset or a quiet streak window). */
    startDecayClock: assign(({ context, event }) => {
      const now = factTime(context, event);
      return { now, deadline: now + context.policy.decayIntervalMs, streak: 0, cooldownMs: null, cooldownCause: null, probeAt: null, rateLimitStreak: 0 };
    }),
    /** One decay step; the next one is due one interval after this one was due, so missed steps catch up. */
    decayEscalation: assign(({ context }) => ({
      now: Math.max(context.now, context.deadline ?? context.now),
      level: Math.max(0, context.level - 1),
      deadline: (context.deadline ?? context.now) + context.policy.decayIntervalMs,
    })),
    extendStreak: assign(({ context, event }) => {
      const now = factTime(context, event);
      return { now, streak: context.streak + 1, deadline: now + context.policy.streakWindowMs, lastFailure: lastFailureOf(context, event) };
    }),
    /**
     * Opens a cooldown one escalation level up (a tripped streak, a crash, a failed probe, or a real
     * fault during a rate-limit cooldown, which keeps the later of the two deadlines).
     */
    startEjection: assign(({ context, event }, params: { cause: CooldownCause; keepLaterDeadline?: boolean }) => {
      const now = factTime(context, event);
      const level = Math.min(context.level + 1, maxEscalationLevel(context.policy.cooldown));
      const sample = event.type === 'call.failed' ? (event.jitterSample ?? 0) : 0;
      // A provider's hint (a 503's retry-after) says when to come back, not sooner: it lengthens the cooldown, never shortens it.
      const cooldownMs = atLeastHint(context, failureOf(event), ejectionCooldownMs(context.policy.cooldown, level, sample));
      const cause = isKind(event, 'crash') ? 'crash' : params.cause;
      const deadline = params.keepLaterDeadline ? Math.max(context.deadline ?? now, now + cooldownMs) : now + cooldownMs;
      return { now, level, cooldownMs, cooldownCause: cause, ejectedAt: now, deadline, streak: context.streak + 1, lastFailure: lastFailureOf(context, event) };
    }),
    /** One more rate-limit cooldown in a row: the hint, or the default escalated by the streak. */
    startRateLimitCooldown: assign(({ context, event }) => {
      const now = factTime(context, event);
      const rateLimitStreak = nextRateLimitStreak(context);
      const cooldownMs = rateLimitCooldownMs(context.policy.rateLimit, failureOf(event)?.cooldownHintMs, escalatedRateLimitMs(context.policy, rateLimitStreak));
      return { now, cooldownMs, cooldownCause: 'rate_limit' as const, ejectedAt: now, deadline: now + cooldownMs, rateLimitStreak, lastFailure: lastFailureOf(context, event) };
    }),
    /**
     * A fresh failure during cooldown: the deadline moves to at least `at + the current cooldown
     * length` (or its hint, if longer); a 429 to at least `at +` its hint or the escalated default,
     * and it counts in the rate-limit streak.
     */
    extendCooldown: assign(({ context, event }) => {
      const now = factTime(context, event);
      const hint = failureOf(event)?.cooldownHintMs;
      const rateLimited = isKind(event, 'rate_limited');
      const rateLimitStreak = rateLimited ? nextRateLimitStreak(context) : (context.rateLimitStreak ?? 0);
      const length = rateLimited
        ? rateLimitCooldownMs(context.policy.rateLimit, hint, escalatedRateLimitMs(context.policy, rateLimitStreak))
        : atLeastHint(context, failureOf(event), context.cooldownMs ?? ejectionCooldownMs(context.policy.cooldown, Math.max(1, context.level)));
      return { now, deadline: Math.max(context.deadline ?? now, now + length), rateLimitStreak, lastFailure: lastFailureOf(context, event) };
    }),
    enterDown: assign(({ context, event }) => {
      const now = factTime(context, event);
      return { now, ejectedAt: now, deadline: now + context.policy.down.probeIntervalMs, cooldownMs: null, cooldownCause: null, probeAt: null, lastFailure: lastFailureOf(context, event) };
    }),
    openProbeSlot: assign({ deadline: null, probeAt: null }),
    /** An early-probe timer fired: the machine's time is now its due time. */
    reachProbeTime: assign({ now: ({ context }) => Math.max(context.now, context.probeAt ?? context.now) }),
    scheduleEarlyProbe: assign({ probeAt: ({ context }) => nextEarlyProbe(context) }),
    admitEarlyProbe: assign(({ context, event }) => {
      const now = factTime(context, event);
      return { now, probeAt: now + context.policy.probe.timeoutMs, probeBy: claimerOf(event), probeClaim: claimOf(event) };
    }),
    /** The early probe's claimer is gone: the slot is free, and the probe due again at once. */
    releaseEarlyProbe: assign(({ context, event }) => {
      const now = factTime(context, event);
      return { now, probeAt: now, probeBy: null, probeClaim: null };
    }),
    /**
     * The early probe failed. No escalation (that happens once per ejection, at the cooldown's
     * end), but the cooldown lasts at least one more interval, so the probe at its end never
     * follows the failed one closely; the next early probe waits an interval too.
     */
    noteProbeFailure: assign(({ context, event }) => {
      const now = factTime(context, event);
      const interval = context.policy.probe.intervalMs ?? 0;
      return { now, deadline: Math.max(context.deadline ?? now, now + interval), lastFailure: lastFailureOf(context, event) };
    }),

    admitProbe: assign(({ context, event }) => {
      const now = factTime(context, event);
      return { now, deadline: now + context.policy.probe.timeoutMs, probeAt: null, probeBy: claimerOf(event), probeClaim: claimOf(event) };
    }),
    /** The half-open probe's claimer is gone: the slot is free at once (instead of after `probe.timeoutMs`). */
    releaseProbe: assign(({ context, event }) => ({ now: factTime(context, event), deadline: null, probeAt: null, probeBy: null, probeClaim: null })),
    /**
     * A fact stamped at or after the deadline arrived before the deadline's timer ran: fire that
     * timer's own event now (its transition, guards and actions, exactly as if it had run on time)…
     */
    fireLateTimer: raise((_, params: { timer: string }) => ({ type: params.timer }) as unknown as BackendHealthEvent),
    /** …then handle the fact again in the state the timer led to. */
    replayFact: raise(({ event }) => event as BackendHealthEvent),
    /** A reset forgets the streak and the escalation: someone fixed or wants to retry this backend. */
    forgetHistory: assign(({ context, event }) => ({
      now: factTime(context, event),
      streak: 0,
      level: 0,
      deadline: null,
      ejectedAt: factTime(context, event),
      cooldownMs: null,
      cooldownCause: null,
      probeAt: null,
      rateLimitStreak: 0,
    })),
    announce: enqueueActions(({ context, event, enqueue }, params: { status: HealthStatus; probeInFlight?: boolean; probeDue?: boolean }) => {
      // A re-arm restores timers, not news; the initial entry is not a change either.
      if (event.type === 'health.rearm' || (event as { type: string }).type === 'xstate.init') return;
      const failure = failureOf(event);
      const cause = failure ? failure.reason : event.type.startsWith('xstate.after.') ? 'timer' : event.type;
      const closed = params.status === 'cooldown' || params.status === 'down' || params.probeInFlight === true;
      enqueue.emit({
        type: 'health.changed',
        key: context.key,
        at: context.now,
        from: context.status,
        to: params.status,
        probeInFlight: params.probeInFlight ?? false,
        probeDue: params.probeDue ?? false,
        cause,
        level: context.level,
        streak: context.streak,
        until: closed ? context.deadline : null,
      });
      enqueue.assign({ status: params.status });
    }),
  },
}).createMachine({
  id: 'backendHealth',
  context: ({ input }) => {
    const policy = input.policy ?? DEFAULT_HEALTH_POLICY;
    const now = input.at ?? 0;
    return {
      key: input.key,
      policy,
      status: 'healthy',
      now,
      deadline: now + policy.decayIntervalMs,
      streak: 0,
      level: 0,
      ejectedAt: null,
      cooldownMs: null,
      cooldownCause: null,
      lastFailure: null,
      probeAt: null,
      probeBy: null,
      probeClaim: null,
      rateLimitStreak: 0,
    };
  },
  initial: 'healthy',
  states: {
    healthy: {
      tags: ['routable'],
      entry: [{ type: 'announce', params: { status: 'healthy' } }],
      after: {
        decayInterval: { guard: 'hasEscalation', target: 'healthy', reenter: true, actions: ['decayEscalation'] },
      },
      on: {
        'call.failed': [
          { guard: 'isStale' },
          {
            guard: and(['deadlinePassed', 'hasEscalation']),
            actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.decayInterval.backendHealth.healthy' } }, 'replayFact'],
          },
          { guard: 'isAuthConfig', target: 'down', actions: ['enterDown'] },
          { guard: 'isRateLimited', target: 'cooldown', actions: ['startRateLimitCooldown'] },
          { guard: 'isCrash', target: 'cooldown', actions: [{ type: 'startEjection', params: { cause: 'crash' } }] },
          { guard: 'reachesThreshold', target: 'cooldown', actions: [{ type: 'startEjection', params: { cause: 'threshold' } }] },
          { guard: 'countsTowardStreak', target: 'degraded.suspect', actions: ['extendStreak'] },
        ],
        'backend.reset': { target: 'healthy', reenter: true, actions: ['forgetHistory', 'startDecayClock'] },
        'health.rearm': [
          {
            guard: and(['deadlinePassed', 'hasEscalation']),
            actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.decayInterval.backendHealth.healthy' } }, 'replayFact'],
          },
          { target: 'healthy', reenter: true },
        ],
      },
    },
    degraded: {
      initial: 'suspect',
      states: {
        suspect: {
          tags: ['routable'],
          entry: [{ type: 'announce', params: { status: 'suspect' } }],
          after: {
            streakWindow: { target: '#backendHealth.healthy', actions: ['reachDeadline', 'startDecayClock'] },
          },
          on: {
            'call.failed': [
              { guard: 'isStale' },
              {
                guard: 'deadlinePassed',
                actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.streakWindow.backendHealth.degraded.suspect' } }, 'replayFact'],
              },
              { guard: 'isAuthConfig', target: '#backendHealth.down', actions: ['enterDown'] },
              { guard: 'isRateLimited', target: '#backendHealth.cooldown', actions: ['startRateLimitCooldown'] },
              { guard: 'isCrash', target: '#backendHealth.cooldown', actions: [{ type: 'startEjection', params: { cause: 'crash' } }] },
              { guard: 'reachesThreshold', target: '#backendHealth.cooldown', actions: [{ type: 'startEjection', params: { cause: 'threshold' } }] },
              { guard: 'countsTowardStreak', target: 'suspect', reenter: true, actions: ['extendStreak'] },
            ],
            'call.succeeded': [
              {
                guard: 'deadlinePassed',
                actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.streakWindow.backendHealth.degraded.suspect' } }, 'replayFact'],
              },
              { target: '#backendHealth.healthy', actions: ['startDecayClock'] },
            ],
            'backend.reset': { target: '#backendHealth.healthy', actions: ['forgetHistory', 'startDecayClock'] },
            'health.rearm': [
              {
                guard: 'deadlinePassed',
                actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.streakWindow.backendHealth.degraded.suspect' } }, 'replayFact'],
              },
              { target: 'suspect', reenter: true },
            ],
          },
        },
        recovering: {
          initial: 'awaitingProbe',
          on: {
            'call.failed': [
              { guard: 'isStale' },
              { guard: 'isAuthConfig', target: '#backendHealth.down', actions: ['enterDown'] },
              { guard: 'isRateLimited', target: '#backendHealth.cooldown', actions: ['startRateLimitCooldown'] },
              { guard: 'ejects', target: '#backendHealth.cooldown', actions: [{ type: 'startEjection', params: { cause: 'probe_failed' } }] },
            ],
            'call.succeeded': { guard: 'isFresh', target: '#backendHealth.healthy', actions: ['startDecayClock'] },
            'backend.reset': { target: '.awaitingProbe', reenter: true, actions: ['forgetHistory'] },
          },
          states: {
            awaitingProbe: {
              tags: ['probe'],
              entry: [{ type: 'announce', params: { status: 'recovering' } }],
              on: {
                'probe.started': { target: 'probing', actions: ['admitProbe'] },
              },
            },
            probing: {
              tags: ['closed'],
              entry: [{ type: 'announce', params: { status: 'recovering', probeInFlight: true } }],
              after: {
                probeTimeout: { target: 'awaitingProbe', actions: ['reachDeadline', 'openProbeSlot'] },
              },
              on: {
                'probe.started': { guard: 'deadlinePassed', target: 'probing', reenter: true, actions: ['admitProbe'] },
                'probe.abandoned': [
                  {
                    guard: 'deadlinePassed',
                    actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.probeTimeout.backendHealth.degraded.recovering.probing' } }, 'replayFact'],
                  },
                  { guard: 'abandonsProbeInFlight', target: 'awaitingProbe', actions: ['releaseProbe'] },
                ],
                'health.rearm': [
                  {
                    guard: 'deadlinePassed',
                    actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.probeTimeout.backendHealth.degraded.recovering.probing' } }, 'replayFact'],
                  },
                  { target: 'probing', reenter: true },
                ],
              },
            },
          },
        },
      },
    },
    cooldown: {
      tags: ['closed'],
      entry: [{ type: 'announce', params: { status: 'cooldown' } }],
      after: {
        cooldownExpiry: { target: 'degraded.recovering', actions: ['reachDeadline', 'openProbeSlot'] },
      },
      // Early probes: user requests stay out for the whole (escalated) cooldown, but one cheap
      // active probe is admitted every `probe.intervalMs`; its success closes the cooldown.
      initial: 'resting',
      states: {
        resting: {
          entry: ['scheduleEarlyProbe'],
          after: {
            earlyProbeInterval: { guard: 'earlyProbeTimerApplies', target: 'probeDue', actions: ['reachProbeTime'] },
          },
          on: {
            'probe.started': [
              {
                guard: 'earlyProbeTimerPassed',
                actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.earlyProbeInterval.backendHealth.cooldown.resting' } }, 'replayFact'],
              },
              // Panic: every candidate of a request was closed; this one takes it as its early probe
              // (not when the provider said when to come back, nor once the cooldown is over).
              { guard: and(['isPanicClaim', not('inRateLimitCooldown'), not('deadlinePassed')]), target: 'probing', actions: ['admitEarlyProbe'] },
            ],
            'health.rearm': {
              guard: 'earlyProbeTimerPassed',
              actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.earlyProbeInterval.backendHealth.cooldown.resting' } }, 'replayFact'],
            },
          },
        },
        probeDue: {
          tags: ['probeDue'],
          entry: [{ type: 'announce', params: { status: 'cooldown', probeDue: true } }],
          on: {
            'probe.started': { guard: not('deadlinePassed'), target: 'probing', actions: ['admitEarlyProbe'] },
          },
        },
        probing: {
          entry: [{ type: 'announce', params: { status: 'cooldown', probeInFlight: true } }],
          after: {
            earlyProbeTimeout: { guard: 'earlyProbeTimerApplies', target: 'probeDue', actions: ['reachProbeTime'] },
          },
          on: {
            'call.failed': [
              {
                guard: and(['isFresh', 'earlyProbeTimerPassed']),
                actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.earlyProbeTimeout.backendHealth.cooldown.probing' } }, 'replayFact'],
              },
              // Through the whole cooldown, so its own timer is armed again for the new deadline.
              { guard: and(['isFresh', 'ejects', not('deadlinePassed')]), target: '#backendHealth.cooldown', reenter: true, actions: ['noteProbeFailure'] },
            ],
            'probe.started': {
              guard: 'earlyProbeTimerPassed',
              actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.earlyProbeTimeout.backendHealth.cooldown.probing' } }, 'replayFact'],
            },
            'probe.abandoned': [
              {
                guard: 'earlyProbeTimerPassed',
                actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.earlyProbeTimeout.backendHealth.cooldown.probing' } }, 'replayFact'],
              },
              { guard: and(['abandonsProbeInFlight', not('deadlinePassed')]), target: 'probeDue', actions: ['releaseEarlyProbe'] },
            ],
            'health.rearm': {
              guard: 'earlyProbeTimerPassed',
              actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.earlyProbeTimeout.backendHealth.cooldown.probing' } }, 'replayFact'],
            },
          },
        },
      },
      on: {
        'call.failed': [
          { guard: 'isStale' },
          {
            guard: 'deadlinePassed',
            actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.cooldownExpiry.backendHealth.cooldown' } }, 'replayFact'],
          },
          { guard: 'isAuthConfig', target: 'down', actions: ['enterDown'] },
          { guard: 'isRateLimited', target: 'cooldown', reenter: true, actions: ['extendCooldown'] },
          {
            guard: and(['ejects', 'inRateLimitCooldown']),
            target: 'cooldown',
            reenter: true,
            actions: [{ type: 'startEjection', params: { cause: 'threshold', keepLaterDeadline: true } }],
          },
          { guard: 'ejects', target: 'cooldown', reenter: true, actions: ['extendCooldown'] },
        ],
        'call.succeeded': { guard: 'isFresh', target: 'healthy', actions: ['startDecayClock'] },
        'probe.started': { guard: 'deadlinePassed', target: 'degraded.recovering.probing', actions: ['admitProbe'] },
        'probe.abandoned': {
          guard: 'deadlinePassed',
          actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.cooldownExpiry.backendHealth.cooldown' } }, 'replayFact'],
        },
        'backend.reset': { target: 'degraded.recovering', actions: ['forgetHistory'] },
        'health.rearm': [
          {
            guard: 'deadlinePassed',
            actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.cooldownExpiry.backendHealth.cooldown' } }, 'replayFact'],
          },
          // Re-arm the cooldown's timer and the early-probe state it was in (resting recomputes the same due time).
          { guard: stateIn('#backendHealth.cooldown.probeDue'), target: '.probeDue', reenter: true },
          { guard: stateIn('#backendHealth.cooldown.probing'), target: '.probing', reenter: true },
          { target: 'cooldown', reenter: true },
        ],
      },
    },
    down: {
      tags: ['closed'],
      entry: [{ type: 'announce', params: { status: 'down' } }],
      after: {
        downProbeInterval: { target: 'degraded.recovering', actions: ['reachDeadline', 'openProbeSlot'] },
      },
      on: {
        'call.failed': [
          { guard: 'isStale' },
          {
            guard: 'deadlinePassed',
            actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.downProbeInterval.backendHealth.down' } }, 'replayFact'],
          },
          { guard: 'isAuthConfig', target: 'down', reenter: true, actions: ['enterDown'] },
        ],
        'call.succeeded': { guard: 'isFresh', target: 'healthy', actions: ['startDecayClock'] },
        'probe.started': { guard: 'deadlinePassed', target: 'degraded.recovering.probing', actions: ['admitProbe'] },
        'backend.reset': { target: 'degraded.recovering', actions: ['forgetHistory'] },
        'health.rearm': [
          {
            guard: 'deadlinePassed',
            actions: [{ type: 'fireLateTimer', params: { timer: 'xstate.after.downProbeInterval.backendHealth.down' } }, 'replayFact'],
          },
          { target: 'down', reenter: true },
        ],
      },
    },
  },
});
