import type { InspectionEvent } from 'xstate';
import type { HealthPolicyInput } from '../policy/healthPolicy.js';

/**
 * How the demo runs. Times are simulated seconds: health runs on a simulated clock, so a
 * ten-minute outage takes a few seconds; the HTTP calls through the real SDKs are real.
 *
 * @example
 * ```ts
 * const options: DemoOptions = { turns: 16, turnEverySeconds: 20, outageSeconds: 180, outDir: '/tmp/demo' };
 * ```
 */
export interface DemoOptions {
  /** How many turns (default 16). */
  readonly turns?: number;
  /** Simulated seconds between turns (default 20). */
  readonly turnEverySeconds?: number;
  /** Simulated seconds the facade stays crashed from the start (default 180). */
  readonly outageSeconds?: number;
  /** Where the journal and the HTML report are written (created if missing). */
  readonly outDir: string;
  /** The policy variant's name and settings (default: the default policy, active probes on). */
  readonly variant?: DemoVariant;
  /** Seeds cooldown jitter so a run repeats exactly (default 1). */
  readonly seed?: number;
  /** Real milliseconds to pause after each turn, to watch it unfold (default 0). */
  readonly paceMs?: number;
  /** Called after each turn, for progress. */
  readonly onTurn?: (row: DemoTurnRow, of: number) => void;
  /** Wired into every health and routed-call actor (the Stately inspector). */
  readonly inspect?: (event: InspectionEvent) => void;
}

/**
 * A policy to run the demo under.
 *
 * @example
 * ```ts
 * const variant: DemoVariant = { name: 'no-early-probes', description: 'no probes inside a cooldown', health: { probe: { intervalMs: null } }, activeProbes: true };
 * ```
 */
export interface DemoVariant {
  readonly name: string;
  readonly description: string;
  readonly health: HealthPolicyInput;
  readonly activeProbes: boolean;
}

/**
 * One call of a turn as the user would see it: who answered, or what went wrong.
 *
 * @example
 * ```ts
 * const call: DemoCall = { servedBy: 'fallback_providers[0]', model: 'qwen3:32b' };
 * ```
 */
export type DemoCall =
  | { readonly servedBy: string; readonly model: string }
  | { readonly skipped: string }
  | { readonly failed: string };

/**
 * One turn of the demo.
 *
 * @example
 * ```ts
 * const say = (r: DemoTurnRow) => `turn ${r.turn} at ${r.atSeconds} s: facade ${r.facadeBefore}`;
 * ```
 */
export interface DemoTurnRow {
  /** 1-based. */
  readonly turn: number;
  readonly turnId: string;
  /** Simulated seconds since the start. */
  readonly atSeconds: number;
  /** Whether the facade was crashing at that time. */
  readonly facadeDown: boolean;
  /** The facade's health when the turn started (`cooldown 42 s` …). */
  readonly facadeBefore: string;
  readonly main: DemoCall;
  readonly title: DemoCall;
  readonly auxiliary: DemoCall;
  readonly delegate: DemoCall;
  /** Router notices raised during the turn (`fallback.activated` …). */
  readonly notices: readonly string[];
  /** Requests the facade received during the turn, the router's probes apart. */
  readonly facadeRequests: number;
  /** Router probes the facade received since the previous turn started (they go out between turns). */
  readonly facadeProbes: number;
}

/**
 * What the demo measured, counted from the requests the local backends actually received.
 *
 * @example
 * ```ts
 * const ok = (s: DemoSummary) => s.userVisibleFailures === 0 && s.requestsDuringCooldown === 0;
 * ```
 */
export interface DemoSummary {
  readonly variant: string;
  readonly turns: number;
  readonly outageSeconds: number;
  /** Requests (not probes) the facade received in a turn after it had failed in that same turn. */
  readonly sameTurnRequestsAfterFailure: number;
  /** Title requests the facade received in a turn after it had failed in that turn. */
  readonly sameTurnTitleRequestsAfterFailure: number;
  /** Requests (not probes) the facade received while its health said cooldown or down. */
  readonly requestsDuringCooldown: number;
  /** One-token probes the facade received (they are allowed during a cooldown). */
  readonly probes: number;
  /** Everything the facade received while it was crashing, probes included. */
  readonly requestsToDeadFacade: number;
  /** Of those, the users' requests (main, title, auxiliary, delegate). */
  readonly userRequestsToDeadFacade: number;
  /** Of those, the router's one-token probes. */
  readonly probesToDeadFacade: number;
  /** Main replies that failed: what the user would see as an error. */
  readonly userVisibleFailures: number;
  /** Title generations that failed with a warning (`auxiliary.failed`); quiet skips are not warnings. */
  readonly titleWarnings: number;
  /** Title generations skipped quietly because no backend was healthy. */
  readonly titlesSkipped: number;
  readonly fallbackActivatedAtTurn: number | null;
  readonly primaryRestoredAtTurn: number | null;
  /** Simulated seconds from the facade's recovery to the first main reply it served again. */
  readonly backOnPrimaryAfterSeconds: number | null;
}

/**
 * Everything a demo run produced.
 *
 * @example
 * ```ts
 * const { summary, reportPath } = await runDemo({ outDir: '/tmp/demo' });
 * ```
 */
export interface DemoResult {
  readonly facadeUrl: string;
  readonly fallbackUrl: string;
  readonly outDir: string;
  readonly journalPath: string;
  readonly reportPath: string;
  readonly rows: readonly DemoTurnRow[];
  readonly summary: DemoSummary;
}
