/** Pure parsers behind `cooldownHintMs`; the SDK-driven 429 rows live in sdkFaults.test.ts. */
import { describe, expect, it } from 'vitest';
import {
  clampHint,
  cooldownHintFromHeaders,
  parseGoDuration,
  parseResetDuration,
  parseRetryAfter,
  type ClassifyOptions,
} from '../../src/classify/index.js';

const NOW = Date.parse('2030-06-01T12:00:00Z');
const OPTIONS: ClassifyOptions = { crashSignatures: [], hintBounds: { minMs: 1_000, maxMs: 600_000 }, now: () => NOW };

describe('parseGoDuration', () => {
  it.each([
    ['6m0s', 360_000],
    ['1.5s', 1_500],
    ['12ms', 12],
    ['1h2m3s', 3_723_000],
    ['2m59.56s', 179_560],
    ['250us', 0.25],
    ['250µs', 0.25],
    ['100ns', 0.0001],
    ['.5s', 500],
    ['0', 0],
    ['0s', 0],
  ])('%s → %s ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '5', '-1s', '1d', 's', '1.5', '6m 0s', 'soon', '1h2x'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('parseResetDuration', () => {
  it('accepts Go durations and bare seconds', () => {
    expect(parseResetDuration('6m0s')).toBe(360_000);
    expect(parseResetDuration('20')).toBe(20_000);
    expect(parseResetDuration('0.5')).toBe(500);
    expect(parseResetDuration('later')).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads delay seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1_500);
  });
  it('reads an HTTP date against the given clock', () => {
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
  });
  it('a date in the past is no wait at all', () => {
    expect(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
  });
  it('rejects garbage', () => {
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('cooldownHintFromHeaders', () => {
  const hint = (headers: Record<string, string>): number | undefined => cooldownHintFromHeaders(new Headers(headers), OPTIONS);

  it('prefers retry-after-ms, then retry-after, then per-limit resets', () => {
    expect(hint({ 'retry-after-ms': '1500', 'retry-after': '9', 'x-ratelimit-reset-requests': '30s' })).toBe(1_500);
    expect(hint({ 'retry-after': '9', 'x-ratelimit-reset-requests': '30s' })).toBe(9_000);
    expect(hint({ 'retry-after': 'garbage', 'x-ratelimit-reset-requests': '30s' })).toBe(30_000);
  });

  it('anthropic-ratelimit-*-reset: the latest reset among the exhausted limits', () => {
    expect(
      hint({
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': new Date(NOW + 20_000).toISOString(),
        'anthropic-ratelimit-output-tokens-remaining': '0',
        'anthropic-ratelimit-output-tokens-reset': new Date(NOW + 45_000).toISOString(),
        'anthropic-ratelimit-input-tokens-remaining': '500000',
        'anthropic-ratelimit-input-tokens-reset': new Date(NOW + 59_000).toISOString(),
      }),
    ).toBe(45_000);
  });

  it('anthropic-ratelimit-*-reset without remaining counts: the latest of all', () => {
    expect(
      hint({
        'anthropic-ratelimit-requests-reset': new Date(NOW + 3_000).toISOString(),
        'anthropic-ratelimit-tokens-reset': new Date(NOW + 40_000).toISOString(),
      }),
    ).toBe(40_000);
  });

  it('x-ratelimit-reset-*: the exhausted limit decides', () => {
    expect(
      hint({
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-remaining-tokens': '1000',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
    ).toBe(2_000);
  });

  it('x-ratelimit-reset (OpenRouter epoch milliseconds, epoch seconds, or delay seconds)', () => {
    expect(hint({ 'x-ratelimit-reset': String(NOW + 25_000) })).toBe(25_000);
    expect(hint({ 'x-ratelimit-reset': String(Math.floor((NOW + 30_000) / 1_000)) })).toBe(30_000);
    expect(hint({ 'x-ratelimit-reset': '12' })).toBe(12_000);
  });

  it('clamps both ends', () => {
    expect(hint({ 'retry-after-ms': '10' })).toBe(1_000);
    expect(hint({ 'retry-after': '86400' })).toBe(600_000);
    expect(clampHint(1234.4, OPTIONS)).toBe(1_234);
  });

  it('accepts a plain header record (node:http style)', () => {
    expect(cooldownHintFromHeaders({ 'Retry-After': '4', other: ['a', 'b'] }, OPTIONS)).toBe(4_000);
    expect(cooldownHintFromHeaders({ 'retry-after': ['5', '6'] }, OPTIONS)).toBe(5_000);
  });

  it('no usable header → undefined', () => {
    expect(hint({})).toBeUndefined();
    expect(hint({ 'x-ratelimit-reset-requests': 'whenever' })).toBeUndefined();
    expect(cooldownHintFromHeaders(undefined, OPTIONS)).toBeUndefined();
  });

  it('uses Date.now when no clock is injected', () => {
    const before = Date.now();
    const at = new Date(before + 120_000).toUTCString(); // HTTP dates have one-second resolution
    const ms = cooldownHintFromHeaders(new Headers({ 'retry-after': at }));
    const after = Date.now();
    // The hint is the date less the clock's reading, taken between `before` and `after` however long that took.
    expect(ms).toBeGreaterThanOrEqual(Date.parse(at) - after);
    expect(ms).toBeLessThanOrEqual(Date.parse(at) - before);
    expect(Date.parse(at) - before).toBeGreaterThan(119_000);
  });
});
