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
 * throws for a backend failure.
 *
 * @example
 * ```ts
 * const outcome = await callOpenAiChat(client, entry, request, { limits, signal, onText });
 * ```
 */
export function callOpenAiChat(client: OpenAI, entry: BackendEntry, request: NeutralRequest, context: CallContext): Promise<CallOutcome> {
  const params = toChatParams(entry, request);
  const timeout = sdkTimeoutMs(context.limits.timeoutMs);
  if (request.stream) {
    return runStreamCall(
      {
        send: async (signal) =>
          client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, { signal, timeout }),
        check: createChatStreamCheck(context.classify),
        assembler: createChatStreamAssembler(entry, context.onText),
      },
      context.limits,
      context.signal,
      context.classify,
    );
  }
  return runJsonCall(
    {
      send: async (signal) => client.chat.completions.create(params, { signal, timeout }),
      check: (value) => checkChatCompletion(value, context.classify),
      convert: (value) => fromChatCompletion(entry, value as OpenAI.Chat.ChatCompletion),
    },
    context.limits,
    context.signal,
    context.classify,
  );
}
