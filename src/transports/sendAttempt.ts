import type { FetchLike } from '../classify/captureErrorBodies.js';

/**
 * The request header that carries an attempt's id from the SDK call to {@link noteSends}, which
 * takes it off before the request goes out: a per-request header is the one thing both SDKs are
 * bound to hand to `fetch` whatever they do in between (middleware, signing, retries).
 */
const ATTEMPT_HEADER = 'x-llm-health-router-attempt';

/** Attempts in progress, by id: whether the SDK has handed each one's request to `fetch`. */
const attempts = new Map<string, { sent: boolean }>();
let lastId = 0;

/**
 * One SDK call being made, and whether its request has left the process yet: `sent` turns true
 * when the SDK hands the request to `fetch` (through a client made with {@link noteSends}, as
 * every `sdkClientFor` client is). What the call throws before that — the SDK failing to
 * serialize a body nested thousands of levels deep, a `TypeError` in its request building — is
 * then known not to be the backend's doing.
 *
 * @example
 * ```ts
 * const attempt = startSendAttempt();
 * try { await client.messages.create(params, { headers: attempt.headers }); }
 * catch (error) { if (!attempt.sent) console.log('never left this process'); }
 * finally { attempt.end(); }
 * ```
 */
export interface SendAttempt {
  /** Per-request headers for the SDK call (`{ headers }` in its request options). */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the SDK handed the request to `fetch`. */
  readonly sent: boolean;
  /** Forgets the attempt; call it once the call settled. */
  end(): void;
}

/**
 * Starts tracking one SDK call (see {@link SendAttempt}).
 *
 * @example
 * ```ts
 * const attempt = startSendAttempt();
 * ```
 */
export function startSendAttempt(): SendAttempt {
  const id = String(++lastId);
  const state = { sent: false };
  attempts.set(id, state);
  return {
    headers: { [ATTEMPT_HEADER]: id },
    get sent() {
      return state.sent;
    },
    end() {
      attempts.delete(id);
    },
  };
}

/**
 * Wraps `fetch` so that a request carrying an attempt's header marks that attempt sent, and goes
 * out without the header. Requests without one (the callback form's own calls) pass untouched.
 * It must be the wrapper closest to the network of those the router adds, so that nothing of
 * ours runs between "sent" and the real `fetch`.
 *
 * @example
 * ```ts
 * const client = new OpenAI({ fetch: captureErrorBodies(noteSends()) });
 * ```
 */
export function noteSends(inner: FetchLike = (input, init) => globalThis.fetch(input, init)): FetchLike {
  return (input, init) => {
    if (init?.headers === undefined) return inner(input, init);
    const headers = new Headers(init.headers);
    const id = headers.get(ATTEMPT_HEADER);
    if (id === null) return inner(input, init);
    const attempt = attempts.get(id);
    if (attempt) attempt.sent = true;
    headers.delete(ATTEMPT_HEADER);
    return inner(input, { ...init, headers });
  };
}
