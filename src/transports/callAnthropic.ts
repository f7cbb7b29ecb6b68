import type Anthropic from '@anthropic-ai/sdk';
import { createAnthropicStreamCheck } from '../classify/anthropicStreamCheck.js';
import { checkAnthropicMessage } from '../classify/checkAnthropicMessage.js';
import type { BackendEntry } from '../config/routerConfig.js';
import { createAnthropicStreamAssembler } from './anthropicStreamAssembler.js';
import type { CallContext } from './callContext.js';
import { fromAnthropicMessage } from './fromAnthropic.js';
import type { NeutralRequest } from './neutral.js';
import { runJsonCall } from './runJsonCall.js';
import { runStreamCall } from './runStreamCall.js';
import { sdkTimeoutMs } from './sdkTimeout.js';
import { toAnthropicParams } from './toAnthropic.js';
import type { CallOutcome } from './transport.js';

/**
 * One neutral call over the Anthropic Messages API (`POST …/v1/messages`) with the given client:
 * translated by `toAnthropicParams`, streamed when `request.stream`, validated by
 * `checkAnthropicMessage` / `createAnthropicStreamCheck`, converted back to a neutral response.
 * Never throws for a backend failure.
 *
 * @example
 * ```ts
 * const outcome = await callAnthropic(client, entry, request, { limits, signal, onText });
 * ```
 */
export function callAnthropic(client: Anthropic, entry: BackendEntry, request: NeutralRequest, context: CallContext): Promise<CallOutcome> {
  const params = toAnthropicParams(entry, request);
  const timeout = sdkTimeoutMs(context.limits.timeoutMs);
  if (request.stream) {
    return runStreamCall(
      {
        // async: a synchronous throw from create() becomes a rejection, classified like any other.
        send: async (signal) => client.messages.create({ ...params, stream: true }, { signal, timeout }),
        check: createAnthropicStreamCheck(context.classify),
        assembler: createAnthropicStreamAssembler(entry, context.onText),
      },
      context.limits,
      context.signal,
      context.classify,
    );
  }
  return runJsonCall(
    {
      send: async (signal) => client.messages.create(params, { signal, timeout }),
      check: (value) => checkAnthropicMessage(value, context.classify),
      convert: (value) => ({ ok: true, response: fromAnthropicMessage(entry, value as Anthropic.Message) }),
    },
    context.limits,
    context.signal,
    context.classify,
  );
}
