import type { NeutralRequest } from '../transports/neutral.js';
import type { CallLimits } from '../transports/transport.js';
import { formatJsonPath } from '../util/jsonPath.js';
import { findJsonShapeBreach } from '../util/jsonShape.js';
import { RequestLimitError } from './errors.js';

/**
 * The default `limits.maxRequestDepth`: room for JSON Schemas four times as deep as real agent
 * tools use (a schema nested 30 properties deep is about 64 levels of JSON), far below the few
 * thousand levels at which `JSON.stringify` runs out of stack.
 *
 * @example
 * ```ts
 * createHealthRouter({ config, transport, limits: { maxRequestDepth: DEFAULT_MAX_REQUEST_DEPTH * 2 } });
 * ```
 */
export const DEFAULT_MAX_REQUEST_DEPTH = 128;

/**
 * The default `limits.maxRequestChars`: 32 MiB of JSON, the Anthropic Messages API's own request
 * limit (a larger request would be refused by the provider anyway, after the upload).
 *
 * @example
 * ```ts
 * DEFAULT_MAX_REQUEST_CHARS; // 33554432
 * ```
 */
export const DEFAULT_MAX_REQUEST_CHARS = 32 * 1024 * 1024;

/**
 * Refuses a request that is nested too deep or too large, before anything runs: throws a
 * {@link RequestLimitError} naming the field, returns nothing otherwise. `turn.main()` (neutral
 * form), `turn.title()` and `turn.auxiliary()` call it first, with the router's `limits`; call it
 * yourself before `transport.call()` when you use a transport without a router.
 *
 * The walk is iterative (a request nested a million levels deep, or one containing itself, is
 * measured in bounded stack, and a too-deep branch costs only `maxRequestDepth` steps) and reads
 * every value once: 20–30 µs for a typical 30 KB request, a fifth of `JSON.stringify` of it (`docs/benchmarks.md`). The size is a
 * lower bound of the request's JSON length (escapes and digits of numbers are not counted), so a
 * request refused as too large certainly is.
 *
 * @example
 * ```ts
 * import { checkRequestLimits } from 'llm-health-router';
 * checkRequestLimits(request, { maxRequestDepth: 64 });
 * // throws RequestLimitError: tools[0].inputSchema.properties.a.properties.a.properties…: nested deeper than 64 levels (limits.maxRequestDepth)
 * ```
 */
export function checkRequestLimits(request: NeutralRequest, limits: Pick<CallLimits, 'maxRequestDepth' | 'maxRequestChars'> = {}): void {
  const maxDepth = limitValue('maxRequestDepth', limits.maxRequestDepth, DEFAULT_MAX_REQUEST_DEPTH);
  const maxChars = limitValue('maxRequestChars', limits.maxRequestChars, DEFAULT_MAX_REQUEST_CHARS);
  const breach = findJsonShapeBreach(request, { maxDepth, maxChars });
  if (breach === undefined) return;
  if (breach.limit === 'depth') {
    const field = formatJsonPath(breach.path);
    const what = breach.circular ? 'contains itself (a circular reference), so it nests' : 'nested';
    throw new RequestLimitError(`${field}: ${what} deeper than ${maxDepth} levels (limits.maxRequestDepth)`, field, 'maxRequestDepth', maxDepth);
  }
  const field = breach.largest ? formatJsonPath(breach.largest.path) : '';
  const largest = breach.largest ? `; its largest field is ${field} (${count(breach.largest.chars)} characters)` : '';
  throw new RequestLimitError(
    `the request is at least ${count(breach.chars)} characters of JSON, more than ${count(maxChars)} (limits.maxRequestChars)${largest}`,
    field,
    'maxRequestChars',
    maxChars,
  );
}

function limitValue(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 1) {
    throw new RangeError(`limits.${name} must be a number of at least 1 (Infinity turns the check off); got ${String(value)}`);
  }
  return value;
}

const count = (n: number): string => n.toLocaleString('en-US');
