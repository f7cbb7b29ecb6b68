import { contentPolicy, emptyBody, emptyContent, errorStop, malformedResult, nonJsonBody } from './checkResult.js';
import type { ClassifiedFailure } from './failure.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
import { isRecord } from '../util/isRecord.js';

/**
 * Checks what `anthropic.messages.create()` resolved to, and returns the failure hiding in a
 * "successful" call, or `undefined` for a real answer.
 *
 * - a string (the SDK's result for a non-JSON 200, e.g. HTML) → `backend_fault` `non_json_body`
 *   (or `crash` if the text has a crash signature);
 * - `undefined`/`null` (empty JSON body) → `empty_body`; not a `message` object → `malformed_body`;
 * - `stop_reason: "error"` → `backend_fault` `stop_reason_error` (its text is searched for a
 *   crash signature);
 * - `stop_reason: "refusal"` → `request_fault` `content_policy`;
 * - no content block with text, a tool call or any other non-text block → `empty_content`
 *   (or `request_fault` `output_limit` when it stopped at `max_tokens`).
 *
 * @example
 * ```ts
 * const message = await anthropic.messages.create(request);
 * const failure = checkAnthropicMessage(message);
 * if (failure) router.recordFailure(failure);
 * ```
 */
export function checkAnthropicMessage(
  value: unknown,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): ClassifiedFailure | undefined {
  if (typeof value === 'string') return nonJsonBody(value, options);
  if (value === undefined || value === null) return emptyBody();
  if (!isRecord(value) || !Array.isArray(value['content'])) return malformedResult('is not a Messages API message');
  const content = value['content'] as unknown[];
  const stopReason = typeof value['stop_reason'] === 'string' ? value['stop_reason'] : undefined;
  if (stopReason === 'error') return errorStop('stop_reason_error', `stop_reason: error ${textOf(content)}`.trim(), options);
  if (stopReason === 'refusal') return contentPolicy('refusal', `stop_reason: refusal ${textOf(content)}`.trim());
  if (!content.some(isMeaningfulBlock)) return emptyContent(stopReason);
  return undefined;
}

/**
 * Whether one Anthropic content block carries something: non-blank text, or any non-text block
 * (`tool_use`, `thinking`, `server_tool_use` …).
 *
 * @example
 * ```ts
 * isMeaningfulBlock({ type: 'text', text: '  ' }); // false
 * isMeaningfulBlock({ type: 'tool_use', id: 't', name: 'f', input: {} }); // true
 * ```
 */
export function isMeaningfulBlock(block: unknown): boolean {
  if (!isRecord(block)) return false;
  if (block['type'] !== 'text') return typeof block['type'] === 'string';
  return typeof block['text'] === 'string' && block['text'].trim().length > 0;
}

function textOf(content: unknown[]): string {
  return content
    .map((block) => (isRecord(block) && typeof block['text'] === 'string' ? block['text'] : ''))
    .join(' ')
    .trim();
}

