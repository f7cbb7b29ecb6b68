import type OpenAI from 'openai';
import type { BackendEntry } from '../config/routerConfig.js';
import type { CallOutcome } from './transport.js';
import { chatStopReason } from './stopReason.js';
import { failedOutcome } from './failedOutcome.js';
import { malformedToolInput, parseToolInput, toolInputTooDeep } from './toolInput.js';

/**
 * A tool call as the Chat Completions API carries it: input as JSON text.
 *
 * @example
 * ```ts
 * const call: RawToolCall = { id: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}' };
 * ```
 */
export interface RawToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/**
 * The outcome for an answer whose parts are known: tool call inputs are parsed here, and one that
 * is not valid JSON makes the whole answer a `malformed_tool_input` failure (an agent cannot run
 * it), never a success with a string where an object belongs.
 *
 * @example
 * ```ts
 * chatOutcome(entry, { text: 'Hi', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 1 }, model: 'm' });
 * // { ok: true, response: { text: 'Hi', stopReason: 'end_turn', … } }
 * ```
 */
export function chatOutcome(
  entry: BackendEntry,
  parts: {
    readonly text: string;
    readonly toolCalls: readonly RawToolCall[];
    readonly finishReason: string | null | undefined;
    readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
    readonly model: string | undefined;
  },
): CallOutcome {
  const toolCalls: { id: string; name: string; input: unknown }[] = [];
  for (const call of parts.toolCalls) {
    const parsed = parseToolInput(call.arguments);
    if (!parsed.ok) return { ok: false, failure: malformedToolInput(call.name, String(parsed.error)), error: parsed.error };
    const tooDeep = toolInputTooDeep(parsed.input);
    if (tooDeep !== undefined) return failedOutcome(malformedToolInput(call.name, tooDeep));
    toolCalls.push({ id: call.id, name: call.name, input: parsed.input });
  }
  return {
    ok: true,
    response: {
      text: parts.text,
      toolCalls,
      stopReason: chatStopReason(parts.finishReason),
      usage: parts.usage,
      model: parts.model || entry.model,
      servedBy: entry.label,
    },
  };
}

/**
 * The outcome for a chat completion that passed `checkChatCompletion`: the first choice's text,
 * its function tool calls (and a legacy `function_call`, given the id `function_call`), the
 * finish reason mapped, usage (`prompt_tokens` / `completion_tokens`), the model and the label.
 *
 * @example
 * ```ts
 * const completion = await client.chat.completions.create(params);
 * if (!checkChatCompletion(completion)) return fromChatCompletion(entry, completion);
 * ```
 */
export function fromChatCompletion(entry: BackendEntry, completion: OpenAI.Chat.ChatCompletion): CallOutcome {
  const choice = completion.choices[0];
  const message = choice?.message;
  const toolCalls: RawToolCall[] = [];
  for (const call of message?.tool_calls ?? []) {
    if (call.type === 'function') toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments ?? '' });
  }
  if (message?.function_call) {
    toolCalls.push({ id: 'function_call', name: message.function_call.name, arguments: message.function_call.arguments ?? '' });
  }
  return chatOutcome(entry, {
    text: message?.content ?? '',
    toolCalls,
    finishReason: choice?.finish_reason,
    usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
    model: completion.model,
  });
}
