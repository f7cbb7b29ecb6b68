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

/** Splits the text into events (a blank line ends one) and keeps those whose data parses. */
function wellFormedEvents(): TransformStream<string, string> {
  let buffer = '';
  return new TransformStream({
    transform(text, out) {
      buffer += text;
      for (let end = boundary(buffer); end !== undefined; end = boundary(buffer)) {
        const event = buffer.slice(0, end.index + end.length);
        buffer = buffer.slice(end.index + end.length);
        if (wellFormed(event)) out.enqueue(event);
      }
    },
    flush(out) {
      if (buffer !== '' && wellFormed(buffer)) out.enqueue(buffer);
    },
  });
}

function boundary(text: string): { index: number; length: number } | undefined {
  const match = /\r?\n\r?\n/.exec(text);
  return match ? { index: match.index, length: match[0].length } : undefined;
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
