import type { NeutralResponse } from '../../transports/neutral.js';
import { chatToolCalls, chatUsage } from './openAiChatCompletion.js';
import { sseData, unsentText } from './sse.js';
import { toOpenAiFinishReason } from './wireStopReason.js';

/**
 * The SSE text of one streamed Chat Completions answer, chunk by chunk; every string it returns
 * is ready to write to the socket (served as `text/event-stream`) and ends with a blank line.
 *
 * `text` and `finish` write the opening chunk themselves when `start` was not called. Any call
 * after `finish` or `error` throws: the stream is over, and writing more is a bug in the caller.
 *
 * @example
 * ```ts
 * const stream = createOpenAiChatStream({ id: 'chatcmpl-1', created: 1_700_000_000, model: 'gpt-4o', includeUsage: true });
 * res.write(stream.start());
 * res.write(stream.text('Hel'));
 * res.end(stream.finish(response));
 * ```
 */
export interface OpenAiChatStream {
  /** The first chunk: `delta: { role: 'assistant', content: '' }`. */
  start(): string;
  /** A content chunk; `''` for an empty delta. */
  text(delta: string): string;
  /**
   * The end of a good answer: any text of `response` not yet streamed, each tool call as one
   * chunk (whole arguments in one delta), the chunk with the finish reason, the usage chunk
   * (`choices: []`) when the client asked for `include_usage`, then `data: [DONE]`.
   */
  finish(response: NeutralResponse): string;
  /**
   * A failure after the 200 went out. Chat Completions has no error event, so this is a
   * `data: {"error":{message,type,param,code}}` chunk and no `[DONE]`: the `openai` SDK throws
   * an `APIError` (status undefined) with the message when it reads it, and other clients see a
   * stream that ends with an error object instead of a finish reason. `type` defaults to
   * `server_error`.
   */
  error(failure: { message: string; type?: string; code?: string }): string;
}

/**
 * A new {@link OpenAiChatStream}. `id`, `created` (Unix seconds) and `model` go on every chunk,
 * as OpenAI repeats them; with `includeUsage` every chunk also carries `usage: null` until the
 * usage chunk, as OpenAI does when asked.
 *
 * @example
 * ```ts
 * const stream = createOpenAiChatStream({ id: 'chatcmpl-1', created: Math.floor(Date.now() / 1000), model: 'gpt-4o', includeUsage: parsed.includeUsage });
 * stream.text('Hi'); // 'data: {"id":"chatcmpl-1",…,"delta":{"role":"assistant","content":""}…}\n\ndata: {…"delta":{"content":"Hi"}…}\n\n'
 * ```
 */
export function createOpenAiChatStream(opts: { id: string; created: number; model: string; includeUsage: boolean }): OpenAiChatStream {
  let state: 'new' | 'open' | 'ended' = 'new';
  let sent = '';

  const chunk = (delta: object, finishReason: string | null = null): string =>
    sseData({
      id: opts.id,
      object: 'chat.completion.chunk',
      created: opts.created,
      model: opts.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(opts.includeUsage ? { usage: null } : {}),
    });

  const live = (method: string): void => {
    if (state === 'ended') throw new Error(`OpenAiChatStream.${method}() after the stream ended (finish or error was called)`);
  };

  const opening = (): string => (state === 'new' ? stream.start() : '');

  const stream: OpenAiChatStream = {
    start() {
      live('start');
      if (state === 'open') throw new Error('OpenAiChatStream.start() called twice');
      state = 'open';
      return chunk({ role: 'assistant', content: '' });
    },
    text(delta) {
      live('text');
      const head = opening();
      if (!delta) return head;
      sent += delta;
      return head + chunk({ content: delta });
    },
    finish(response) {
      live('finish');
      const head = opening();
      const rest = unsentText(response.text, sent);
      const parts = [
        head,
        rest ? chunk({ content: rest }) : '',
        ...chatToolCalls(response).map((call, index) => chunk({ tool_calls: [{ index, ...call }] })),
        chunk({}, toOpenAiFinishReason(response.stopReason)),
        opts.includeUsage
          ? sseData({ id: opts.id, object: 'chat.completion.chunk', created: opts.created, model: opts.model, choices: [], usage: chatUsage(response) })
          : '',
        sseData('[DONE]'),
      ];
      state = 'ended';
      return parts.join('');
    },
    error(failure) {
      live('error');
      state = 'ended';
      return sseData({ error: { message: failure.message, type: failure.type ?? 'server_error', param: null, code: failure.code ?? null } });
    },
  };
  return stream;
}
