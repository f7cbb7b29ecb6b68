import type { NeutralTool } from '../../transports/neutral.js';
import { at, invalid, unsupported } from './fieldErrors.js';
import { readOptionalArray, readOptionalString, readRecord, readString } from './fieldReaders.js';

/**
 * The schema of a function declared without `parameters`: OpenAI reads that as "no arguments",
 * while Anthropic requires an `input_schema` object, so the neutral tool gets an empty object
 * schema that means the same on both.
 *
 * @example
 * ```ts
 * { name: 'now', inputSchema: NO_PARAMETERS }; // a tool that takes no input
 * ```
 */
export const NO_PARAMETERS: Readonly<Record<string, unknown>> = Object.freeze({ type: 'object', properties: {} });

/**
 * The neutral tools of a Chat Completions `tools` array (`undefined` when absent, null or empty):
 * `{type:'function', function:{name, description, parameters}}` → `{name, description,
 * inputSchema}`. `strict` is dropped (Anthropic backends have no such switch); `custom` tools are
 * refused.
 *
 * @example
 * ```ts
 * chatTools([{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }], 'tools');
 * // [{ name: 'read_file', inputSchema: { type: 'object' } }]
 * ```
 */
export function chatTools(value: unknown, path: string): NeutralTool[] | undefined {
  const list = readOptionalArray(value, path, 'an array of tools');
  if (!list || list.length === 0) return undefined;
  return list.map((item, index) => {
    const here = at(path, index);
    const tool = readRecord(item, here, 'a tool object');
    const type = tool['type'];
    if (type !== 'function') {
      if (typeof type === 'string') unsupported(at(here, 'type'), type, 'only function tools are routed');
      invalid(at(here, 'type'), type, '"function"');
    }
    const fnPath = at(here, 'function');
    const fn = readRecord(tool['function'], fnPath, 'an object with name, description and parameters');
    const description = readOptionalString(fn['description'], at(fnPath, 'description'));
    const parameters = fn['parameters'];
    const inputSchema =
      parameters === undefined || parameters === null ? NO_PARAMETERS : readRecord(parameters, at(fnPath, 'parameters'), 'a JSON Schema object');
    return {
      name: readString(fn['name'], at(fnPath, 'name'), { nonEmpty: true }),
      ...(description !== undefined ? { description } : {}),
      inputSchema,
    };
  });
}
