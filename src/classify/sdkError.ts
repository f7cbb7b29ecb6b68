/**
 * Recognising SDK errors without importing the SDKs: both are optional peer dependencies, a
 * process may load two copies of one, and `instanceof` fails across copies. The class names
 * are stable API in both SDKs; Anthropic also sets `name`, openai leaves it `Error`, so the
 * prototype chain's constructor names are read too.
 */

/**
 * The class names along an error's prototype chain, most derived first.
 *
 * @example
 * ```ts
 * class AppError extends Error {}
 * errorClassNames(new AppError('x')); // ['AppError', 'Error']
 * ```
 */
export function errorClassNames(error: unknown): string[] {
  const names: string[] = [];
  if (typeof error !== 'object' || error === null) return names;
  const own = (error as { name?: unknown }).name;
  if (typeof own === 'string') names.push(own);
  for (let proto: unknown = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Whether the error is (a subclass of) the SDK class with this name.
 *
 * @example
 * ```ts
 * isSdkError(error, 'APIConnectionTimeoutError');
 * ```
 */
export function isSdkError(error: unknown, className: string): boolean {
  return errorClassNames(error).includes(className);
}

/**
 * Whether the caller gave up: the SDKs' `APIUserAbortError`, or a fetch/DOM `AbortError`.
 * A `TimeoutError` (from `AbortSignal.timeout()`) is not an abort: see {@link isTimeoutAbort}.
 *
 * @example
 * ```ts
 * isCallerAbort(new DOMException('stop', 'AbortError')); // true
 * ```
 */
export function isCallerAbort(error: unknown): boolean {
  return isSdkError(error, 'APIUserAbortError') || (error as { name?: unknown } | null)?.name === 'AbortError';
}

/**
 * Whether the error is a `TimeoutError` DOMException, which `fetch` throws when a signal from
 * `AbortSignal.timeout()` fires outside the SDKs' own timeout handling.
 *
 * @example
 * ```ts
 * isTimeoutAbort(new DOMException('slow', 'TimeoutError')); // true
 * ```
 */
export function isTimeoutAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}

/**
 * The HTTP status an SDK error carries, when it is a real one.
 *
 * @example
 * ```ts
 * statusOf({ status: 529 }); // 529
 * statusOf({ status: undefined }); // undefined
 * ```
 */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/**
 * Whether the error is an SDK `APIError` without a status that carries a payload: an error
 * event received inside a 200 stream (Anthropic `event: error`, OpenAI `data: {"error": …}`).
 * Connection errors have no payload and are not matched.
 *
 * @example
 * ```ts
 * try { for await (const event of stream) observe(event); }
 * catch (error) { if (isStreamErrorEvent(error)) console.log('the backend gave up mid-answer'); }
 * ```
 */
export function isStreamErrorEvent(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // By shape, which survives minified class names: every SDK APIError sets `status`, `headers`
  // and `error` as own properties; connection and abort errors leave `error` undefined.
  const record = error as { status?: unknown; error?: unknown };
  return (
    Object.prototype.hasOwnProperty.call(error, 'status') &&
    Object.prototype.hasOwnProperty.call(error, 'headers') &&
    record.status === undefined &&
    record.error !== undefined &&
    record.error !== null &&
    !isCallerAbort(error)
  );
}

/**
 * Whether the error is an SDK connection error (`APIConnectionError` or a subclass): by class
 * name, or by shape when names were minified away (an own `headers` property, no status, no
 * payload).
 *
 * @example
 * ```ts
 * try { await client.models.list(); } catch (error) { isConnectionError(error); }
 * ```
 */
export function isConnectionError(error: unknown): boolean {
  if (isSdkError(error, 'APIConnectionError')) return true;
  if (typeof error !== 'object' || error === null || isCallerAbort(error)) return false;
  const record = error as { status?: unknown; error?: unknown };
  return Object.prototype.hasOwnProperty.call(error, 'headers') && record.status === undefined && record.error === undefined;
}

/**
 * Whether the error is the SDK's own timeout (`APIConnectionTimeoutError`, "Request timed out."),
 * by class name or, when names were minified away, by a connection-error shape with a
 * timed-out message.
 *
 * @example
 * ```ts
 * try { await client.messages.create(request, { timeout: 500 }); } catch (error) { isSdkTimeout(error); }
 * ```
 */
export function isSdkTimeout(error: unknown): boolean {
  if (isSdkError(error, 'APIConnectionTimeoutError')) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return isConnectionError(error) && typeof message === 'string' && /timed? ?out/i.test(message);
}
