import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  identify,
  modelFamily,
  modelKey,
  normalizeBaseUrl,
  parseEndpointKey,
  parseModelKey,
} from '../../src/identity/index.js';
import { fcSeed } from '../support/fcSeed.js';

const seed = fcSeed('identity properties', 'test/identity/properties.test.ts');
const params = { seed, numRuns: 300 };

/** Randomly upper-case some letters: scheme and host are case-insensitive. */
const caseScramble = (text: string) =>
  fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flags) =>
    [...text].map((char, i) => (flags[i] ? char.toUpperCase() : char)).join(''),
  );

const hostArb = fc.oneof(
  fc.domain(),
  fc.ipV4(),
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.constantFrom('localhost', 'api.anthropic.com', 'openrouter.ai'),
);
const pathArb = fc.array(fc.webSegment(), { maxLength: 4 }).map((segments) => segments.map((s) => `/${s}`).join(''));

/** A base URL in canonical spelling, plus the parts needed to respell it. */
const baseArb = fc.record({
  scheme: fc.constantFrom('http', 'https'),
  host: hostArb,
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  path: pathArb,
});

const spell = (parts: { scheme: string; host: string; port: number | undefined; path: string }, extra = '') =>
  `${parts.scheme}://${parts.host}${parts.port === undefined ? '' : `:${parts.port}`}${parts.path}${extra}`;

describe('properties', () => {
  it('normalizeBaseUrl is idempotent and never throws on valid web URLs', () => {
    fc.assert(
      fc.property(fc.oneof(baseArb.map((p) => spell(p)), fc.webUrl()), fc.nat(3), (url, slashes) => {
        const once = normalizeBaseUrl(url + '/'.repeat(slashes));
        expect(normalizeBaseUrl(once)).toBe(once);
        expect(once.endsWith('/')).toBe(false);
        expect(once).not.toContain('|');
      }),
      params,
    );
  });

  it('keys are stable under scheme/host case, an added default port and trailing slashes', () => {
    const respelled = baseArb.chain((parts) =>
      fc.record({
        parts: fc.constant(parts),
        scheme: caseScramble(parts.scheme),
        host: caseScramble(parts.host),
        addDefaultPort: fc.boolean(),
        slashes: fc.nat(3),
      }),
    );
    fc.assert(
      fc.property(
        respelled,
        fc.constantFrom('anthropic', 'custom', 'openrouter'),
        fc.constantFrom(undefined, 'anthropic_messages', 'chat_completions', 'responses'),
        fc.constantFrom('claude-sonnet-4-6', 'qwen3:32b', 'gpt-4.1'),
        ({ parts, scheme, host, addDefaultPort, slashes }, provider, apiMode, model) => {
          const canonical = identify({ provider, apiMode, model, baseUrl: spell(parts) });
          const port = parts.port ?? (addDefaultPort ? (parts.scheme === 'http' ? 80 : 443) : undefined);
          const variant = identify({
            provider: provider.toUpperCase(),
            apiMode: apiMode?.toUpperCase(),
            model: model.toUpperCase(),
            baseUrl: spell({ scheme, host, port, path: parts.path }, '/'.repeat(slashes)),
          });
          expect(endpointKey(variant)).toBe(endpointKey(canonical));
          expect(modelKey(variant)).toBe(modelKey(canonical));
        },
      ),
      params,
    );
  });

  it('keys parse back to the identity they came from', () => {
    fc.assert(
      fc.property(baseArb, fc.constantFrom('anthropic', 'custom'), fc.string({ minLength: 1 }).filter((m) => !m.includes('|') && modelFamily(m) !== undefined), (parts, provider, model) => {
        const identity = identify({ provider, baseUrl: spell(parts), model });
        const { modelFamily: _family, ...endpointOnly } = identity;
        expect(parseEndpointKey(endpointKey(identity))).toStrictEqual(endpointOnly);
        expect(parseModelKey(modelKey(identity))).toStrictEqual(identity);
      }),
      params,
    );
  });

  it('a model family is its own family', () => {
    fc.assert(
      fc.property(fc.string().filter((m) => !m.includes('|')), (model) => {
        const family = modelFamily(model);
        if (family !== undefined) expect(modelFamily(family)).toBe(family);
      }),
      params,
    );
  });
});
