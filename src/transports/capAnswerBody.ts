import type { FetchLike } from '../classify/captureErrorBodies.js';

/**
 * The most bytes of one answer's body (JSON or a stream) read from a backend: 64 MiB. A real
 * answer is far smaller — 128k output tokens streamed as one event each come to some 30 MB of
 * server-sent events — while a backend streaming well-formed content as fast as loopback allows
 * filled 488 MiB in ten seconds and would have exhausted memory long before the attempt timeout.
 *
 * @example
 * ```ts
 * MAX_ANSWER_BYTES; // 67108864
 * ```
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * What reading an answer fails with once its body passes {@link MAX_ANSWER_BYTES}: the backend
 * sent more than any answer can be, a fault of the backend (`oversized_answer`), never a reason to
 * hold more of it.
 *
 * @example
 * ```ts
 * if (error instanceof AnswerTooLargeError) console.log(error.message);
 * ```
 */
export class AnswerTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the backend sent more than ${limit} bytes for one answer; the rest was not read`);
    this.name = 'AnswerTooLargeError';
  }
}

/**
 * Wraps `fetch` so that a successful answer's body fails, and the connection is let go, once it
 * passes `limit` bytes. Error bodies are bounded by `captureErrorBodies`; this bounds the rest.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * const client = new OpenAI({ fetch: capAnswerBody(undefined, 16 * 1024 * 1024) });
 * ```
 */
export function capAnswerBody(inner: FetchLike = (input, init) => globalThis.fetch(input, init), limit = MAX_ANSWER_BYTES): FetchLike {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body || !response.ok) return response;
    let read = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          read += chunk.byteLength;
          if (read > limit) throw new AnswerTooLargeError(limit);
          out.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
