/**
 * openai@6 keeps only `body.error` of an error response, so a FastAPI `{"detail": …}` body
 * (claude-code-proxy) or vLLM's flat `{"object":"error","message": …}` body never reaches the
 * error. These tests show what the SDK returns without help, and that `captureErrorBodies`
 * (passed as the client's `fetch`) gives the classifier the text back.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ERROR_BODY_BYTES } from '../../src/classify/captureErrorBodies.js';
import { captureErrorBodies, capturedErrorBody, classifyError, type FetchLike } from '../../src/classify/index.js';
import { callWithSdk, faults, useFakeBackend } from '../support/fakeBackend.js';

const backend = useFakeBackend();
const fake = backend.fake;

function thrown(outcome: Awaited<ReturnType<typeof callWithSdk>>): unknown {
  expect(outcome.ok).toBe(false);
  return outcome.ok ? undefined : outcome.error;
}

describe('the FastAPI crash body through openai@6', () => {
  it('WITHOUT captureErrorBodies: the SDK says "(no body)" and the crash is invisible', async () => {
    fake.enqueue(faults.crash());
    const error = thrown(await callWithSdk('openai', backend.url));
    expect((error as Error).message).toBe('500 status code (no body)');
    expect((error as { error?: unknown }).error).toBeUndefined();
    const failure = classifyError(error);
    // Honest result: an ordinary 500, retried on the same (dead) backend.
    expect(failure).toMatchObject({ kind: 'backend_fault', reason: 'http_500', status: 500, retrySameBackend: true, answered: true });
    expect(failure.message).toBe('HTTP 500: (no body)');
    expect(fake.count('/v1/chat/completions')).toBe(1);
  });

  it('WITH captureErrorBodies: crash, straight to cooldown', async () => {
    fake.enqueue(faults.crash());
    const error = thrown(await callWithSdk('openai', backend.url, { fetch: captureErrorBodies() }));
    // The SDK's own view is unchanged…
    expect((error as Error).message).toBe('500 status code (no body)');
    // …but the body is remembered for it.
    expect(capturedErrorBody(error)).toBe('{"detail":"Claude Code process exited with code 1"}');
    expect(classifyError(error)).toMatchObject({
      kind: 'crash',
      reason: 'crash_signature',
      status: 500,
      answered: true,
      retrySameBackend: false,
      message: 'HTTP 500: Claude Code process exited with code 1',
    });
    expect(fake.count('/v1/chat/completions')).toBe(1);
  });

  it('the Anthropic SDK keeps the whole body, with or without the wrapper', async () => {
    fake.enqueue(faults.crash(), faults.crash());
    const bare = thrown(await callWithSdk('anthropic', backend.url));
    const wrapped = thrown(await callWithSdk('anthropic', backend.url, { fetch: captureErrorBodies() }));
    for (const error of [bare, wrapped]) {
      expect((error as { error?: unknown }).error).toEqual({ detail: 'Claude Code process exited with code 1' });
      expect(classifyError(error).kind).toBe('crash');
    }
    expect(fake.count('/v1/messages')).toBe(2);
  });
});

describe("vLLM's flat error body through openai@6", () => {
  const vllmContextLength = {
    type: 'raw',
    status: 400,
    body: JSON.stringify({
      object: 'error',
      message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    }),
  } as const;

  it('without the wrapper: a generic invalid request', async () => {
    fake.enqueue(vllmContextLength);
    const failure = classifyError(thrown(await callWithSdk('openai', backend.url)));
    expect(failure).toMatchObject({ kind: 'request_fault', reason: 'http_400', requestFault: 'invalid_request' });
  });

  it('with the wrapper: context length, with the provider message', async () => {
    fake.enqueue(vllmContextLength);
    const failure = classifyError(thrown(await callWithSdk('openai', backend.url, { fetch: captureErrorBodies() })));
    expect(failure).toMatchObject({
      kind: 'request_fault',
      reason: 'context_length',
      requestFault: 'context_length',
      errorType: 'BadRequestError',
    });
    expect(failure.message).toContain('maximum context length is 4096');
  });
});

describe('how the wrapper finds the body again', () => {
  it('both SDKs put the very Headers object of the Response they got on error.headers', async () => {
    // The wrapper hands the SDK a response of its own (the error body cut at MAX_ERROR_BODY_BYTES): record that one.
    const seen: Headers[] = [];
    const recording = (inner: FetchLike): FetchLike => async (input, init) => {
      const response = await inner(input, init);
      seen.push(response.headers);
      return response;
    };
    fake.enqueue(faults.overloaded(), faults.overloaded());
    const anthropicError = thrown(await callWithSdk('anthropic', backend.url, { fetch: recording(captureErrorBodies()) }));
    const openaiError = thrown(await callWithSdk('openai', backend.url, { fetch: recording(captureErrorBodies()) }));
    expect((anthropicError as { headers?: unknown }).headers).toBe(seen[0]);
    expect((openaiError as { headers?: unknown }).headers).toBe(seen[1]);
    expect(capturedErrorBody(seen[1])).toContain('currently overloaded');
  });

  it('keeps only the first maxBytes of a large body (default 4 KiB)', async () => {
    const huge = `<html>${'x'.repeat(20_000)}</html>`;
    fake.enqueue({ type: 'raw', status: 502, body: huge, contentType: 'text/html' }, { type: 'raw', status: 502, body: huge, contentType: 'text/html' });
    const byDefault = thrown(await callWithSdk('openai', backend.url, { fetch: captureErrorBodies() }));
    const small = thrown(await callWithSdk('openai', backend.url, { fetch: captureErrorBodies(undefined, { maxBytes: 100 }) }));
    expect(capturedErrorBody(byDefault)).toBe(huge.slice(0, 4096));
    expect(capturedErrorBody(small)).toBe(huge.slice(0, 100));
    // The SDK still read the whole body for its own message.
    expect((byDefault as Error).message.length).toBeGreaterThan(20_000);
    expect(classifyError(byDefault)).toMatchObject({ kind: 'backend_fault', reason: 'http_502', retrySameBackend: true });
    expect(classifyError(byDefault).message.length).toBeLessThanOrEqual(300);
  });

  it('hands the SDK at most MAX_ERROR_BODY_BYTES (64 KiB) of an error body, or maxErrorBodyBytes: the rest is never read', async () => {
    const huge = `{"error":{"message":"${'y'.repeat(2 * 1024 * 1024)}"}}`;
    fake.enqueue({ type: 'raw', status: 500, body: huge }, { type: 'raw', status: 500, body: huge });
    const byDefault = thrown(await callWithSdk('openai', backend.url, { fetch: captureErrorBodies() }));
    const small = thrown(await callWithSdk('anthropic', backend.url, { fetch: captureErrorBodies(undefined, { maxErrorBodyBytes: 10_000 }) }));
    // Cut JSON is no envelope any more: the SDKs make their message from the text they got.
    expect((byDefault as Error).message).toContain('y'.repeat(60_000));
    expect((byDefault as Error).message.length).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES + 100);
    expect((small as Error).message.length).toBeLessThanOrEqual(10_000 + 100);
    expect(classifyError(byDefault)).toMatchObject({ kind: 'backend_fault', reason: 'http_500', status: 500 });
    expect(capturedErrorBody(small)).toBe(huge.slice(0, 4096));
  });

  it('leaves successful responses and streams alone', async () => {
    const responses: Response[] = [];
    const recording: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      responses.push(response);
      return response;
    };
    fake.enqueue(faults.ok('plain'), faults.ok('streamed'));
    const plain = await callWithSdk('openai', backend.url, { fetch: captureErrorBodies(recording) });
    const streamed = await callWithSdk('anthropic', backend.url, { stream: true, fetch: captureErrorBodies(recording) });
    expect(plain.ok && (plain.value as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('plain');
    expect(streamed.ok).toBe(true);
    expect(streamed.events.length).toBeGreaterThan(3);
    expect(responses.map((response) => capturedErrorBody(response.headers))).toEqual([undefined, undefined]);
  });
});
