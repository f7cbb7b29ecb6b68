import type { NeutralTool } from '../../transports/neutral.js';
import { at, invalid, unsupported } from './fieldErrors.js';
import { readOptionalArray, readOptionalString, readRecord, readString } from './fieldReaders.js';

/**
 * The neutral tools of a Messages API `tools` array (`undefined` when absent or empty):
 * `{name, description, input_schema}` → `{name, description, inputSchema}`, with `type` absent or
 * `custom`. Anthropic's server tools (`web_search_20250305`, `bash_20250124` …) are refused:
 * only Anthropic can run them, and the request may be routed elsewhere.
 *
 * @example
 * ```ts
 * anthropicTools([{ name: 'read_file', input_schema: { type: 'object' } }], 'tools');
 * // [{ name: 'read_file', inputSchema: { type: 'object' } }]
 * ```
 */
export function anthropicTools(value: unknown, path: string): NeutralTool[] | undefined {
  const list = readOptionalArray(value, path, 'an array of tools');
  if (!list || list.length === 0) return undefined;
  return list.map((item, index) => {
    const here = at(path, index);
    const tool = readRecord(item, here, 'a tool object');
    const type = tool['type'];
    if (type !== undefined && type !== null && type !== 'custom') {
      if (typeof type === 'string') unsupported(at(here, 'type'), type, 'server tools run only on Anthropic; declare client tools with input_schema');
      invalid(at(here, 'type'), type, '"custom" or no type');
    }
    const description = readOptionalString(tool['description'], at(here, 'description'));
    return {
      name: readString(tool['name'], at(here, 'name'), { nonEmpty: true }),
      ...(description !== undefined ? { description } : {}),
      inputSchema: readRecord(tool['input_schema'], at(here, 'input_schema'), 'a JSON Schema object'),
    };
  });
}
