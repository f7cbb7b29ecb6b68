import { DEFAULT_MAX_REQUEST_DEPTH } from '../router/requestLimits.js';
import { formatJsonPath, type JsonPathSegment } from '../util/jsonPath.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** How much of a key's text is decoded for the path. */
const KEY_PREFIX_CHARS = 200;

/**
 * Where a JSON text first nests objects and arrays deeper than `maxDepth` (the path of the
 * container past the limit), or `undefined` when it does not. The text is scanned, not parsed:
 * one pass over the characters up to that point, no value built, so a body nested a million
 * levels deep costs `maxDepth` levels of work and no memory (`JSON.parse` would build a million
 * objects first, about 40 MB). It does not validate: malformed JSON that is not too deep is left
 * for `JSON.parse` to refuse.
 *
 * @example
 * ```ts
 * findTooDeepJsonText('{"a":{"b":[[1]]}}', 3); // ['a', 'b', 0]: the array a.b[0] is the 4th level
 * findTooDeepJsonText('{"a":1}', 3); // undefined
 * ```
 */
export function findTooDeepJsonText(text: string, maxDepth: number): JsonPathSegment[] | undefined {
  // Per open container (by level): an array's current index, or where an object's current key
  // starts and ends in the text (decoded only if a path is reported).
  const isArray: boolean[] = [];
  const at: number[] = [];
  const keyEnd: number[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Strings are most of a body: jump to their end natively instead of reading them here.
      const end = stringEnd(text, i + 1);
      if (expectKey) {
        at[depth - 1] = i + 1;
        keyEnd[depth - 1] = end;
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth >= maxDepth) return pathTo(text, depth, isArray, at, keyEnd);
      isArray[depth] = c === OPEN_ARRAY;
      at[depth] = 0;
      keyEnd[depth] = 0;
      depth += 1;
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth -= 1;
      expectKey = false;
    } else if (c === COMMA && depth > 0) {
      if (isArray[depth - 1]) at[depth - 1]! += 1;
      else expectKey = true;
    }
  }
  return undefined;
}

/**
 * The 400 message for a JSON body nested deeper than `maxDepth` (default: the router's
 * `DEFAULT_MAX_REQUEST_DEPTH`, 128), naming the field (`tools[0].function.parameters.properties.a…`),
 * or `undefined` for a body that is not. The gateway checks every body with it before parsing.
 *
 * @example
 * ```ts
 * tooDeepJsonMessage('[[[1]]]', 2); // '[0][0]: nested deeper than 2 levels of objects and arrays; …'
 * ```
 */
export function tooDeepJsonMessage(text: string, maxDepth = DEFAULT_MAX_REQUEST_DEPTH): string | undefined {
  const path = findTooDeepJsonText(text, maxDepth);
  if (path === undefined) return undefined;
  const field = path.length > 0 ? formatJsonPath(path) : 'the request body';
  return `${field}: nested deeper than ${maxDepth} levels of objects and arrays; the gateway refuses JSON nested that deep`;
}

/** The index of the quote that closes the string whose text starts at `from` (the text's length if none does). */
function stringEnd(text: string, from: number): number {
  for (let quote = text.indexOf('"', from); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    // Escaped only if an odd number of backslashes stands right before it.
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return text.length;
}

function pathTo(text: string, depth: number, isArray: readonly boolean[], at: readonly number[], keyEnd: readonly number[]): JsonPathSegment[] {
  const path: JsonPathSegment[] = [];
  for (let level = 0; level < depth; level++) {
    // A key is shown cut anyway (formatJsonPath): a client's megabyte-long key is not decoded whole.
    const start = at[level]!;
    path.push(isArray[level] ? start : decodeKey(text.slice(start, Math.min(start + KEY_PREFIX_CHARS, Math.max(start, keyEnd[level]!)))));
  }
  return path;
}

function decodeKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
