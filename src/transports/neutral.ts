/**
 * The neutral request and response the router speaks, translated to and from each wire API by
 * the transports, so one turn can fail over from an Anthropic-compatible backend to an
 * OpenAI-compatible one and back.
 */

/**
 * A part of a message: text, a tool call the assistant made, or the result the user sends back.
 *
 * @example
 * ```ts
 * import type { NeutralPart } from 'llm-health-router';
 * const result: NeutralPart = { type: 'tool_result', toolCallId: 'call_1', content: '42' };
 * ```
 */
export type NeutralPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_call'; readonly id: string; readonly name: string; readonly input: unknown }
  | { readonly type: 'tool_result'; readonly toolCallId: string; readonly content: string; readonly isError?: boolean };

/**
 * One message of a conversation: the user's (text, tool results) or the assistant's (text, tool calls).
 *
 * @example
 * ```ts
 * const m: NeutralMessage = { role: 'user', content: [{ type: 'text', text: 'Hello' }] };
 * ```
 */
export interface NeutralMessage {
  readonly role: 'user' | 'assistant';
  readonly content: readonly NeutralPart[];
}

/**
 * A tool the model may call, with a JSON Schema for its input.
 *
 * @example
 * ```ts
 * const tool: NeutralTool = { name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };
 * ```
 */
export interface NeutralTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/**
 * A model call, independent of the wire API.
 *
 * @example
 * ```ts
 * const request: NeutralRequest = { system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 256 };
 * ```
 */
export interface NeutralRequest {
  readonly system?: string;
  readonly messages: readonly NeutralMessage[];
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly tools?: readonly NeutralTool[];
  /** Stream the answer (text deltas go to `onText`); the result is still one `NeutralResponse`. */
  readonly stream?: boolean;
}

/**
 * A good answer, whichever API served it.
 *
 * @example
 * ```ts
 * const { text, stopReason, model, servedBy } = await turn.main(request);
 * ```
 */
export interface NeutralResponse {
  readonly text: string;
  readonly toolCalls: readonly { readonly id: string; readonly name: string; readonly input: unknown }[];
  readonly stopReason: 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'other';
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  /** The model the backend says served the call. */
  readonly model: string;
  /** The config label of the entry that served it (`model`, `fallback_providers[0]` …). */
  readonly servedBy: string;
}
