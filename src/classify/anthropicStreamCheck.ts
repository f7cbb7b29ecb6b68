import { contentPolicy, emptyContent, errorStop } from './checkResult.js';
import type { ClassifiedFailure } from './failure.js';
import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
import { streamCheck, truncatedStream, type StreamCheck } from './streamCheck.js';
import { classifyStreamErrorPayload } from './streamError.js';
import { isRecord } from '../util/isRecord.js';

/**
 * A {@link StreamCheck} for an Anthropic Messages stream (`messages.create({ stream: true })`).
 *
 * `finish()` reports, in order: an `error` event seen in the events (for callers that parse raw
 * SSE, where the SDK did not throw it); no events at all → `empty_stream`; `stop_reason: "error"`
 * (even when `message_stop` follows, as one LiteLLM facade does) → `stop_reason_error`;
 * `stop_reason: "refusal"` → `request_fault`; no `message_stop` → `truncated_stream`; no
 * content → `empty_content`.
 *
 * @example
 * ```ts
 * const check = createAnthropicStreamCheck();
 * const stream = await anthropic.messages.create({ ...request, stream: true });
 * for await (const event of stream) check.observe(event);
 * const failure = check.finish(); // e.g. { kind: 'backend_fault', reason: 'truncated_stream', … }
 * ```
 */
export function createAnthropicStreamCheck(options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS): StreamCheck {
  let events = 0;
  let stopped = false;
  let stopReason: string | undefined;
  let hasContent = false;
  let text = '';
  let errorEvent: ClassifiedFailure | undefined;

  const observe = (event: unknown): void => {
    events += 1;
    if (!isRecord(event)) return;
    switch (event['type']) {
      case 'message_start': {
        const message = event['message'];
        if (isRecord(message) && Array.isArray(message['content']) && message['content'].length > 0) hasContent = true;
        break;
      }
      case 'content_block_start': {
        const block = event['content_block'];
        // Any non-text block (tool_use, thinking …) is content on its own; text waits for its deltas.
        if (isRecord(block) && block['type'] !== 'text') hasContent = true;
        if (isRecord(block) && typeof block['text'] === 'string' && block['text'].trim()) hasContent = true;
        break;
      }
      case 'content_block_delta': {
        const delta = event['delta'];
        if (!isRecord(delta)) break;
        if (typeof delta['text'] === 'string') {
          if (text.length < 2_000) text += delta['text'];
          if (delta['text'].trim()) hasContent = true;
        } else if (delta['type'] !== undefined) {
          hasContent = true;
        }
        break;
      }
      case 'message_delta': {
        const delta = event['delta'];
        if (isRecord(delta) && typeof delta['stop_reason'] === 'string') stopReason = delta['stop_reason'];
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        errorEvent ??= classifyStreamErrorPayload(event, options);
        break;
    }
  };

  const judge = (): ClassifiedFailure | undefined => {
    if (stopReason === 'error') return errorStop('stop_reason_error', `stop_reason: error ${text}`.trim(), options);
    if (stopReason === 'refusal') return contentPolicy('refusal', 'stop_reason: refusal');
    if (!stopped) return truncatedStream(`no message_stop after ${events} events`);
    if (!hasContent) return emptyContent(stopReason);
    return undefined;
  };

  return streamCheck({ observe, events: () => events, errorEvent: () => errorEvent, judge, complete: () => stopped });
}

