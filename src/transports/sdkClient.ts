import type AnthropicClient from '@anthropic-ai/sdk';
import type OpenAIClient from 'openai';
import { capAnswerBody } from './capAnswerBody.js';
import { noteSends } from './requestProgress.js';
import { skipMalformedEvents } from './skipMalformedEvents.js';
import { captureErrorBodies, type FetchLike } from '../classify/captureErrorBodies.js';
import type { BackendEntry } from '../config/routerConfig.js';
import { sdkBaseUrl } from '../identity/requestUrl.js';
import { rememberSecret } from '../security/maskSecrets.js';
import { loadAnthropicSdk, loadOpenAiSdk } from './loadSdk.js';
import { DEFAULT_SDK_TIMEOUT_MS, sdkTimeoutMs } from './sdkTimeout.js';
import { UnsupportedApiModeError } from './unsupportedApiMode.js';

/**
 * A ready SDK client for one backend entry: `@anthropic-ai/sdk` for `anthropic_messages`,
 * `openai` for `chat_completions`.
 *
 * @example
 * ```ts
 * const sdk = await sdkClientFor(entry);
 * if (sdk.kind === 'anthropic') await sdk.client.messages.create({ model: entry.model, max_tokens: 256, messages });
 * else await sdk.client.chat.completions.create({ model: entry.model, messages: chatMessages });
 * ```
 */
export type SdkClient =
  | { readonly kind: 'anthropic'; readonly client: AnthropicClient }
  | { readonly kind: 'openai'; readonly client: OpenAIClient };

/**
 * Options for {@link sdkClientFor}.
 *
 * @example
 * ```ts
 * await sdkClientFor(entry, { timeoutMs: 30_000 });
 * ```
 */
export interface SdkClientOptions {
  /**
   * The client's `timeout` (ms). Default {@link DEFAULT_SDK_TIMEOUT_MS}. The SDKs apply it to the
   * wait for response headers only: bound a stream yourself (or use `sdkTransport`).
   */
  readonly timeoutMs?: number;
  /** The `fetch` to wrap with `captureErrorBodies` (default: the global `fetch`). */
  readonly fetch?: FetchLike;
}

/**
 * The SDK client for an entry's api mode, configured the way the router needs: the entry's key
 * (`'not-needed'` when it has none: local facades ignore it, and the SDKs must not pick up a key
 * from the environment for a backend that was configured without one), the base URL from
 * `sdkBaseUrl`, SDK retries off (`maxRetries: 0`: the router decides retries), the timeout, and
 * `captureErrorBodies` so `classifyError` can read error bodies openai@6 drops. The key is
 * remembered (`rememberSecret`), so a backend that echoes it back has it masked in every failure
 * message and captured body, also for an entry that was built by hand rather than loaded; and
 * `noteSends`, so the transport knows whether a failed call's request ever left the process.
 *
 * This is the callback form: an agent that wants the SDK's own API (extra parameters, beta
 * features) calls the client itself. Pass whatever it throws to `classifyError`, and validate
 * what it returns with `checkAnthropicMessage` / `checkChatCompletion` (streams with
 * `createAnthropicStreamCheck` / `createChatStreamCheck`), so the router learns of failures the
 * SDK reports as success.
 *
 * Throws {@link MissingSdkError} when the SDK is not installed, {@link UnsupportedApiModeError}
 * for `api_mode: responses`.
 *
 * @example
 * ```ts
 * import { classifyError, sdkClientFor } from 'llm-health-router';
 * const sdk = await sdkClientFor(entry, { timeoutMs: 60_000 });
 * if (sdk.kind === 'anthropic') {
 *   try { await sdk.client.messages.create({ model: entry.model, max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] }); }
 *   catch (error) { const failure = classifyError(error); }
 * }
 * ```
 */
export async function sdkClientFor(entry: BackendEntry, options: SdkClientOptions = {}): Promise<SdkClient> {
  rememberSecret(entry.apiKey);
  const common = {
    apiKey: entry.apiKey ?? 'not-needed',
    baseURL: sdkBaseUrl(entry.identity),
    maxRetries: 0,
    timeout: sdkTimeoutMs(options.timeoutMs ?? DEFAULT_SDK_TIMEOUT_MS),
    fetch: captureErrorBodies(skipMalformedEvents(capAnswerBody(noteSends(options.fetch)))),
  };
  switch (entry.apiMode) {
    case 'anthropic_messages': {
      const Anthropic = await loadAnthropicSdk();
      return { kind: 'anthropic', client: new Anthropic(common) };
    }
    case 'chat_completions': {
      const OpenAI = await loadOpenAiSdk();
      return { kind: 'openai', client: new OpenAI(common) };
    }
    default:
      throw new UnsupportedApiModeError(entry.apiMode, entry.label);
  }
}
