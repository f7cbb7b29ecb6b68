import type { JsonPathSegment } from './jsonPath.js';

/**
 * How deep and how large a JSON-like value may be.
 *
 * @example
 * ```ts
 * const limits: JsonShapeLimits = { maxDepth: 128, maxChars: 32 * 1024 * 1024 };
 * ```
 */
export interface JsonShapeLimits {
  /** Objects and arrays nested inside each other; the value itself is level 1. */
  readonly maxDepth: number;
  /** Characters of its JSON text, counted as {@link findJsonShapeBreach} says. */
  readonly maxChars: number;
}

/**
 * The first limit a value breaks: a branch nested deeper than `maxDepth` (the path of the first
 * container past the limit, and whether that container is one of its own ancestors), or a total
 * size over `maxChars` (with the largest string, the usual culprit).
 *
 * @example
 * ```ts
 * const breach = findJsonShapeBreach(value, limits);
 * if (breach?.limit === 'depth') console.log(formatJsonPath(breach.path));
 * ```
 */
export type JsonShapeBreach =
  | { readonly limit: 'depth'; readonly path: readonly JsonPathSegment[]; readonly circular: boolean }
  | {
      readonly limit: 'size';
      readonly chars: number;
      readonly largest: { readonly path: readonly JsonPathSegment[]; readonly chars: number } | undefined;
    };

/** A container on the way down: enough to name its path and to spot a cycle, only when one is reported. */
interface Frame {
  readonly parent: Frame | undefined;
  readonly key: JsonPathSegment | undefined;
  readonly value: object;
  readonly depth: number;
}

/**
 * Checks a value's nesting depth and size without recursion, so a value nested a million levels
 * deep (or one that contains itself) is measured in bounded stack, and stops at the first
 * container past `maxDepth`: a too-deep branch costs `maxDepth` steps, not its full depth.
 *
 * The size is a lower bound of the length of `JSON.stringify(value)`: every string and key with
 * its quotes, the brackets, colons and commas, 4 characters for `null`/`true`/`false` and 1 per
 * number; escapes, longer numbers and `toJSON` results are not counted. So a value reported too
 * large is certainly too large. Keys whose value JSON drops (`undefined`, functions, symbols) are
 * not counted. The walk reads own enumerable keys, as `JSON.stringify` does.
 *
 * @example
 * ```ts
 * let deep: unknown = 'leaf';
 * for (let i = 0; i < 5_000; i++) deep = { a: deep };
 * findJsonShapeBreach({ tools: [deep] }, { maxDepth: 128, maxChars: 1e9 });
 * // { limit: 'depth', path: ['tools', 0, 'a', 'a', …], circular: false }
 * ```
 */
export function findJsonShapeBreach(root: unknown, limits: JsonShapeLimits): JsonShapeBreach | undefined {
  // The values still to visit, as parallel stacks (no object per value on the common path).
  const values: unknown[] = [root];
  const parents: (Frame | undefined)[] = [undefined];
  const keys: (JsonPathSegment | undefined)[] = [undefined];
  let chars = 0;
  let largestChars = -1;
  let largestParent: Frame | undefined;
  let largestKey: JsonPathSegment | undefined;
  while (values.length > 0) {
    const value = values.pop();
    const parent = parents.pop();
    const key = keys.pop();
    if (typeof value === 'string') {
      chars += value.length + 2;
      if (value.length > largestChars) {
        largestChars = value.length;
        largestParent = parent;
        largestKey = key;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      chars += typeof value === 'number' || typeof value === 'bigint' ? 1 : 4;
      continue;
    }
    const frame: Frame = { parent, key, value, depth: parent === undefined ? 1 : parent.depth + 1 };
    if (frame.depth > limits.maxDepth) return { limit: 'depth', path: pathOf(frame.parent, frame.key), circular: isOwnAncestor(frame) };
    chars += 2;
    if (Array.isArray(value)) {
      chars += Math.max(0, value.length - 1);
      // Pushed last to first, so they are visited first to last (the first breach is the first in reading order).
      for (let i = value.length - 1; i >= 0; i--) {
        values.push(value[i]);
        parents.push(frame);
        keys.push(i);
      }
      continue;
    }
    const own = Object.keys(value);
    let members = 0;
    for (let i = own.length - 1; i >= 0; i--) {
      const name = own[i]!;
      const member = (value as Record<string, unknown>)[name];
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      chars += name.length + 3;
      members += 1;
      values.push(member);
      parents.push(frame);
      keys.push(name);
    }
    chars += Math.max(0, members - 1);
  }
  if (chars <= limits.maxChars) return undefined;
  return {
    limit: 'size',
    chars,
    largest: largestChars < 0 ? undefined : { path: pathOf(largestParent, largestKey), chars: largestChars },
  };
}

function pathOf(parent: Frame | undefined, key: JsonPathSegment | undefined): JsonPathSegment[] {
  const path: JsonPathSegment[] = key === undefined ? [] : [key];
  for (let frame = parent; frame !== undefined && frame.key !== undefined; frame = frame.parent) path.push(frame.key);
  return path.reverse();
}

function isOwnAncestor(frame: Frame): boolean {
  for (let up = frame.parent; up !== undefined; up = up.parent) if (up.value === frame.value) return true;
  return false;
}
