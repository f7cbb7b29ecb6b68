import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJsonPath } from '../../src/util/jsonPath.js';
import { findJsonShapeBreach } from '../../src/util/jsonShape.js';
import { fcSeed } from '../support/fcSeed.js';

const seed = fcSeed('json shape', 'test/util/jsonShape.test.ts');
const NO_SIZE_LIMIT = Number.POSITIVE_INFINITY;

/** `{ properties: { a: … } }` nested `levels` times around a leaf: 2 levels of JSON per schema level. */
function deepSchema(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) schema = { type: 'object', properties: { a: schema } };
  return schema;
}

/** The nesting depth of a JSON value, measured recursively (the reference, for small values). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, depthOf(child)), 0);
}

describe('findJsonShapeBreach: depth', () => {
  it('a value exactly at the limit passes; one level more is reported at the container past it', () => {
    expect(findJsonShapeBreach({ a: { b: [1] } }, { maxDepth: 3, maxChars: NO_SIZE_LIMIT })).toBeUndefined();
    expect(findJsonShapeBreach({ a: { b: [[1]] } }, { maxDepth: 3, maxChars: NO_SIZE_LIMIT })).toEqual({ limit: 'depth', path: ['a', 'b', 0], circular: false });
  });

  it('names the first too-deep branch in reading order', () => {
    const value = { ok: [1, 2], tools: [{ name: 'flat' }, { name: 'deep', schema: { x: { y: { z: {} } } } }] };
    expect(findJsonShapeBreach(value, { maxDepth: 5, maxChars: NO_SIZE_LIMIT })).toEqual({ limit: 'depth', path: ['tools', 1, 'schema', 'x', 'y'], circular: false });
  });

  it('a 5,000-level tool schema, a million-level array: no stack overflow, and only the first levels are read', () => {
    const breach = findJsonShapeBreach({ tools: [{ inputSchema: deepSchema(5_000) }] }, { maxDepth: 128, maxChars: NO_SIZE_LIMIT });
    expect(breach?.limit).toBe('depth');
    if (breach?.limit !== 'depth') return;
    expect(breach.path.slice(0, 6)).toEqual(['tools', 0, 'inputSchema', 'properties', 'a', 'properties']);
    expect(breach.path).toHaveLength(128);
    let array: unknown[] = [];
    for (let i = 0; i < 1_000_000; i++) array = [array];
    expect(findJsonShapeBreach(array, { maxDepth: 128, maxChars: NO_SIZE_LIMIT })).toMatchObject({ limit: 'depth', circular: false });
  });

  it('a value that contains itself is reported as circular, not walked forever', () => {
    const schema: Record<string, unknown> = { type: 'object' };
    schema['properties'] = { self: schema };
    expect(findJsonShapeBreach({ tools: [{ inputSchema: schema }] }, { maxDepth: 64, maxChars: NO_SIZE_LIMIT })).toMatchObject({ limit: 'depth', circular: true });
  });

  it('a value shared by two branches (not a cycle) is fine', () => {
    const shared = { type: 'string' };
    expect(findJsonShapeBreach({ a: shared, b: [shared, shared] }, { maxDepth: 8, maxChars: NO_SIZE_LIMIT })).toBeUndefined();
  });

  it('real agent tool schemas (30 properties deep, about 64 levels of JSON) pass the default 128', () => {
    expect(findJsonShapeBreach({ tools: [{ name: 't', inputSchema: deepSchema(30) }] }, { maxDepth: 128, maxChars: NO_SIZE_LIMIT })).toBeUndefined();
  });

  it('property: a breach is reported exactly when the value is deeper than the limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 1, max: 14 }), (value, maxDepth) => {
        const breach = findJsonShapeBreach(value, { maxDepth, maxChars: NO_SIZE_LIMIT });
        expect(breach !== undefined).toBe(depthOf(value) > maxDepth);
        if (breach?.limit === 'depth') expect(breach.path).toHaveLength(maxDepth);
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe('findJsonShapeBreach: size', () => {
  it('is the exact JSON length for ASCII text without escapes and one-digit numbers', () => {
    const value = { model: 'x', messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }], n: 1, flag: true, nothing: null };
    const length = JSON.stringify(value).length;
    expect(findJsonShapeBreach(value, { maxDepth: 64, maxChars: length })).toBeUndefined();
    expect(findJsonShapeBreach(value, { maxDepth: 64, maxChars: length - 1 })).toMatchObject({ limit: 'size', chars: length });
  });

  it('names the largest string, the usual culprit', () => {
    const value = { messages: [{ content: [{ text: 'short' }, { text: 'x'.repeat(5_000) }] }], system: 'y'.repeat(100) };
    expect(findJsonShapeBreach(value, { maxDepth: 64, maxChars: 1_000 })).toEqual({
      limit: 'size',
      chars: JSON.stringify(value).length,
      largest: { path: ['messages', 0, 'content', 1, 'text'], chars: 5_000 },
    });
  });

  it('property: never more than the real JSON length (a request refused as too large is)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const length = JSON.stringify(value).length;
        // At the real length there is no breach: the count is a lower bound.
        expect(findJsonShapeBreach(value, { maxDepth: 64, maxChars: length })).toBeUndefined();
      }),
      { seed, numRuns: 300 },
    );
  });

  it('skips members JSON drops (undefined, functions) like JSON.stringify does', () => {
    const value = { a: 'x', gone: undefined, fn: () => 1 };
    const length = JSON.stringify(value).length;
    expect(findJsonShapeBreach(value, { maxDepth: 8, maxChars: length })).toBeUndefined();
    expect(findJsonShapeBreach(value, { maxDepth: 8, maxChars: length - 1 })).toMatchObject({ chars: length });
  });
});

describe('formatJsonPath', () => {
  it('reads like the config and protocol errors: keys with dots, indexes in brackets', () => {
    expect(formatJsonPath(['tools', 0, 'function', 'parameters'])).toBe('tools[0].function.parameters');
    expect(formatJsonPath([2, 'a'])).toBe('[2].a');
  });

  it('quotes keys that are not identifiers', () => {
    expect(formatJsonPath(['properties', 'my key', 'x-y'])).toBe('properties["my key"]["x-y"]');
  });

  it('cuts long paths after 8 segments and long keys after 40 characters', () => {
    const path = formatJsonPath(['tools', 0, 'inputSchema', ...Array.from({ length: 200 }, (_, i) => (i % 2 ? 'a' : 'properties'))]);
    expect(path).toBe('tools[0].inputSchema.properties.a.properties.a.properties…');
    const long = formatJsonPath(['k'.repeat(1_000_000)]);
    expect(long).toBe(`${'k'.repeat(40)}…`);
  });

  it('never gets much past 160 characters, whatever the keys', () => {
    const path = formatJsonPath(Array.from({ length: 8 }, () => 'é'.repeat(100)));
    expect(path.length).toBeLessThanOrEqual(161);
    expect(path.endsWith('…')).toBe(true);
  });
});
