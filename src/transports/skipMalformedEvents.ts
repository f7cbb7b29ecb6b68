import type { FetchLike } from '../classify/captureErrorBodies.js';

/**
 * Wraps `fetch` so that, in a server-sent-events body, an event whose `data` is neither JSON nor
 * `[DONE]` is dropped before the SDK parses it. Both SDKs throw on such an event and lose the
 * rest of the answer; one garbled chunk from a proxy must cost that chunk, not the whole reply.
 * Other bodies pass untouched.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * import { skipMalformedEvents } from 'llm-health-router';
 * const client = new OpenAI({ fetch: skipMalformedEvents() });
 * ```
 */
export function skipMalformedEvents(inner: FetchLike = (input, init) => globalThis.fetch(input, init)): FetchLike {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) return response;
    const filtered = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(wellFormedEvents()).pipeThrough(new TextEncoderStream());
    return new Response(filtered, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * The longest server-sent event kept waiting for its end, in characters: 8 Mi, thousands of times
 * a real event (a token or a tool-call fragment; a server that sends a whole answer in one event
 * sends a few hundred KB). A body that never ends its event — `data: {"x":"` then bytes forever —
 * was held whole (and searched again on every chunk): 477 MiB in one 5-second first-token wait.
 *
 * @example
 * ```ts
 * MAX_EVENT_CHARS; // 8388608
 * ```
 */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * What a stream fails with when one of its events passes {@link MAX_EVENT_CHARS} without ending:
 * the backend's malformed answer.
 *
 * @example
 * ```ts
 * if (error instanceof EventTooLargeError) console.log(error.message);
 * ```
 */
export class EventTooLargeError extends Error {
  constructor(readonly chars: number) {
    super(`the stream sent an event of more than ${chars} characters without ending it (a blank line); the answer is malformed`);
    this.name = 'EventTooLargeError';
  }
}

/**
 * Splits the text into events (a blank line ends one) and keeps those whose data parses. The
 * text of an unfinished event is kept in pieces and only the new piece is searched for its end
 * (with the three characters before it, where a blank line may begin), so an event costs its
 * length once, however many chunks it came in.
 */
function wellFormedEvents(): TransformStream<string, string> {
  let pieces: string[] = [];
  let size = 0;
  // The last characters of the pieces: a blank line split between chunks starts there.
  let carry = '';
  return new TransformStream({
    transform(text, out) {
      let rest = text;
      for (;;) {
        const match = /\r?\n\r?\n/.exec(carry + rest);
        if (!match) break;
        // The carry alone holds no blank line (it would have been found before), so the match ends in `rest`.
        const end = match.index + match[0].length - carry.length;
        const event = pieces.join('') + rest.slice(0, end);
        pieces = [];
        size = 0;
        carry = '';
        rest = rest.slice(end);
        if (wellFormed(event)) out.enqueue(event);
      }
      if (rest === '') return;
      pieces.push(rest);
      size += rest.length;
      carry = (carry + rest).slice(-3);
      if (size > MAX_EVENT_CHARS) throw new EventTooLargeError(MAX_EVENT_CHARS);
    },
    flush(out) {
      const last = pieces.join('');
      if (last !== '' && wellFormed(last)) out.enqueue(last);
    },
  });
}

function wellFormed(event: string): boolean {
  const data = event
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''))
    .join('\n');
  if (data === '' || data === '[DONE]') return true;
  try {
    JSON.parse(data);
    return true;
  } catch {
    return false;
  }
}
