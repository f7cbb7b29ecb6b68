import type { FetchLike } from '../classify/captureErrorBodies.js';
import { maskFailure } from '../classify/makeFailure.js';
import type { ClassifyOptions } from '../classify/options.js';
import type { BackendEntry } from '../config/routerConfig.js';
import { callAnthropic } from './callAnthropic.js';
import { callOpenAiChat } from './callOpenAiChat.js';
import { createClientCache } from './clientCache.js';
import type { CallOutcome, Transport } from './transport.js';
import { unsupportedApiModeFailure } from './unsupportedApiMode.js';

/**
 * Options for {@link sdkTransport}.
 *
 * @example
 * ```ts
 * sdkTransport({ classify: classifierOptionsFrom(policy) });
 * ```
 */
export interface SdkTransportOptions {
  /** How failures are classified (crash signatures, hint bounds). Default: the classifier's defaults. */
  readonly classify?: ClassifyOptions;
  /** The `fetch` the SDK clients use, wrapped by `captureErrorBodies` (default: the global `fetch`). */
  readonly fetch?: FetchLike;
}

/**
 * The transport over the real SDKs: `anthropic_messages` through `@anthropic-ai/sdk`,
 * `chat_completions` through `openai` (both optional peer dependencies, loaded on first use).
 * One client per entry (label, base URL, key), SDK retries off, the call's timeout per request.
 *
 * `call()` never throws for a backend failure: every failure is one `{ ok: false, failure, error }`
 * (see `docs/transports.md`). It throws only for problems of the host: a missing SDK
 * (`MissingSdkError`, naming the package to install) and an exception from the caller's own
 * `onText`. An entry with `api_mode: responses` fails with `auth_config` /
 * `unsupported_api_mode` without sending anything: that API is not supported yet. A failure's
 * message never carries the entry's key, even when the backend echoed it (masked as `[redacted]`);
 * the `error` kept beside it is the SDK's own, untouched.
 *
 * @example
 * ```ts
 * import { sdkTransport } from 'llm-health-router';
 * const transport = sdkTransport();
 * const outcome = await transport.call(entry, {
 *   system: 'Be brief.',
 *   messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
 *   maxTokens: 256,
 *   stream: true,
 * }, { limits: { timeoutMs: 120_000, firstTokenTimeoutMs: 15_000, idleTimeoutMs: 30_000 }, onText: (t) => process.stdout.write(t) });
 * if (outcome.ok) console.log(outcome.response.servedBy, outcome.response.usage);
 * else console.error(outcome.failure.kind, outcome.failure.message);
 * ```
 */
export function sdkTransport(options: SdkTransportOptions = {}): Transport {
  const clients = createClientCache(options.fetch);
  const transport: Transport = {
    async call(entry, request, { limits, signal, onText, classify }) {
      // The transport's own option wins; else the caller's (the router passes its policy's).
      const context = { limits, signal, onText, classify: options.classify ?? classify };
      switch (entry.apiMode) {
        case 'anthropic_messages': {
          const sdk = await clients.get(entry, limits.timeoutMs);
          if (sdk.kind !== 'anthropic') throw new Error('unreachable: an anthropic_messages entry got an OpenAI client');
          return callAnthropic(sdk.client, entry, request, context);
        }
        case 'chat_completions': {
          const sdk = await clients.get(entry, limits.timeoutMs);
          if (sdk.kind !== 'openai') throw new Error('unreachable: a chat_completions entry got an Anthropic client');
          return callOpenAiChat(sdk.client, entry, request, context);
        }
        default: {
          const { failure, error } = unsupportedApiModeFailure(entry);
          return { ok: false, failure, error };
        }
      }
    },
  };
  return { call: async (entry, request, callOptions) => withoutKey(entry, await transport.call(entry, request, callOptions)) };
}

/**
 * The outcome with the key this call was sent with masked in its failure: the key is known here
 * for certain, whether or not it was remembered when the config was loaded.
 */
function withoutKey(entry: BackendEntry, outcome: CallOutcome): CallOutcome {
  if (outcome.ok || entry.apiKey === undefined) return outcome;
  const failure = maskFailure(outcome.failure, [entry.apiKey]);
  return failure === outcome.failure ? outcome : { ...outcome, failure };
}
