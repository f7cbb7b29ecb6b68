import type { ClassifiedFailure } from './failure.js';
import { makeFailure } from './makeFailure.js';

/**
 * A completeness check for one streamed answer. Feed it every event the SDK yields, then ask
 * it, once the loop ends without throwing, whether the stream was really a whole answer.
 *
 * Why the SDK's own loop is not enough: a body that is not SSE yields zero events and no error,
 * a stream that stops before its terminal event ends the loop normally, and a caller's abort
 * also ends the loop normally (both SDKs swallow the `AbortError` inside the iterator).
 *
 * @example
 * ```ts
 * const check = createChatStreamCheck();
 * for await (const chunk of stream) check.observe(chunk);
 * const failure = check.finish(signal); // undefined for a complete answer
 * ```
 */
export interface StreamCheck {
  /** Records one event (an Anthropic event object or an OpenAI chunk). Never throws. */
  observe(event: unknown): void;
  /**
   * Judges the stream once it ended without an exception. Pass the caller's `AbortSignal`:
   * if it fired, the result is `aborted` rather than a truncated stream.
   */
  finish(signal?: AbortSignal): ClassifiedFailure | undefined;
  /** How many events were observed so far. */
  readonly events: number;
  /**
   * The protocol's terminal event has been seen (a `finish_reason`, `message_stop`): what may
   * still follow is a usage chunk or a sentinel, so a stream that then goes quiet is finished.
   */
  complete(): boolean;
}

/**
 * The failure for a stream that ended because the caller aborted it.
 *
 * @example
 * ```ts
 * abortedStream().kind; // 'aborted'
 * ```
 */
export function abortedStream(): ClassifiedFailure {
  return makeFailure({ kind: 'aborted', reason: 'aborted', message: 'stream aborted by the caller' });
}

/**
 * The failure for a 200 stream request that produced no events at all: the body was not SSE
 * (HTML, a JSON error with a 200, an empty body).
 *
 * @example
 * ```ts
 * emptyStream().reason; // 'empty_stream'
 * ```
 */
export function emptyStream(): ClassifiedFailure {
  return makeFailure({
    kind: 'backend_fault',
    reason: 'empty_stream',
    message: 'stream produced no events (the body was not server-sent events)',
    answered: true,
  });
}

/**
 * The failure for a stream that ended cleanly but without its terminal event. Like a cut
 * stream (often the same thing seen through a proxy that closes the chunked body properly), it
 * may be retried once on the same backend.
 *
 * @example
 * ```ts
 * truncatedStream('no message_stop').reason; // 'truncated_stream'
 * ```
 */
export function truncatedStream(detail: string): ClassifiedFailure {
  return makeFailure({
    kind: 'backend_fault',
    reason: 'truncated_stream',
    message: `stream ended early: ${detail}`,
    answered: true,
    retrySameBackend: true,
  });
}

/**
 * What a protocol-specific check supplies; {@link streamCheck} adds what every stream shares.
 *
 * @example
 * ```ts
 * const parts: StreamCheckParts = { observe: () => {}, events: () => 0, errorEvent: () => undefined, judge: () => undefined };
 * ```
 */
export interface StreamCheckParts {
  /** Reads one event; may throw on a malformed one (the wrapper swallows it). */
  observe(event: unknown): void;
  events(): number;
  /** An error event seen inside the stream, if any. */
  errorEvent(): ClassifiedFailure | undefined;
  /** The protocol's own verdict on a stream that had events, no error event and no abort. */
  judge(): ClassifiedFailure | undefined;
  /** Whether the terminal event has been seen (see {@link StreamCheck.complete}). */
  complete(): boolean;
}

/**
 * Builds a {@link StreamCheck}: observing never throws into the caller's stream loop, and
 * `finish` reports, before the protocol's own verdict, a caller abort, an error event, and a
 * stream with no events at all.
 *
 * @example
 * ```ts
 * let n = 0;
 * const check = streamCheck({ observe: () => void (n += 1), events: () => n, errorEvent: () => undefined, judge: () => undefined, complete: () => false });
 * check.finish(); // empty_stream: nothing was observed
 * ```
 */
export function streamCheck(parts: StreamCheckParts): StreamCheck {
  return {
    observe: (event) => {
      try {
        parts.observe(event);
      } catch {
        // Observing must never break the caller's stream loop.
      }
    },
    finish: (signal) => {
      if (signal?.aborted) return abortedStream();
      const error = parts.errorEvent();
      if (error) return error;
      if (parts.events() === 0) return emptyStream();
      return parts.judge();
    },
    get events() {
      return parts.events();
    },
    complete: () => parts.errorEvent() === undefined && parts.complete(),
  };
}
