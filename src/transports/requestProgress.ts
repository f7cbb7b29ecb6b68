import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';

/**
 * Whether a call's HTTP request was written to a connected socket — what tells a timeout of a
 * hung model (the server took the request and never answered) from an address nobody answers at.
 *
 * Node's `fetch` (undici, which both SDKs use) publishes `undici:request:create` when a request is
 * made and `undici:client:sendHeaders` once its headers are written to a connected socket. The
 * call runs inside {@link trackRequestSent}, whose store the request is tied to when it is
 * created (that runs in the caller's async context), so concurrent calls never see each other's
 * requests. A `fetch` that is not undici's publishes nothing: the call is then never known to be
 * connected, which keeps the old, endpoint-wide reading.
 *
 * @example
 * ```ts
 * const sent = { value: false };
 * await trackRequestSent(sent, () => client.messages.create(params, { signal }));
 * sent.value; // true once the request went out on a live connection
 * ```
 */
export function trackRequestSent<T>(state: { value: boolean }, run: () => T): T {
  listen();
  return calls.run(state, run);
}

const calls = new AsyncLocalStorage<{ value: boolean }>();
const requests = new WeakMap<object, { value: boolean }>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  subscribe('undici:request:create', (message) => {
    const state = calls.getStore();
    const request = (message as { request?: object }).request;
    if (state && request) requests.set(request, state);
  });
  subscribe('undici:client:sendHeaders', (message) => {
    const request = (message as { request?: object }).request;
    const state = request ? requests.get(request) : undefined;
    if (state) state.value = true;
  });
}
