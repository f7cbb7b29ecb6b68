/**
 * What the classifier needs to know from the health policy. `classifierOptionsFrom(policy)` in
 * `src/policy` builds it; tests and embedders may build it by hand.
 *
 * @example
 * ```ts
 * import { classifyError, type ClassifyOptions } from 'llm-health-router';
 * const options: ClassifyOptions = {
 *   crashSignatures: ['process exited with code', 'No response from Claude Code'],
 *   hintBounds: { minMs: 1_000, maxMs: 3_600_000 },
 * };
 * classifyError(new Error('Claude Code process exited with code 1'), options).kind; // 'crash'
 * ```
 */
export interface ClassifyOptions {
  /** Case-insensitive substrings that mean "the backend's own process died". */
  readonly crashSignatures: readonly string[];
  /** Cooldown hints from headers are clamped into this range (ms). */
  readonly hintBounds: { readonly minMs: number; readonly maxMs: number };
  /** The clock used to turn an HTTP-date or RFC 3339 reset time into a duration. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The classifier's defaults, equal to the default health policy's.
 *
 * @example
 * ```ts
 * import { DEFAULT_CLASSIFY_OPTIONS } from 'llm-health-router';
 * DEFAULT_CLASSIFY_OPTIONS.crashSignatures; // ['process exited with code']
 * ```
 */
export const DEFAULT_CLASSIFY_OPTIONS: ClassifyOptions = {
  crashSignatures: ['process exited with code'],
  hintBounds: { minMs: 1_000, maxMs: 3_600_000 },
};
