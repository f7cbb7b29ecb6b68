/**
 * The SSE filter in front of both SDKs: events cut anywhere between chunks come out whole, a
 * malformed one is dropped, and an event that never ends is refused at MAX_EVENT_CHARS instead
 * of being held (and searched again on every chunk) for as long as the backend sends.
 */
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/classify/captureErrorBodies.js';
import { classifyError } from '../../src/classify/classifyError.js';
import { EventTooLargeError, MAX_EVENT_CHARS, skipMalformedEvents } from '../../src/transports/skipMalformedEvents.js';

/** A fetch answering with a server-sent-events body made of exactly these chunks. */
function serving(chunks: readonly string[]): FetchLike {
  return async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}

async function filtered(chunks: readonly string[]): Promise<string> {
  const response = await skipMalformedEvents(serving(chunks))('http://127.0.0.1/v1/chat/completions');
  return response.text();
}

describe('skipMalformedEvents', () => {
  const events = ['data: {"a":1}\n\n', 'data: not json\n\n', 'event: x\r\ndata: {"b":[2]}\r\n\r\n', 'data: [DONE]\n\n'];
  const whole = events.join('');
  const kept = [events[0], events[2], events[3]].join('');

  it('keeps the well-formed events and drops the malformed one, wherever the body is cut into two chunks (every position)', async () => {
    expect(await filtered([whole])).toBe(kept);
    for (let cut = 1; cut < whole.length; cut++) expect(await filtered([whole.slice(0, cut), whole.slice(cut)]), `cut at ${cut}`).toBe(kept);
  });

  it('the same with one character per chunk (a blank line spread over four chunks)', async () => {
    expect(await filtered([...whole])).toBe(kept);
  });

  it(`refuses an event that passes ${MAX_EVENT_CHARS} characters without ending: the body fails with EventTooLargeError, classified malformed_stream`, async () => {
    const piece = 'a'.repeat(1024 * 1024);
    const chunks = ['data: {"x":"', ...Array.from({ length: MAX_EVENT_CHARS / piece.length + 1 }, () => piece)];
    const error = await filtered(chunks).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(classifyError(error)).toMatchObject({ kind: 'backend_fault', reason: 'malformed_stream', answered: true });
  });

  it('an event just under the limit passes whole', async () => {
    const data = `data: {"x":"${'a'.repeat(MAX_EVENT_CHARS - 100)}"}\n\n`;
    expect((await filtered([data.slice(0, 1000), data.slice(1000)])).length).toBe(data.length);
  });
});
