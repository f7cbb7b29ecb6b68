import { describe, expect, it } from 'vitest';
import { checkRequestLimits, DEFAULT_MAX_REQUEST_CHARS, DEFAULT_MAX_REQUEST_DEPTH, RequestLimitError, type NeutralRequest } from '../../src/index.js';

const ask = (extra: Partial<NeutralRequest> = {}): NeutralRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 64, ...extra });

function caught(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('checkRequestLimits', () => {
  it('the defaults: 128 levels, 32 MiB', () => {
    expect(DEFAULT_MAX_REQUEST_DEPTH).toBe(128);
    expect(DEFAULT_MAX_REQUEST_CHARS).toBe(33_554_432);
    expect(checkRequestLimits(ask())).toBeUndefined();
  });

  it('a tool input that contains itself is named as circular, not walked forever', () => {
    const input: Record<string, unknown> = { path: 'a' };
    input['again'] = input;
    const error = caught(() => checkRequestLimits(ask({ messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'read', input }] }] })));
    expect(error).toBeInstanceOf(RequestLimitError);
    expect(error).toMatchObject({
      field: 'messages[0].content[0].input.again.again.again…',
      message: 'messages[0].content[0].input.again.again.again…: contains itself (a circular reference), so it nests deeper than 128 levels (limits.maxRequestDepth)',
    });
  });

  it('Infinity turns a limit off; a limit that is not a number of at least 1 is refused by name', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 1_000; i++) deep = { a: deep };
    expect(checkRequestLimits(ask({ tools: [{ name: 't', inputSchema: deep as Record<string, unknown> }] }), { maxRequestDepth: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(caught(() => checkRequestLimits(ask(), { maxRequestDepth: 0 }))).toEqual(new RangeError('limits.maxRequestDepth must be a number of at least 1 (Infinity turns the check off); got 0'));
    expect(caught(() => checkRequestLimits(ask(), { maxRequestChars: Number.NaN }))).toEqual(new RangeError('limits.maxRequestChars must be a number of at least 1 (Infinity turns the check off); got NaN'));
  });
});
