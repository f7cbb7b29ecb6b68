import type { BackendEntry } from '../config/routerConfig.js';
import { isRecord } from '../util/isRecord.js';
import { anthropicUsage } from './fromAnthropic.js';
import { anthropicStopReason } from './stopReason.js';
import { failedOutcome } from './failedOutcome.js';
import { malformedToolInput, parseToolInput, toolInputTooDeep } from './toolInput.js';
import type { CallOutcome } from './transport.js';

/**
 * Builds one answer from the events of an Anthropic Messages stream, as the SDK yields them.
 * It only assembles: whether the stream was complete is the stream check's verdict, asked
 * before {@link AnthropicStreamAssembler.outcome}.
 *
 * @example
 * ```ts
 * const assembler = createAnthropicStreamAssembler(entry, (delta) => process.stdout.write(delta));
 * for await (const event of stream) assembler.add(event);
 * const outcome = assembler.outcome();
 * ```
 */
export interface AnthropicStreamAssembler {
  /** Takes one event; true when it carried content (text, a tool call, thinking), for the first-token timer. */
  add(event: unknown): boolean;
  /** The answer so far as a neutral response, or a failure when a tool call's input is not JSON. */
  outcome(): CallOutcome;
}

interface ToolBlock {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  json: string;
}

/**
 * A new {@link AnthropicStreamAssembler}; `onText` receives every non-empty text delta, in order,
 * as it arrives.
 *
 * @example
 * ```ts
 * const assembler = createAnthropicStreamAssembler(entry);
 * assembler.add({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }); // true
 * ```
 */
export function createAnthropicStreamAssembler(entry: BackendEntry, onText?: (delta: string) => void): AnthropicStreamAssembler {
  let text = '';
  let model: string | undefined;
  let stopReason: string | undefined;
  let usage: Record<string, number | null | undefined> = {};
  // By block index: deltas name the block they belong to.
  const tools = new Map<number, ToolBlock>();

  const addUsage = (value: unknown): void => {
    if (!isRecord(value)) return;
    // message_delta usage is cumulative: later figures replace earlier ones, absent ones do not erase.
    for (const [key, figure] of Object.entries(value)) if (typeof figure === 'number') usage = { ...usage, [key]: figure };
  };

  return {
    add(event) {
      if (!isRecord(event)) return false;
      switch (event['type']) {
        case 'message_start': {
          const message = event['message'];
          if (isRecord(message)) {
            if (typeof message['model'] === 'string' && message['model']) model = message['model'];
            addUsage(message['usage']);
          }
          return false;
        }
        case 'content_block_start': {
          const block = event['content_block'];
          const index = event['index'];
          if (!isRecord(block)) return false;
          if (block['type'] === 'tool_use' && typeof index === 'number') {
            tools.set(index, { id: String(block['id'] ?? ''), name: String(block['name'] ?? ''), input: block['input'], json: '' });
          }
          if (block['type'] === 'text') {
            const initial = typeof block['text'] === 'string' ? block['text'] : '';
            if (initial) emit(initial);
            return initial.length > 0;
          }
          return true;
        }
        case 'content_block_delta': {
          const delta = event['delta'];
          if (!isRecord(delta)) return false;
          if (delta['type'] === 'text_delta' && typeof delta['text'] === 'string') {
            if (delta['text']) emit(delta['text']);
            return delta['text'].length > 0;
          }
          if (delta['type'] === 'input_json_delta' && typeof delta['partial_json'] === 'string') {
            const tool = typeof event['index'] === 'number' ? tools.get(event['index']) : undefined;
            if (tool) tool.json += delta['partial_json'];
          }
          return true;
        }
        case 'message_delta': {
          const delta = event['delta'];
          if (isRecord(delta) && typeof delta['stop_reason'] === 'string') stopReason = delta['stop_reason'];
          addUsage(event['usage']);
          return false;
        }
        default:
          return false;
      }
    },
    outcome() {
      const toolCalls: { id: string; name: string; input: unknown }[] = [];
      for (const index of [...tools.keys()].sort((a, b) => a - b)) {
        const tool = tools.get(index) as ToolBlock;
        // Without any input_json_delta the start event's `input` is the whole input.
        const parsed = tool.json ? parseToolInput(tool.json) : { ok: true as const, input: tool.input ?? {} };
        if (!parsed.ok) return { ok: false, failure: malformedToolInput(tool.name, String(parsed.error)), error: parsed.error };
        const tooDeep = toolInputTooDeep(parsed.input);
        if (tooDeep !== undefined) return failedOutcome(malformedToolInput(tool.name, tooDeep));
        toolCalls.push({ id: tool.id, name: tool.name, input: parsed.input });
      }
      return {
        ok: true,
        response: {
          text,
          toolCalls,
          stopReason: anthropicStopReason(stopReason),
          usage: anthropicUsage(usage),
          model: model ?? entry.model,
          servedBy: entry.label,
        },
      };
    },
  };

  function emit(delta: string): void {
    text += delta;
    onText?.(delta);
  }
}
