import type OpenAI from 'openai';
import { createChatStreamCheck } from '../classify/chatStreamCheck.js';
import { checkChatCompletion } from '../classify/checkChatCompletion.js';
import type { BackendEntry } from '../config/routerConfig.js';
import type { CallContext } from './callContext.js';
import { createChatStreamAssembler } from './chatStreamAssembler.js';
import { fromChatCompletion } from './fromOpenAiChat.js';
import type { NeutralRequest } from './neutral.js';
import { runJsonCall } from './runJsonCall.js';
import { runStreamCall } from './runStreamCall.js';
import { sdkTimeoutMs } from './sdkTimeout.js';
import { toChatParams } from './toOpenAiChat.js';
import type { CallOutcome } from './transport.js';

/**
 * One neutral call over the OpenAI Chat Completions API (`POST …/chat/completions`) with the given
 * client: translated by `toChatParams`, streamed when `request.stream` (with
 * `stream_options.include_usage`, so the stream reports usage), validated by
 * `checkChatCompletion` / `createChatStreamCheck`, converted back to a neutral response. Never
 * throws for a backend failure; a failure before the request was handed to the network
 * (translating or serializing it) is `local`, charged to no backend.
 *
 * @example
 * ```ts
 * const outcome = await callOpenAiChat(client, entry, request, { limits, signal, onText });
 * ```
 */
export async function callOpenAiChat(client: OpenAI, entry: BackendEntry, request: NeutralRequest, context: CallContext): Promise<CallOutcome> {
  const timeout = sdkTimeoutMs(context.limits.timeoutMs);
  const options = (signal: AbortSignal) => ({ signal, timeout });
  if (request.stream) {
    return await runStreamCall(
      {
        // Translated inside send(): failing to build the request is a failure before sending.
        send: async (signal) =>
          client.chat.completions.create({ ...toChatParams(entry, request), stream: true, stream_options: { include_usage: true } }, options(signal)),
        check: createChatStreamCheck(context.classify),
        assembler: createChatStreamAssembler(entry, context.onText),
      },
      context.limits,
      context.signal,
      context.classify,
    );
  }
  return await runJsonCall(
    {
      send: async (signal) => client.chat.completions.create(toChatParams(entry, request), options(signal)),
      check: (value) => checkChatCompletion(value, context.classify),
      convert: (value) => fromChatCompletion(entry, value as OpenAI.Chat.ChatCompletion),
    },
    context.limits,
    context.signal,
    context.classify,
  );
}
