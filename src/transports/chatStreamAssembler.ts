import type { BackendEntry } from '../config/routerConfig.js';
import { isRecord } from '../util/isRecord.js';
import { chatOutcome, type RawToolCall } from './fromOpenAiChat.js';
import type { CallOutcome } from './transport.js';

/**
 * Builds one answer from the chunks of a Chat Completions stream (first choice only: the router
 * asks for one). It only assembles: completeness is the stream check's verdict.
 *
 * @example
 * ```ts
 * const assembler = createChatStreamAssembler(entry, (delta) => process.stdout.write(delta));
 * for await (const chunk of stream) assembler.add(chunk);
 * const outcome = assembler.outcome();
 * ```
 */
export interface ChatStreamAssembler {
  /** Takes one chunk; true when it carried content (text, a tool call, a refusal), for the first-token timer. */
  add(chunk: unknown): boolean;
  /** The answer so far as a neutral response, or a failure when a tool call's arguments are not JSON. */
  outcome(): CallOutcome;
}

/**
 * A new {@link ChatStreamAssembler}; `onText` receives every non-empty content delta, in order.
 * Tool calls are assembled by their `index`: the first delta brings the id and name, later ones
 * append to `arguments`. Usage comes from the final chunk that `stream_options.include_usage`
 * asks for.
 *
 * @example
 * ```ts
 * const assembler = createChatStreamAssembler(entry);
 * assembler.add({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] }); // true
 * ```
 */
export function createChatStreamAssembler(entry: BackendEntry, onText?: (delta: string) => void): ChatStreamAssembler {
  let text = '';
  let model: string | undefined;
  let finishReason: string | undefined;
  let usage = { inputTokens: 0, outputTokens: 0 };
  const tools = new Map<number, { id: string; name: string; arguments: string }>();

  return {
    add(chunk) {
      if (!isRecord(chunk)) return false;
      if (typeof chunk['model'] === 'string' && chunk['model']) model = chunk['model'];
      const reported = chunk['usage'];
      if (isRecord(reported)) {
        usage = {
          inputTokens: typeof reported['prompt_tokens'] === 'number' ? reported['prompt_tokens'] : usage.inputTokens,
          outputTokens: typeof reported['completion_tokens'] === 'number' ? reported['completion_tokens'] : usage.outputTokens,
        };
      }
      const choice = Array.isArray(chunk['choices'])
        ? (chunk['choices'] as unknown[]).find((c) => isRecord(c) && (c['index'] ?? 0) === 0)
        : undefined;
      if (!isRecord(choice)) return false;
      if (typeof choice['finish_reason'] === 'string') finishReason = choice['finish_reason'];
      const delta = choice['delta'];
      if (!isRecord(delta)) return false;
      let content = false;
      if (typeof delta['content'] === 'string' && delta['content']) {
        text += delta['content'];
        onText?.(delta['content']);
        content = true;
      }
      if (typeof delta['refusal'] === 'string' && delta['refusal']) content = true;
      if (Array.isArray(delta['tool_calls'])) {
        for (const call of delta['tool_calls'] as unknown[]) {
          if (!isRecord(call)) continue;
          const index = typeof call['index'] === 'number' ? call['index'] : 0;
          const tool = tools.get(index) ?? { id: '', name: '', arguments: '' };
          const fn = isRecord(call['function']) ? call['function'] : {};
          if (typeof call['id'] === 'string' && call['id']) tool.id = call['id'];
          if (typeof fn['name'] === 'string' && fn['name']) tool.name = fn['name'];
          if (typeof fn['arguments'] === 'string') tool.arguments += fn['arguments'];
          tools.set(index, tool);
          content = true;
        }
      }
      return content;
    },
    outcome() {
      const toolCalls: RawToolCall[] = [...tools.keys()].sort((a, b) => a - b).map((index) => tools.get(index) as RawToolCall);
      return chatOutcome(entry, { text, toolCalls, finishReason, usage, model });
    },
  };
}
