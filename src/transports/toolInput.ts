import type { ClassifiedFailure } from '../classify/failure.js';
import { makeFailure } from '../classify/makeFailure.js';
import { DEFAULT_MAX_REQUEST_DEPTH } from '../router/requestLimits.js';
import { formatJsonPath } from '../util/jsonPath.js';
import { findJsonShapeBreach } from '../util/jsonShape.js';

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
 * Why a tool call's input from an answer cannot be passed on — it nests objects and arrays
 * deeper than the router lets a request nest (`DEFAULT_MAX_REQUEST_DEPTH`, 128) — or `undefined`.
 * Real tool inputs are a few levels deep; one nested thousands of levels overflows the stack of
 * whoever serializes it next (the gateway writing its answer, the agent sending the next turn),
 * so such an answer is the backend's malformed answer, failed over like one that is not JSON,
 * not a success that breaks later. The walk is iterative and stops at the limit.
 *
 * @example
 * ```ts
 * toolInputTooDeep({ path: 'a.txt' }); // undefined
 * ```
 */
export function toolInputTooDeep(input: unknown): string | undefined {
  const breach = findJsonShapeBreach(input, { maxDepth: DEFAULT_MAX_REQUEST_DEPTH, maxChars: Infinity });
  if (breach?.limit !== 'depth') return undefined;
  return `nested deeper than ${DEFAULT_MAX_REQUEST_DEPTH} levels of objects and arrays (at ${formatJsonPath(breach.path) || 'the top'})`;
}

/**
 * The failure for an answer whose tool call input is not valid JSON, or is nested too deep to
 * pass on ({@link toolInputTooDeep}). An answer the agent cannot
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
