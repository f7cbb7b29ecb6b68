import type { NeutralResponse } from '../../transports/neutral.js';
import { sseEvent, unsentText } from './sse.js';
import { toAnthropicStopReason } from './wireStopReason.js';

/**
 * The SSE text of one streamed Messages API answer, event by event; every string it returns is
 * ready to write to the socket (served as `text/event-stream`) and ends with a blank line.
 *
 * `message_start` reports `input_tokens: 0` because the gateway usually starts streaming before
 * the backend has said how long the prompt was; the real input and output tokens come in the
 * `message_delta` that `finish` writes (the Anthropic SDK takes `input_tokens` from it).
 *
 * `ping`, `text` and `finish` write `message_start` themselves when `start` was not called. Any
 * call after `finish` or `error` throws: the stream is over, and writing more is a bug in the
 * caller.
 *
 * @example
 * ```ts
 * const stream = createAnthropicStream({ id: 'msg_1', model: 'claude-sonnet-4-5' });
 * res.write(stream.start());
 * res.write(stream.text('Hel'));
 * res.end(stream.finish(response));
 * ```
 */
export interface AnthropicStream {
  /** `message_start` with an empty assistant message and zero usage. */
  start(): string;
  /** A keep-alive `ping` event (clients ignore it), for a backend that is slow to answer. */
  ping(): string;
  /** A `text_delta`; the first opens the text block at index 0. `''` for an empty delta. */
  text(delta: string): string;
  /**
   * The end of a good answer: any text of `response` not yet streamed, the text block closed,
   * each tool call as `content_block_start` (input `{}`), one `input_json_delta` with the whole
   * input, `content_block_stop`; then `message_delta` (stop reason, usage) and `message_stop`.
   */
  finish(response: NeutralResponse): string;
  /**
   * A failure after the 200 went out: `event: error` with `{"type":"error","error":{type,
   * message}}`, which the Anthropic SDK throws as an `APIError` of that type. A provider's error
   * `code` goes in `error.details.error_code`, where the SDK reads its `errorCode`. Nothing may follow.
   */
  error(failure: { type: string; message: string; code?: string }): string;
}

/**
 * A new {@link AnthropicStream} for a message with the lead's `id` (`msg_…`) and `model` (the
 * model of the backend that serves).
 *
 * @example
 * ```ts
 * const stream = createAnthropicStream({ id: 'msg_1', model: 'claude-sonnet-4-5' });
 * stream.error({ type: 'overloaded_error', message: 'no healthy backend' });
 * // 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"no healthy backend"}}\n\n'
 * ```
 */
export function createAnthropicStream(opts: { id: string; model: string }): AnthropicStream {
  let state: 'new' | 'open' | 'ended' = 'new';
  let sent = '';
  let textOpen = false;
  // The index the next content block gets; blocks are numbered in the order they open.
  let nextIndex = 0;

  const live = (method: string): void => {
    if (state === 'ended') throw new Error(`AnthropicStream.${method}() after the stream ended (finish or error was called)`);
  };

  const opening = (): string => (state === 'new' ? stream.start() : '');

  const textDelta = (text: string): string => {
    let out = '';
    if (!textOpen) {
      textOpen = true;
      out += sseEvent('content_block_start', { type: 'content_block_start', index: nextIndex, content_block: { type: 'text', text: '' } });
    }
    sent += text;
    return out + sseEvent('content_block_delta', { type: 'content_block_delta', index: nextIndex, delta: { type: 'text_delta', text } });
  };

  const stream: AnthropicStream = {
    start() {
      live('start');
      if (state === 'open') throw new Error('AnthropicStream.start() called twice');
      state = 'open';
      return sseEvent('message_start', {
        type: 'message_start',
        message: {
          id: opts.id,
          type: 'message',
          role: 'assistant',
          model: opts.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      });
    },
    ping() {
      live('ping');
      return opening() + sseEvent('ping', { type: 'ping' });
    },
    text(delta) {
      live('text');
      const head = opening();
      return delta ? head + textDelta(delta) : head;
    },
    finish(response) {
      live('finish');
      let out = opening();
      const rest = unsentText(response.text, sent);
      if (rest) out += textDelta(rest);
      if (textOpen) {
        out += sseEvent('content_block_stop', { type: 'content_block_stop', index: nextIndex });
        nextIndex += 1;
        textOpen = false;
      }
      for (const call of response.toolCalls) {
        const index = nextIndex++;
        out +=
          sseEvent('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }) +
          sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.input ?? {}) } }) +
          sseEvent('content_block_stop', { type: 'content_block_stop', index });
      }
      out +=
        sseEvent('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: toAnthropicStopReason(response.stopReason), stop_sequence: null },
          usage: { input_tokens: response.usage.inputTokens, output_tokens: response.usage.outputTokens },
        }) + sseEvent('message_stop', { type: 'message_stop' });
      state = 'ended';
      return out;
    },
    error(failure) {
      live('error');
      state = 'ended';
      return sseEvent('error', { type: 'error', error: { type: failure.type, message: failure.message, ...(failure.code !== undefined ? { details: { error_code: failure.code } } : {}) } });
    },
  };
  return stream;
}
