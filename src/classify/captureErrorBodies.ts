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
  /**
   * How much of an error body the SDK is given to read, in bytes; the rest is not read. Default
   * {@link MAX_ERROR_BODY_BYTES} (64 KiB).
   */
  readonly maxErrorBodyBytes?: number;
}

/**
 * The most of an error response's body that {@link captureErrorBodies} hands on to the SDK: 64
 * KiB, far more than any provider's error envelope or a proxy's HTML error page. Both SDKs read an
 * error body whole into memory before they throw, with no limit; a backend sending an endless or
 * multi-gigabyte error body (1 MiB every few milliseconds on loopback) grew the gateway by 1.8 GB
 * in the ten seconds of one first-token timeout. A cut JSON body is read by the SDK as text.
 *
 * @example
 * ```ts
 * captureErrorBodies(fetch, { maxErrorBodyBytes: 4 * MAX_ERROR_BODY_BYTES });
 * ```
 */
export const MAX_ERROR_BODY_BYTES = 65_536;

/** Statuses a `Response` may be built with a body for: anything else is handed on untouched. */
const rebuildable = (status: number) => status >= 200 && status <= 599 && status !== 204 && status !== 205 && status !== 304;

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
 * remembered where {@link classifyError} can find it, and so that the SDK reads at most
 * `maxErrorBodyBytes` of it ({@link MAX_ERROR_BODY_BYTES}): the rest of a larger error body is
 * never read into memory.
 *
 * Why: openai@6 keeps only `body.error` of an error response, so a facade that answers
 * `500 {"detail":"Claude Code process exited with code 1"}` (FastAPI's shape) becomes
 * `500 status code (no body)` and the crash signature is lost. Pass the wrapper as the SDK
 * client's `fetch` option; nothing else changes. The SDK
 * gets a response with the same status and headers whose body is the first `maxErrorBodyBytes`
 * of the original, and only error responses are touched: successful bodies and streams pass
 * through untouched. What is kept has credentials masked (`maskSecrets`): a backend
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
  const maxErrorBodyBytes = Math.max(maxBytes, options.maxErrorBodyBytes ?? MAX_ERROR_BODY_BYTES);
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok || !response.body) return response;
    if (!rebuildable(response.status)) {
      try {
        bodies.set(response.headers, maskSecrets(decode(await readPrefix(response.clone(), maxBytes), maxBytes)));
      } catch {
        // The body broke (reset, abort): the SDK will meet the same failure and report it.
      }
      return response;
    }
    // The body broke (reset, abort) part way: the SDK gets what came, as it would have read it.
    const head = await readPrefix(response, maxErrorBodyBytes).catch((error: unknown) => (error instanceof PartialBody ? error.bytes : new Uint8Array(0)));
    const cut = new Response(head.subarray(0, Math.min(head.byteLength, maxErrorBodyBytes)), { status: response.status, statusText: response.statusText, headers: response.headers });
    bodies.set(cut.headers, maskSecrets(decode(head, maxBytes)));
    return cut;
  };
}

/** What a body read had gathered when the body broke. */
class PartialBody extends Error {
  constructor(readonly bytes: Uint8Array) {
    super('the body broke while it was read');
  }
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

async function readPrefix(response: Response, maxBytes: number): Promise<Uint8Array> {
  const body = response.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const joined = () => {
    const all = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return all;
  };
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    throw new PartialBody(joined());
  } finally {
    // Stop reading once we have enough: the rest of the body is not wanted.
    // Not awaited: a tee branch's cancel() settles only once the other branch is cancelled too,
    // so awaiting it on a clone would hold the SDK's response until its timeout fires.
    reader.cancel().catch(() => undefined);
  }
  return joined();
}

/** The first `maxBytes` of a body as text; `stream: true` tolerates a multi-byte character cut at the limit instead of emitting U+FFFD noise. */
function decode(bytes: Uint8Array, maxBytes: number): string {
  return new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.byteLength, maxBytes)), { stream: true });
}
