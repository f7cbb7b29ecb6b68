import { classifyError } from '../classify/classifyError.js';
import type { ClassifyOptions } from '../classify/options.js';
import type { BackendEntry } from '../config/routerConfig.js';
import { sdkClientFor, type SdkClient } from '../transports/sdkClient.js';
import type { NeutralRequest, NeutralResponse } from '../transports/neutral.js';
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
 * is kept (by response object) for `turn.main` to return; what it throws is classified.
 */
export function callbackTransport<T>(call: (backend: BackendCall) => Promise<T>, values: WeakMap<NeutralResponse, T>, classify: ClassifyOptions): Transport {
  return {
    async call(entry, _request, options) {
      try {
        const sdk = await sdkClientFor(entry, { timeoutMs: options.limits.timeoutMs });
        const value = await call({ sdk, entry, ...(options.signal ? { signal: options.signal } : {}) });
        const response: NeutralResponse = { text: '', toolCalls: [], stopReason: 'other', usage: { inputTokens: 0, outputTokens: 0 }, model: entry.model, servedBy: entry.label };
        values.set(response, value);
        return { ok: true, response };
      } catch (error) {
        return { ok: false, failure: classifyError(error, classify), error };
      }
    },
  };
}
