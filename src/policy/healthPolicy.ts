/**
 * How the health statechart turns failures into cooldowns. All durations are milliseconds.
 * Build one with `resolveHealthPolicy(partial)`, which fills in the defaults and validates.
 *
 * @example
 * ```ts
 * import { resolveHealthPolicy, type HealthPolicy } from 'llm-health-router';
 * const policy: HealthPolicy = resolveHealthPolicy({ cooldown: { baseMs: 10_000 } });
 * policy.cooldown.maxMs; // 300000 (default)
 * ```
 */
export interface HealthPolicy {
  /** Consecutive failures (within `streakWindowMs`) that eject a backend, per counted kind. */
  readonly thresholds: {
    readonly backend_fault: number;
    readonly unreachable: number;
  };
  /** A suspect backend with no new failure for this long is healthy again. */
  readonly streakWindowMs: number;
  /** Ejection cooldowns: `min(baseMs × multiplier^(level−1), maxMs)`, stretched by up to `jitter`. */
  readonly cooldown: {
    readonly baseMs: number;
    readonly multiplier: number;
    readonly maxMs: number;
    /** Fraction (0…multiplier−1, at most 1) a cooldown may be lengthened by, so a fleet does not probe in step. */
    readonly jitter: number;
  };
  /** Each interval spent healthy lowers the escalation level by one. */
  readonly decayIntervalMs: number;
  /**
   * Rate-limit cooldowns: the provider's hint clamped to `[minMs, maxMs]`; without a hint,
   * `defaultMs × multiplier^(n−1)` for the n-th rate-limit cooldown in a row (no success between
   * them), up to `max(defaultMs, cooldown.maxMs)`. A hint always wins over the escalated default.
   */
  readonly rateLimit: {
    readonly defaultMs: number;
    readonly minMs: number;
    readonly maxMs: number;
    /** How much each hintless rate-limit cooldown in a row lengthens the next; 1 never escalates. */
    readonly multiplier: number;
  };
  /** A `down` backend (auth/config failure) is given one probe after this long. */
  readonly down: { readonly probeIntervalMs: number };
  readonly probe: {
    /** A probe that never reports back frees its slot after this long. */
    readonly timeoutMs: number;
    /**
     * While a backend is in cooldown, one cheap probe (an active probe, never a user's request) is
     * admitted this often, so a recovered backend is back within one interval instead of at the
     * end of an escalated cooldown. `null` turns early probes off. Not during rate-limit cooldowns:
     * the provider said when to come back.
     */
    readonly intervalMs: number | null;
    /**
     * Whether routers send active probes (one-token requests) at all. `false`: only users'
     * requests probe a half-open backend. A router option (`activeProbes`) overrides it.
     */
    readonly active: boolean;
    /**
     * A router sends active probes only while it carried a turn within this window (its creation
     * counts as one): nobody waits for a backend of a chain nobody uses. `null`: always.
     */
    readonly trafficWindowMs: number | null;
  };
  /** Case-insensitive substrings meaning "the backend's own process died": straight to cooldown. */
  readonly crashSignatures: readonly string[];
  /**
   * Where failures the server answered (5xx, 529, 429 …) are recorded: the whole endpoint (one
   * local facade process is one backend whatever model string is asked of it) or only the model
   * (multi-model aggregators). Failures where nobody answered always mark the endpoint.
   */
  readonly scope: 'endpoint' | 'model';
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * A health policy as a user writes it: any subset of `HealthPolicy`; the rest comes from the defaults.
 *
 * @example
 * ```ts
 * import type { HealthPolicyInput } from 'llm-health-router';
 * const input: HealthPolicyInput = { thresholds: { backend_fault: 3 } };
 * ```
 */
export type HealthPolicyInput = DeepPartial<HealthPolicy>;
