import { maskSecrets } from '../security/maskSecrets.js';

/**
 * The `fetch` signature both SDKs accept in their `fetch` client option.
 *
 * @example
 * ```ts
 * const logged: FetchLike = async (input, init) => { console.log(String(input)); return fetch(input, init); };
 * ```
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Options for {@link captureErrorBodies}.
 *
 * @example
 * ```ts
 * captureErrorBodies(fetch, { maxBytes: 1024 });
 * ```
 */
export interface CaptureErrorBodiesOptions {
  /** How much of each error body to keep, in bytes (UTF-8). Default 4096. */
  readonly maxBytes?: number;
}

/**
 * The default number of bytes of an error body that {@link captureErrorBodies} keeps: enough for
 * any JSON error envelope and a stack-trace tail, small enough to keep per failed call.
 *
 * @example
 * ```ts
 * captureErrorBodies(fetch, { maxBytes: 2 * DEFAULT_CAPTURED_BODY_BYTES });
 * ```
 */
export const DEFAULT_CAPTURED_BODY_BYTES = 4096;

// Keyed by the Response's Headers object. Both SDKs (verified in @anthropic-ai/sdk 1.14 and
// openai 6.49, `makeRequest` → `makeStatusError(status, json, text, response.headers)`) hand
// that very object to the APIError as `error.headers`, so the classifier can find the body from
// the error alone. A WeakMap, so a body lives exactly as long as its error.
const bodies = new WeakMap<object, string>();

/**
 * Wraps a `fetch` so that the text of every non-2xx response body (its first `maxBytes`) is
 * remembered where {@link classifyError} can find it.
 *
 * Why: openai@6 keeps only `body.error` of an error response, so a facade that answers
 * `500 {"detail":"Claude Code process exited with code 1"}` (FastAPI's shape) becomes
 * `500 status code (no body)` and the crash signature is lost. Pass the wrapper as the SDK
 * client's `fetch` option; nothing else changes. The body is read from a `clone()`, so the SDK
 * still reads the original, and only error responses are touched: successful bodies and
 * streams pass through untouched. What is kept has credentials masked (`maskSecrets`): a backend
 * that echoes the key it was sent ("Incorrect API key provided: …") must not hand it to whoever
 * reads the body, or to the failure built from it.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * import { captureErrorBodies, classifyError } from 'llm-health-router';
 * const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, fetch: captureErrorBodies() });
 * try { await client.chat.completions.create(request); }
 * catch (error) { classifyError(error).kind; } // 'crash', even though error.message says "(no body)"
 * ```
 */
export function captureErrorBodies(
  fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
  options: CaptureErrorBodiesOptions = {},
): FetchLike {
  const maxBytes = Math.max(0, options.maxBytes ?? DEFAULT_CAPTURED_BODY_BYTES);
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok || !response.body) return response;
    try {
      const text = await readPrefix(response.clone(), maxBytes);
      bodies.set(response.headers, maskSecrets(text));
    } catch {
      // The body broke (reset, abort): the SDK will meet the same failure and report it.
    }
    return response;
  };
}

/**
 * The error body that {@link captureErrorBodies} remembered for a response, looked up by the
 * response's `headers` (an SDK error's `error.headers`), or by an error carrying them. Credentials
 * in it are masked.
 *
 * @example
 * ```ts
 * try { await client.chat.completions.create(request); }
 * catch (error) { capturedErrorBody(error); } // '{"detail":"Claude Code process exited with code 1"}'
 * ```
 */
export function capturedErrorBody(headersOrError: unknown): string | undefined {
  if (typeof headersOrError !== 'object' || headersOrError === null) return undefined;
  const direct = bodies.get(headersOrError);
  if (direct !== undefined) return direct;
  const headers = (headersOrError as { headers?: unknown }).headers;
  return typeof headers === 'object' && headers !== null ? bodies.get(headers) : undefined;
}

async function readPrefix(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Stop reading the clone once we have enough; the original branch keeps flowing to the SDK.
    // Not awaited: a tee branch's cancel() settles only once the other branch is cancelled too,
    // so awaiting it here would hold the SDK's response until its timeout fires.
    reader.cancel().catch(() => undefined);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // `stream: true` tolerates a multi-byte character cut at the limit instead of emitting U+FFFD noise.
  return new TextDecoder().decode(joined.subarray(0, Math.min(size, maxBytes)), { stream: true });
}
