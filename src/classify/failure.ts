/**
 * What kind of failure a call ended with. The kind alone decides what the health statechart does
 * with it, so every error is mapped to exactly one kind, once, in `src/classify`.
 *
 * - `backend_fault`: the backend answered badly or broke (5xx, 529, 408/409, reset, timeout,
 *   mid-stream error, cut or malformed stream, empty answer). Counts toward the failure streak.
 * - `unreachable`: nobody answered at the address (ECONNREFUSED, EHOSTUNREACH). Streak, lower threshold.
 * - `crash`: the backend said its own process died (a configured signature). Straight to cooldown.
 * - `rate_limited`: throttling (429 rate limit). Cooldown from the provider's hint.
 * - `auth_config`: will not work until someone changes something (401/402/403/404, quota or spend
 *   limit, DNS name not found, TLS). The backend goes `down`.
 * - `request_fault`: this request is wrong (400/413/422, context length, content policy). Never
 *   penalizes the backend.
 * - `aborted`: the caller gave up. Nothing is recorded.
 * - `local`: the call failed inside this process, not at the backend: before the request was
 *   handed to the network (building or serializing the body, an SDK's own check), or by a
 *   programming error (`TypeError`, `RangeError`, `ReferenceError`) no network failure explains.
 *   Nothing is recorded, and the failure is returned to the caller: another backend would only
 *   be handed the same request by the same code.
 *
 * @example
 * ```ts
 * import type { FailureKind } from 'llm-health-router';
 * const penalizes = (kind: FailureKind) => kind !== 'request_fault' && kind !== 'aborted' && kind !== 'local';
 * ```
 */
export type FailureKind =
  | 'backend_fault'
  | 'unreachable'
  | 'crash'
  | 'rate_limited'
  | 'auth_config'
  | 'request_fault'
  | 'aborted'
  | 'local';

/**
 * Every failure kind, in a stable order (tables, metrics, validation messages).
 *
 * @example
 * ```ts
 * import { FAILURE_KINDS } from 'llm-health-router';
 * FAILURE_KINDS.includes('crash'); // true
 * ```
 */
export const FAILURE_KINDS: readonly FailureKind[] = [
  'backend_fault',
  'unreachable',
  'crash',
  'rate_limited',
  'auth_config',
  'request_fault',
  'aborted',
  'local',
];

/**
 * Why a `request_fault` happened. The router treats them differently: a context-length fault may
 * move to an entry with a larger context; a content-policy fault is returned with the provider's reason.
 *
 * @example
 * ```ts
 * import type { RequestFaultKind } from 'llm-health-router';
 * const tryLargerContext = (f: RequestFaultKind) => f === 'context_length';
 * ```
 */
export type RequestFaultKind = 'context_length' | 'content_policy' | 'too_large' | 'invalid_request';

/**
 * The one classification of one failed call: plain JSON, so it can be journaled and replayed.
 *
 * @example
 * ```ts
 * import { classifyError } from 'llm-health-router';
 * try { await client.messages.create(request); }
 * catch (error) {
 *   const failure = classifyError(error);
 *   if (failure.kind === 'crash') console.log('facade died:', failure.message);
 * }
 * ```
 */
export interface ClassifiedFailure {
  readonly kind: FailureKind;
  /**
   * A stable, machine-readable code for the row of the classification table that matched,
   * e.g. `http_500`, `econnrefused`, `crash_signature`, `stream_error`, `truncated_stream`.
   */
  readonly reason: string;
  /** A short human-readable description (at most 300 characters), safe to print and journal. */
  readonly message: string;
  /** The HTTP status, when the server answered with one. */
  readonly status?: number;
  /** The provider's error type (`overloaded_error`, `rate_limit_exceeded` …) when it sent one. */
  readonly errorType?: string;
  /** The provider's error code (`insufficient_quota`, `context_length_exceeded` …) when it sent one. */
  readonly errorCode?: string;
  /**
   * Whether the server answered at all (an HTTP status or an error event in a stream). A failure
   * where nobody answered always applies to the whole endpoint.
   */
  readonly answered: boolean;
  /**
   * Set (true) when the request reached the server over an established connection but nothing
   * came back in time: a deadline (first-token, idle, whole call) cut a call whose request had
   * been written to a connected socket. Such a timeout is the model's slowness, not the address's:
   * with `health.scope: model` it marks only the model. Absent means not known to be connected
   * (refused, reset, DNS, a connect timeout: those stay endpoint-wide).
   */
  readonly connected?: boolean;
  /** The failure names the requested model (e.g. a 404 "model not found"): it marks only that model. */
  readonly modelSpecific: boolean;
  /**
   * Whether one more attempt on the same backend can help. A single 500 may be retried, and so
   * may a connection dropped before any answer (reset, closed socket: most often a stale
   * keep-alive connection, gone on the next attempt). A backend that used its whole timeout
   * without answering, or refused the connection, is not retried on the same route.
   */
  readonly retrySameBackend: boolean;
  /** Set for `request_fault` only. */
  readonly requestFault?: RequestFaultKind;
  /** How long the provider asked us to wait, in ms, clamped to the policy's bounds. */
  readonly cooldownHintMs?: number;
}
