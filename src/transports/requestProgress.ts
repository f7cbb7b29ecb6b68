import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { FetchLike } from '../classify/captureErrorBodies.js';

/**
 * How far one SDK call's request got, as far as this process can see:
 *
 * - `handed`: the SDK handed it to `fetch` (through a client made with {@link noteSends}, as every
 *   `sdkClientFor` client is). What the call throws before that — the SDK failing to serialize a
 *   body nested thousands of levels deep, a `TypeError` in its request building — never left the
 *   process and is not the backend's doing;
 * - `connected`: its headers were written to a connected socket (Node's `fetch`, undici, publishes
 *   `undici:client:sendHeaders`). A timeout of such a request is a hung model, not an address
 *   nobody answers at. A `fetch` that is not undici's publishes nothing: the call is then never
 *   known to be connected, which keeps the endpoint-wide reading.
 *
 * @example
 * ```ts
 * const progress: RequestProgress = { handed: false, connected: false };
 * ```
 */
export interface RequestProgress {
  handed: boolean;
  connected: boolean;
}

/**
 * Runs one SDK call so that what happens to its request is written to `progress`. The call's
 * async context carries `progress` to the `fetch` wrapper and to undici's request (tied to it when
 * it is created, in the caller's context), so concurrent calls never see each other's requests
 * and nothing is added to the request itself.
 *
 * @example
 * ```ts
 * const progress = { handed: false, connected: false };
 * await trackRequest(progress, () => client.messages.create(params, { signal }));
 * progress.connected; // true once the request went out on a live connection
 * ```
 */
export function trackRequest<T>(progress: RequestProgress, run: () => T): T {
  listen();
  return calls.run(progress, run);
}

/**
 * Wraps `fetch` so that the call it runs in ({@link trackRequest}) is marked as handed to the
 * network. It must be the wrapper closest to the network of those the router adds, so that
 * nothing of ours runs between "handed" and the real `fetch`. Calls not tracked (the callback
 * form's own) pass untouched.
 *
 * @example
 * ```ts
 * const client = new OpenAI({ fetch: captureErrorBodies(noteSends()) });
 * ```
 */
export function noteSends(inner: FetchLike = (input, init) => globalThis.fetch(input, init)): FetchLike {
  return (input, init) => {
    const progress = calls.getStore();
    if (progress) progress.handed = true;
    return inner(input, init);
  };
}

const calls = new AsyncLocalStorage<RequestProgress>();
const requests = new WeakMap<object, RequestProgress>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  subscribe('undici:request:create', (message) => {
    const progress = calls.getStore();
    const request = (message as { request?: object }).request;
    if (progress && request) requests.set(request, progress);
  });
  subscribe('undici:client:sendHeaders', (message) => {
    const request = (message as { request?: object }).request;
    const progress = request ? requests.get(request) : undefined;
    if (progress) progress.connected = true;
  });
}
