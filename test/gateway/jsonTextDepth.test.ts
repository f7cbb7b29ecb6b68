import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTooDeepJsonText, tooDeepJsonMessage } from '../../src/gateway/jsonTextDepth.js';
import { findJsonShapeBreach } from '../../src/util/jsonShape.js';
import { fcSeed } from '../support/fcSeed.js';

const seed = fcSeed('json text depth', 'test/gateway/jsonTextDepth.test.ts');

/** An OpenAI chat body whose only tool's parameters nest `levels` properties deep, as text. */
function deepToolBody(levels: number): string {
  return `{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"t","parameters":${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}}}]}`;
}

describe('findTooDeepJsonText', () => {
  it('passes a body at the limit and names the container one level past it', () => {
    expect(findTooDeepJsonText('{"a":{"b":[1]}}', 3)).toBeUndefined();
    expect(findTooDeepJsonText('{"a":{"b":[[1]]}}', 3)).toEqual(['a', 'b', 0]);
    expect(findTooDeepJsonText('[1,[2,[3,[4]]]]', 3)).toEqual([1, 1, 1]);
  });

  it('is not fooled by brackets, quotes, commas and escapes inside strings', () => {
    const text = JSON.stringify({ 'k"ey': '[[[[{{{{', list: ['a,b', '\\', '"]}'], deep: { x: { y: [] } } });
    expect(findTooDeepJsonText(text, 3)).toEqual(['deep', 'x', 'y']);
    expect(findTooDeepJsonText(text, 4)).toBeUndefined();
  });

  it('decodes escaped keys for the path', () => {
    expect(findTooDeepJsonText('{"a\\"b":{"k\\u0041y":[[1]]}}', 3)).toEqual(['a"b', 'kAy', 0]);
  });

  it('a million levels deep, objects or arrays: answered after the first levels, no parse, no stack', () => {
    expect(findTooDeepJsonText(deepToolBody(1_000_000), 128)?.slice(0, 8)).toEqual(['tools', 0, 'function', 'parameters', 'properties', 'a', 'properties', 'a']);
    expect(findTooDeepJsonText('['.repeat(1_000_000) + ']'.repeat(1_000_000), 128)).toHaveLength(128);
  });

  it('unbalanced or malformed text is only judged on depth (JSON.parse refuses the rest)', () => {
    expect(findTooDeepJsonText('[[[', 8)).toBeUndefined();
    expect(findTooDeepJsonText('}}}]]][[', 1)).toEqual([0]);
  });

  it('property: agrees with the value walker on the text of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), fc.integer({ min: 1, max: 12 }), (value, maxDepth) => {
        const fromValue = findJsonShapeBreach(value, { maxDepth, maxChars: Number.POSITIVE_INFINITY });
        const fromText = findTooDeepJsonText(JSON.stringify(value), maxDepth);
        expect(fromText).toEqual(fromValue?.limit === 'depth' ? fromValue.path : undefined);
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe('tooDeepJsonMessage', () => {
  it('names the field, cut to one short line, and the limit', () => {
    expect(tooDeepJsonMessage(deepToolBody(5_000))).toBe(
      'tools[0].function.parameters.properties.a.properties.a…: nested deeper than 128 levels of objects and arrays; the gateway refuses JSON nested that deep',
    );
  });

  it('a real tool schema (30 properties deep) is not refused', () => {
    expect(tooDeepJsonMessage(deepToolBody(30))).toBeUndefined();
  });

  it('a body too deep at its top names the body', () => {
    expect(tooDeepJsonMessage('[[1]]', 1)).toBe('[0]: nested deeper than 1 levels of objects and arrays; the gateway refuses JSON nested that deep');
    expect(tooDeepJsonMessage('{}', 0)).toMatch(/^the request body: nested deeper than 0 levels/);
  });
});
