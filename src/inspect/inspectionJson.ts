import type { InspectorModules } from './inspectorModules.js';

/**
 * Turns an inspection message into JSON an inspector can read, safely: cycles and very deep
 * values are cut instead of throwing, API keys are masked (an entry built by hand has no
 * redacting `toJSON`), and unless `showConversation` is set a routed call's request and reply
 * are reduced to their shape. A routed-call actor carries the whole conversation in its context,
 * and the hosted inspector would otherwise receive the user's prompts.
 *
 * @internal
 * @example
 * ```ts
 * const toJson = inspectionJson((await loadInspectorModules()).safeStringify, { showConversation: false });
 * toJson({ request: { messages: [m1, m2], maxTokens: 64 } }); // '{"request":{"messages":2,"maxTokens":64,"conversation":"withheld"}}'
 * ```
 */
export function inspectionJson(safeStringify: InspectorModules['safeStringify'], options: { readonly showConversation: boolean }): (message: object) => string {
  // Ten levels hold every context and event of both machines; deeper values are not routing facts.
  const stringify = safeStringify.configure({ maximumDepth: 10, deterministic: false, bigint: true });
  const replacer = (key: string, value: unknown): unknown => {
    if (key === 'apiKey' && typeof value === 'string') return '***';
    if (options.showConversation || typeof value !== 'object' || value === null) return value;
    if (isRequest(value)) {
      return { messages: value.messages.length, maxTokens: value.maxTokens, ...(Array.isArray(value.tools) ? { tools: value.tools.length } : {}), conversation: 'withheld' };
    }
    if (isResponse(value)) {
      const { text, toolCalls, ...rest } = value;
      return { ...rest, text: `(${text.length} characters withheld)`, toolCalls: Array.isArray(toolCalls) ? toolCalls.length : 0 };
    }
    return value;
  };
  return (message) => stringify(message, replacer) ?? 'null';
}

function isRequest(value: object): value is { messages: readonly unknown[]; maxTokens: unknown; tools?: unknown } {
  return Array.isArray((value as { messages?: unknown }).messages) && 'maxTokens' in value;
}

function isResponse(value: object): value is { text: string; toolCalls?: unknown; servedBy: string } {
  return typeof (value as { text?: unknown }).text === 'string' && typeof (value as { servedBy?: unknown }).servedBy === 'string';
}
