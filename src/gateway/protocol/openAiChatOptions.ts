import { isRecord } from '../../util/isRecord.js';
import { invalid, unsupported } from './fieldErrors.js';
import { readOptionalInteger } from './fieldReaders.js';

/**
 * Refuses the Chat Completions options the gateway cannot honour without giving the client a
 * different kind of answer than it asked for: more than one choice (`n`), stop sequences,
 * `response_format` other than text, `logprobs`, audio output, a `tool_choice` other than
 * `auto`, and legacy `functions` / `function_call`. Options that only tune sampling or
 * bookkeeping (`top_p`, `seed`, penalties, `user`, `metadata`, `store`, `parallel_tool_calls`,
 * `reasoning_effort` …) are ignored: the neutral request has no place for them and the answer
 * keeps its shape without them. `tool_choice: "none"` is accepted only when there are no tools,
 * where it changes nothing.
 *
 * @example
 * ```ts
 * rejectUnsupportedChatOptions({ model: 'm', messages: [], n: 2 }, false); // throws: 'n: 2 is not supported by this gateway (…)'
 * ```
 */
export function rejectUnsupportedChatOptions(body: Record<string, unknown>, hasTools: boolean): void {
  const n = readOptionalInteger(body['n'], 'n', 1);
  if (n !== undefined && n > 1) unsupported('n', n, 'the gateway returns exactly one choice; send n: 1 or leave it out');

  const stop = body['stop'];
  if (typeof stop === 'string' ? stop.length > 0 : Array.isArray(stop) && stop.length > 0) {
    unsupported('stop', stop, 'stop sequences are not forwarded to the backends');
  } else if (stop !== undefined && stop !== null && typeof stop !== 'string' && !Array.isArray(stop)) {
    invalid('stop', stop, 'a string or an array of strings');
  }

  const format = body['response_format'];
  if (format !== undefined && format !== null) {
    if (!isRecord(format)) invalid('response_format', format, 'an object');
    if (format['type'] !== 'text') unsupported('response_format.type', format['type'], 'structured output is not routed; only "text"');
  }

  if (body['logprobs'] === true) unsupported('logprobs', true, 'log probabilities are not available from every backend');

  const modalities = body['modalities'];
  if (Array.isArray(modalities) && modalities.some((m) => m !== 'text')) unsupported('modalities', modalities, 'only text output is routed');
  if (body['audio'] !== undefined && body['audio'] !== null) unsupported('audio', body['audio'], 'only text output is routed');

  const choice = body['tool_choice'];
  if (choice !== undefined && choice !== null && choice !== 'auto' && !(choice === 'none' && !hasTools)) {
    unsupported('tool_choice', choice, 'the backends always choose freely among the tools; send "auto" or leave it out');
  }

  for (const legacy of ['functions', 'function_call'] as const) {
    const value = body[legacy];
    if (value !== undefined && value !== null) unsupported(legacy, value, 'legacy function calling; send tools');
  }
}
