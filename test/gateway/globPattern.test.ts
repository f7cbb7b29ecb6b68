import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globPattern } from '../../src/gateway/globPattern.js';
import { fcSeed } from '../support/fcSeed.js';

const seed = fcSeed('glob patterns', 'test/gateway/globPattern.test.ts');

/** The regular expression the gateway used before: the reference for what a pattern means. */
const reference = (glob: string) => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');

describe('model-name patterns', () => {
  it('match exactly what the equivalent regular expression matches (short alphabet, so stars and literals collide)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '-', '.'), maxLength: 12 });
    const glob = fc.string({ unit: fc.constantFrom('a', 'b', '*', '-', '.'), maxLength: 8 });
    fc.assert(
      fc.property(glob, text, (g, t) => globPattern(g).test(t) === reference(g).test(t)),
      { seed, numRuns: 3000 },
    );
  });

  it('a many-star pattern against a 1 MB name that does not match answers false (the regular expression backtracks for ever)', () => {
    expect(globPattern('a*b*c*d').test(`a${'b'.repeat(1_000_000)}`)).toBe(false);
    expect(globPattern('claude-*').test('CLAUDE-sonnet-4-6')).toBe(true);
    expect(globPattern('*').test('')).toBe(true);
    expect(globPattern('gpt-4o').test('gpt-4o-mini')).toBe(false);
  });
});
