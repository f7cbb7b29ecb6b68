import type { ClassifyOptions } from '../classify/options.js';
import type { HealthPolicy } from './healthPolicy.js';

/**
 * The classifier settings a policy implies: its crash signatures, and its rate-limit bounds for
 * clamping cooldown hints, so the classifier and the statechart agree on both.
 *
 * @example
 * ```ts
 * import { classifierOptionsFrom, classifyError, resolveHealthPolicy } from 'llm-health-router';
 * const policy = resolveHealthPolicy({ crashSignatures: ['process exited with code', 'No response from Claude Code'] });
 * classifyError(new Error('500 No response from Claude Code'), classifierOptionsFrom(policy)).kind; // 'crash'
 * ```
 */
export function classifierOptionsFrom(policy: HealthPolicy, now?: () => number): ClassifyOptions {
  return {
    crashSignatures: policy.crashSignatures,
    hintBounds: { minMs: policy.rateLimit.minMs, maxMs: policy.rateLimit.maxMs },
    ...(now ? { now } : {}),
  };
}
