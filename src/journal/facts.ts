import type { FailureKind } from '../classify/failure.js';

/**
 * The journal format version this library writes; a record with another `v` is rejected on read.
 *
 * @example
 * ```ts
 * import { FACT_VERSION } from 'llm-health-router';
 * const ours = (line: string) => (JSON.parse(line) as { v?: number }).v === FACT_VERSION;
 * ```
 */
export const FACT_VERSION = 1;

/**
 * What a call was for. `probe` is a call made to test a half-open backend (an active probe, or the
 * one request admitted after a cooldown); `manual` is an operator's action (a reset).
 *
 * @example
 * ```ts
 * import type { CallPurpose } from 'llm-health-router';
 * const purpose: CallPurpose = 'auxiliary:compression';
 * ```
 */
export type CallPurpose = 'main' | 'title' | `auxiliary:${string}` | 'delegate' | 'probe' | 'manual';

/**
 * The failure as journaled: the classification's kind and reason, what it said, and the cooldown
 * hint it carried, so a replay decides exactly what the live run decided.
 *
 * @example
 * ```ts
 * import type { JournaledFailure } from 'llm-health-router';
 * const f: JournaledFailure = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 };
 * ```
 */
export interface JournaledFailure {
  readonly kind: FailureKind;
  readonly reason: string;
  readonly message?: string;
  readonly status?: number;
  readonly cooldownHintMs?: number;
}

/** Fields every fact carries. */
interface FactBase {
  /** Format version ({@link FACT_VERSION}). First in every record. */
  readonly v: 1;
  /** When it happened (epoch ms). */
  readonly at: number;
  /** The endpoint or model key it is about (see `endpointKey` / `modelKey`). */
  readonly backend: string;
  readonly turnId?: string;
  readonly purpose?: CallPurpose;
  /** Which process wrote it (a random id per registry) and its sequence number there. */
  readonly writer?: string;
  readonly seq?: number;
}

/**
 * A health fact: something that happened, in the past tense, as it is journaled. Health is the
 * fold of these. A probe's result is a `call.succeeded` or `call.failed` with `purpose: 'probe'`.
 *
 * - `call.succeeded`: a call that started at `startedAt` got a good answer.
 * - `call.failed`: a call that started at `startedAt` failed as `failure`; `jitterSample` (in
 *   [0, 1)) was drawn when the fact was recorded, so the cooldown it opened replays exactly.
 * - `probe.started`: a caller claimed the single probe slot of a half-open backend (`panic`: for a
 *   request whose every candidate was closed, taken as a cooling backend's early probe).
 * - `probe.abandoned`: the probe claimed by writer `claimedBy` (its claim `claim`, the claim
 *   fact's `seq`, when given) will never report, so the slot is free at once: written by a process
 *   starting on the journal for a claim whose process is gone, or by the claimer itself when the
 *   call ended without a fact about the backend (the caller aborted, the request was at fault,
 *   nothing was sent).
 * - `backend.reset`: an operator or a configuration change cleared the backend's history.
 *
 * @example
 * ```ts
 * import type { HealthFact } from 'llm-health-router';
 * const fact: HealthFact = {
 *   v: 1, type: 'call.failed', at: 1_700_000_000_000, backend: 'anthropic|anthropic_messages|http://127.0.0.1:8082',
 *   turnId: 't-1', purpose: 'main', startedAt: 1_699_999_999_200,
 *   failure: { kind: 'crash', reason: 'crash_signature', status: 500 }, jitterSample: 0.42,
 * };
 * ```
 */
export type HealthFact =
  | (FactBase & { readonly type: 'call.succeeded'; readonly startedAt: number })
  | (FactBase & { readonly type: 'call.failed'; readonly startedAt: number; readonly failure: JournaledFailure; readonly jitterSample: number })
  | (FactBase & { readonly type: 'probe.started'; readonly panic?: true })
  | (FactBase & { readonly type: 'probe.abandoned'; readonly claimedBy: string; readonly claim?: number })
  | (FactBase & { readonly type: 'backend.reset'; readonly reason?: string });

/**
 * Every fact type, in a stable order (docs, validation messages).
 *
 * @example
 * ```ts
 * import { FACT_TYPES } from 'llm-health-router';
 * FACT_TYPES.includes('backend.reset'); // true
 * ```
 */
export const FACT_TYPES = ['call.succeeded', 'call.failed', 'probe.started', 'probe.abandoned', 'backend.reset'] as const;
