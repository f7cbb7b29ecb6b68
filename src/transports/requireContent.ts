import { emptyContent } from '../classify/checkResult.js';
import { failedOutcome } from './failedOutcome.js';
import type { CallOutcome } from './transport.js';

/**
 * The last check before an answer is returned as `ok`: it must carry text or a tool call. The
 * result checks already reject answers with no content, but count any non-text block as
 * content (a `thinking` block, a server tool's result), which the neutral response leaves out:
 * such an answer would reach the agent empty. It is `empty_content` (or `request_fault`
 * `output_limit` when the model stopped at its token limit, as the checks judge it).
 *
 * @example
 * ```ts
 * requireContent({ ok: true, response: { ...response, text: '', toolCalls: [] } }); // { ok: false, failure: { reason: 'empty_content' … } }
 * ```
 */
export function requireContent(outcome: CallOutcome): CallOutcome {
  if (!outcome.ok) return outcome;
  const { text, toolCalls, stopReason } = outcome.response;
  if (text.trim() || toolCalls.length > 0) return outcome;
  return failedOutcome(emptyContent(stopReason));
}
