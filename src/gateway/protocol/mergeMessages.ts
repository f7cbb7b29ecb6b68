import type { NeutralMessage, NeutralPart } from '../../transports/neutral.js';

/**
 * Consecutive messages of one role as one message, parts in order. Both wire formats let a
 * client split a turn (OpenAI sends each tool result as its own `tool` message, often followed
 * by a user message; Anthropic clients may send two user messages in a row), while the neutral
 * form has one message per turn: `toAnthropicParams` reorders tool results only within a message,
 * and `toChatParams` emits a message's tool results before its text.
 *
 * @example
 * ```ts
 * mergeConsecutive([
 *   { role: 'user', content: [{ type: 'tool_result', toolCallId: 'c1', content: 'ok' }] },
 *   { role: 'user', content: [{ type: 'text', text: 'go on' }] },
 * ]); // one user message with both parts
 * ```
 */
export function mergeConsecutive(messages: readonly NeutralMessage[]): NeutralMessage[] {
  const merged: { role: NeutralMessage['role']; content: NeutralPart[] }[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last && last.role === message.role) last.content.push(...message.content);
    else merged.push({ role: message.role, content: [...message.content] });
  }
  return merged;
}
