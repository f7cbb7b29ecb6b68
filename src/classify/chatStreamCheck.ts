import { contentPolicy, emptyContent, errorStop } from './checkResult.js';
import type { ClassifiedFailure } from './failure.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
import { streamCheck, truncatedStream, type StreamCheck } from './streamCheck.js';
import { classifyStreamErrorPayload } from './streamError.js';
import { isRecord } from '../util/isRecord.js';

/**
 * A {@link StreamCheck} for an OpenAI Chat Completions stream
 * (`chat.completions.create({ stream: true })`).
 *
 * The SDK hides `data: [DONE]`, so completeness is judged by the chunk that carries a
 * `finish_reason`. `finish()` reports, in order: an `{"error": …}` chunk seen in the events (raw
 * SSE callers); no chunks → `empty_stream`; `finish_reason: "content_filter"` or a refusal →
 * `request_fault`; `finish_reason: "error"` → `finish_reason_error`; no `finish_reason` →
 * `truncated_stream`; no content and no tool call → `empty_content`.
 *
 * @example
 * ```ts
 * const check = createChatStreamCheck();
 * const stream = await openai.chat.completions.create({ ...request, stream: true });
 * for await (const chunk of stream) check.observe(chunk);
 * const failure = check.finish(); // undefined for a complete answer
 * ```
 */
export function createChatStreamCheck(options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS): StreamCheck {
  let events = 0;
  let finishReason: string | undefined;
  let hasContent = false;
  let refusal = '';
  let text = '';
  let errorEvent: ClassifiedFailure | undefined;

  const observe = (chunk: unknown): void => {
    events += 1;
    if (!isRecord(chunk)) return;
    if (chunk['error'] !== undefined && chunk['error'] !== null) {
      errorEvent ??= classifyStreamErrorPayload(chunk, options);
      return;
    }
    const choices = chunk['choices'];
    if (!Array.isArray(choices)) return;
    for (const choice of choices) {
      if (!isRecord(choice)) continue;
      if (typeof choice['finish_reason'] === 'string') finishReason = choice['finish_reason'];
      const delta = choice['delta'];
      if (!isRecord(delta)) continue;
      if (typeof delta['content'] === 'string') {
        if (text.length < 2_000) text += delta['content'];
        if (delta['content'].trim()) hasContent = true;
      }
      if (typeof delta['refusal'] === 'string') refusal += delta['refusal'];
      if ((Array.isArray(delta['tool_calls']) && delta['tool_calls'].length > 0) || isRecord(delta['function_call'])) {
        hasContent = true;
      }
    }
  };

  const judge = (): ClassifiedFailure | undefined => {
    if (finishReason === 'content_filter') return contentPolicy('content_filter', 'finish_reason: content_filter');
    if (refusal.trim()) return contentPolicy('refusal', `refusal: ${refusal}`);
    if (finishReason === 'error') return errorStop('finish_reason_error', `finish_reason: error ${text}`.trim(), options);
    if (finishReason === undefined) return truncatedStream(`no finish_reason after ${events} chunks`);
    if (!hasContent) return emptyContent(finishReason);
    return undefined;
  };

  return streamCheck({ observe, events: () => events, errorEvent: () => errorEvent, judge, complete: () => finishReason !== undefined });
}

