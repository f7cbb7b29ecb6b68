import { contentPolicy, emptyBody, emptyContent, errorStop, malformedResult, nonJsonBody } from './checkResult.js';
import type { ClassifiedFailure } from './failure.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
import { isRecord } from '../util/isRecord.js';

/**
 * Checks what `openai.chat.completions.create()` resolved to, and returns the failure hiding in
 * a "successful" call, or `undefined` for a real answer.
 *
 * - a string (non-JSON 200) → `backend_fault` `non_json_body` (or `crash` with a signature);
 * - `undefined`/`null` → `empty_body`; no `choices` array or an empty one → `malformed_body` / `no_choices`;
 * - `finish_reason: "content_filter"` or a non-empty `message.refusal` → `request_fault` `content_policy`;
 * - `finish_reason: "error"` → `backend_fault` `finish_reason_error`;
 * - empty content and no tool/function call → `empty_content` (or `request_fault`
 *   `output_limit` when it stopped at `length`).
 *
 * Only the first choice is judged: the router asks for one (`n` defaults to 1).
 *
 * @example
 * ```ts
 * const completion = await openai.chat.completions.create(request);
 * const failure = checkChatCompletion(completion);
 * if (failure) router.recordFailure(failure);
 * ```
 */
export function checkChatCompletion(
  value: unknown,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): ClassifiedFailure | undefined {
  if (typeof value === 'string') return nonJsonBody(value, options);
  if (value === undefined || value === null) return emptyBody();
  if (!isRecord(value) || !Array.isArray(value['choices'])) return malformedResult('is not a chat completion');
  const choice = (value['choices'] as unknown[])[0];
  if (!isRecord(choice)) return malformedResult('has no choices', 'no_choices');
  const finishReason = typeof choice['finish_reason'] === 'string' ? choice['finish_reason'] : undefined;
  const message = isRecord(choice['message']) ? choice['message'] : {};
  const text = typeof message['content'] === 'string' ? message['content'] : '';
  if (finishReason === 'content_filter') return contentPolicy('content_filter', 'finish_reason: content_filter');
  if (typeof message['refusal'] === 'string' && message['refusal'].trim()) {
    return contentPolicy('refusal', `refusal: ${message['refusal']}`);
  }
  if (finishReason === 'error') return errorStop('finish_reason_error', `finish_reason: error ${text}`.trim(), options);
  const hasToolCall =
    (Array.isArray(message['tool_calls']) && message['tool_calls'].length > 0) || isRecord(message['function_call']);
  if (!text.trim() && !hasToolCall) return emptyContent(finishReason);
  return undefined;
}

