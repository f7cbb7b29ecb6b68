import type Anthropic from '@anthropic-ai/sdk';
import { createAnthropicStreamCheck } from '../classify/anthropicStreamCheck.js';
import { checkAnthropicMessage } from '../classify/checkAnthropicMessage.js';
import type { BackendEntry } from '../config/routerConfig.js';
import { createAnthropicStreamAssembler } from './anthropicStreamAssembler.js';
import type { CallContext } from './callContext.js';
import { failedOutcome } from './failedOutcome.js';
import { fromAnthropicMessage } from './fromAnthropic.js';
import type { NeutralRequest } from './neutral.js';
import { runJsonCall } from './runJsonCall.js';
import { runStreamCall } from './runStreamCall.js';
import { sdkTimeoutMs } from './sdkTimeout.js';
import { toAnthropicParams } from './toAnthropic.js';
import { malformedToolInput, toolInputTooDeep } from './toolInput.js';
import type { CallOutcome } from './transport.js';

/**
 * One neutral call over the Anthropic Messages API (`POST …/v1/messages`) with the given client:
 * translated by `toAnthropicParams`, streamed when `request.stream`, validated by
 * `checkAnthropicMessage` / `createAnthropicStreamCheck`, converted back to a neutral response.
 * Never throws for a backend failure; a failure before the request was handed to the network
 * (translating or serializing it) is `local`, charged to no backend.
 *
 * @example
 * ```ts
 * const outcome = await callAnthropic(client, entry, request, { limits, signal, onText });
 * ```
 */
export async function callAnthropic(client: Anthropic, entry: BackendEntry, request: NeutralRequest, context: CallContext): Promise<CallOutcome> {
  const timeout = sdkTimeoutMs(context.limits.timeoutMs);
  const options = (signal: AbortSignal) => ({ signal, timeout });
  if (request.stream) {
    return await runStreamCall(
      {
        // The request is translated inside send(): failing to build it, like the SDK failing to
        // serialize it, is a failure before sending. async: a synchronous throw from create()
        // becomes a rejection, classified like any other.
        send: async (signal) => client.messages.create({ ...toAnthropicParams(entry, request), stream: true }, options(signal)),
        check: createAnthropicStreamCheck(context.classify),
        assembler: createAnthropicStreamAssembler(entry, context.onText),
      },
      context.limits,
      context.signal,
      context.classify,
    );
  }
  return await runJsonCall(
    {
      send: async (signal) => client.messages.create(toAnthropicParams(entry, request), options(signal)),
      check: (value) => checkAnthropicMessage(value, context.classify),
      convert: (value) => {
        const response = fromAnthropicMessage(entry, value as Anthropic.Message);
        // The SDK parsed tool inputs already; one nested too deep is a malformed answer, as in a stream.
        for (const call of response.toolCalls) {
          const tooDeep = toolInputTooDeep(call.input);
          if (tooDeep !== undefined) return failedOutcome(malformedToolInput(call.name, tooDeep));
        }
        return { ok: true, response };
      },
    },
    context.limits,
    context.signal,
    context.classify,
  );
}
