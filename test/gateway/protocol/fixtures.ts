/** Neutral answers the protocol tests write back to real SDK clients. */
import type { NeutralResponse } from '../../../src/transports/neutral.js';

/**
 * The model the writers are told served the answer (never the one the client asked for).
 *
 * @example
 * ```ts
 * openAiChatCompletion(textAnswer, { id: 'c', created: 0, model: BACKEND_MODEL });
 * ```
 */
export const BACKEND_MODEL = 'backend-model-7';

/**
 * A plain text answer.
 *
 * @example
 * ```ts
 * anthropicMessage(textAnswer, { id: 'msg_1', model: BACKEND_MODEL });
 * ```
 */
export const textAnswer: NeutralResponse = {
  text: 'Hello there, friend.',
  toolCalls: [],
  stopReason: 'end_turn',
  usage: { inputTokens: 12, outputTokens: 5 },
  model: BACKEND_MODEL,
  servedBy: 'model',
};

/**
 * Text and two tool calls, one with nested input (and a quote and a non-ASCII letter to escape)
 * and one without input.
 *
 * @example
 * ```ts
 * stream.finish(toolAnswer);
 * ```
 */
export const toolAnswer: NeutralResponse = {
  text: 'Let me look.',
  toolCalls: [
    { id: 'call_read', name: 'read_file', input: { path: 'src/a.ts', range: { from: 1, to: 20 }, tags: ['x', 'ü"'] } },
    { id: 'call_list', name: 'list_dir', input: {} },
  ],
  stopReason: 'tool_use',
  usage: { inputTokens: 40, outputTokens: 17 },
  model: BACKEND_MODEL,
  servedBy: 'fallback_providers[0]',
};

/**
 * Tool calls only, no text (what Anthropic-served tool turns often look like).
 *
 * @example
 * ```ts
 * openAiChatCompletion(toolOnlyAnswer, opts).choices[0].message.content; // null
 * ```
 */
export const toolOnlyAnswer: NeutralResponse = { ...toolAnswer, text: '' };
