import { isRecord } from '../../util/isRecord.js';
import { invalid, unsupported } from './fieldErrors.js';

/**
 * Refuses the Messages API options the gateway cannot honour without giving the client a
 * different kind of answer: stop sequences and a `tool_choice` other than `auto` (`none` only
 * when there are no tools, where it changes nothing). Tuning and bookkeeping (`top_p`, `top_k`,
 * `metadata`, `service_tier`, `disable_parallel_tool_use`) and `thinking` are ignored: the answer
 * simply comes without thinking blocks, which clients already handle.
 *
 * @example
 * ```ts
 * rejectUnsupportedAnthropicOptions({ stop_sequences: ['\n\nHuman:'] }, false); // throws: 'stop_sequences: ["\n\nHuman:"] is not supported …'
 * ```
 */
export function rejectUnsupportedAnthropicOptions(body: Record<string, unknown>, hasTools: boolean): void {
  const stops = body['stop_sequences'];
  if (Array.isArray(stops) && stops.length > 0) unsupported('stop_sequences', stops, 'stop sequences are not forwarded to the backends');
  else if (stops !== undefined && stops !== null && !Array.isArray(stops)) invalid('stop_sequences', stops, 'an array of strings');

  const choice = body['tool_choice'];
  if (choice === undefined || choice === null) return;
  if (!isRecord(choice)) invalid('tool_choice', choice, 'an object with a type');
  const type = choice['type'];
  if (type === 'auto' || (type === 'none' && !hasTools)) return;
  unsupported('tool_choice.type', type, 'the backends always choose freely among the tools; send {"type":"auto"} or leave it out');
}
