import { classifyError } from '../classify/classifyError.js';
import type { ClassifiedFailure } from '../classify/failure.js';
import { makeFailure } from '../classify/makeFailure.js';
import type { ClassifyOptions } from '../classify/options.js';
import type { BackendEntry } from '../config/routerConfig.js';
import { sdkClientFor, type SdkClient } from '../transports/sdkClient.js';
import type { NeutralRequest, NeutralResponse } from '../transports/neutral.js';
import { trackRequest } from '../transports/requestProgress.js';
import type { Transport } from '../transports/transport.js';

/**
 * What the callback form of `turn.main` hands the agent for the backend the router chose: the
 * ready SDK client for its api mode (retries off, error bodies kept), the entry (model, label …)
 * and the signal to pass to the SDK call.
 *
 * @example
 * ```ts
 * const text = await turn.main(async ({ sdk, entry, signal }) => {
 *   if (sdk.kind === 'anthropic') {
 *     const m = await sdk.client.messages.create({ model: entry.model, max_tokens: 512, messages }, { signal });
 *     return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
 *   }
 *   const c = await sdk.client.chat.completions.create({ model: entry.model, messages: chatMessages }, { signal });
 *   return c.choices[0]?.message.content ?? '';
 * });
 * ```
 */
export interface BackendCall {
  readonly sdk: SdkClient;
  readonly entry: BackendEntry;
  readonly signal?: AbortSignal;
}

/** The request the routed-call chart carries in callback mode; the callback builds the real one. */
export const CALLBACK_REQUEST: NeutralRequest = { messages: [], maxTokens: 1 };

/**
 * A transport that runs the agent's callback on the chosen backend's SDK client: what it returns
 * is kept (by response object) for `turn.main` to return; what it throws is classified. The
 * callback runs under `trackRequest`, as the SDK transport's calls do, so a timeout of a
 * request that went out on a live connection (the SDK client's own `timeout`) is known to be the
 * model's (`connected`): with `health.scope: model` it marks the hung model,
 * not the endpoint, and another model on the endpoint still serves.
 */
export function callbackTransport<T>(call: (backend: BackendCall) => Promise<T>, values: WeakMap<NeutralResponse, T>, classify: ClassifyOptions): Transport {
  return {
    async call(entry, _request, options) {
      const progress = { handed: false, connected: false };
      try {
        const sdk = await sdkClientFor(entry, { timeoutMs: options.limits.timeoutMs });
        const value = await trackRequest(progress, () => call({ sdk, entry, ...(options.signal ? { signal: options.signal } : {}) }));
        const response: NeutralResponse = { text: '', toolCalls: [], stopReason: 'other', usage: { inputTokens: 0, outputTokens: 0 }, model: entry.model, servedBy: entry.label };
        values.set(response, value);
        return { ok: true, response };
      } catch (error) {
        return { ok: false, failure: timedOutConnected(classifyError(error, classify), progress.connected), error };
      }
    },
  };
}

/** A timeout with no answer, of a request written to a connected socket: the model's slowness, not the address's (see `ClassifiedFailure.connected`). */
function timedOutConnected(failure: ClassifiedFailure, sent: boolean): ClassifiedFailure {
  return sent && !failure.answered && failure.kind === 'backend_fault' && TIMEOUT_REASONS.has(failure.reason) ? makeFailure({ ...failure, connected: true }) : failure;
}

/** The classifier's reasons for a call cut because nothing came back in time (not a connect timeout: that one never sent the request). */
const TIMEOUT_REASONS: ReadonlySet<string> = new Set(['timeout', 'headers_timeout']);
