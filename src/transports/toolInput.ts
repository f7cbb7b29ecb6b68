import type { ClassifiedFailure } from '../classify/failure.js';
import { makeFailure } from '../classify/makeFailure.js';

/**
 * A tool call's input parsed from the JSON text the wire carries (OpenAI `arguments`, Anthropic
 * streamed `partial_json` joined). Empty text is `{}`: servers send `""` for a call without
 * arguments.
 *
 * @example
 * ```ts
 * parseToolInput('{"path":"a.txt"}'); // { ok: true, input: { path: 'a.txt' } }
 * parseToolInput('{"path":'); // { ok: false, error: SyntaxError }
 * ```
 */
export function parseToolInput(json: string): { ok: true; input: unknown } | { ok: false; error: unknown } {
  if (!json.trim()) return { ok: true, input: {} };
  try {
    return { ok: true, input: JSON.parse(json) as unknown };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * The failure for an answer whose tool call input is not valid JSON. An answer the agent cannot
 * execute is not a success; it is the backend's (or the model's) fault, and a new sample may
 * well be fine, so one retry on the same backend is allowed.
 *
 * @example
 * ```ts
 * malformedToolInput('read_file', 'Unexpected end of JSON input').reason; // 'malformed_tool_input'
 * ```
 */
export function malformedToolInput(name: string, detail: string): ClassifiedFailure {
  return makeFailure({
    kind: 'backend_fault',
    reason: 'malformed_tool_input',
    message: `tool call "${name}" has input that is not valid JSON: ${detail}`,
    answered: true,
    retrySameBackend: true,
  });
}
