import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  identify,
  modelFamily,
  modelKey,
  normalizeBaseUrl,
  normalizeModelId,
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

/** Any model string without `|`: ASCII (the default) and full Unicode graphemes. */
const modelArb = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' })).filter((m) => !m.includes('|'));

/** Randomly upper-case some ASCII letters (the only letters whose case round-trips exactly: `ß` upper-cases to `SS`). */
const asciiCaseScramble = (text: string) =>
  fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flags) =>
    [...text].map((char, i) => (flags[i] && /[a-z]/.test(char) ? char.toUpperCase() : char)).join(''),
  );
const paddingArb = fc.array(fc.constantFrom(' ', '\t', '\n', '\u00a0'), { maxLength: 3 }).map((chars) => chars.join(''));

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
      fc.property(baseArb, fc.constantFrom('anthropic', 'custom'), modelArb.filter((m) => normalizeModelId(m) !== undefined), (parts, provider, model) => {
        const identity = identify({ provider, baseUrl: spell(parts), model });
        const { model: id, modelFamily: family, ...endpointOnly } = identity;
        expect(id).toBe(normalizeModelId(model));
        expect(family).toBe(modelFamily(model));
        expect(parseEndpointKey(endpointKey(identity))).toStrictEqual(endpointOnly);
        expect(parseModelKey(modelKey(identity))).toStrictEqual(identity);
      }),
      params,
    );
  });

  it('a model key ends with the normalized model id', () => {
    const router = identify({ provider: 'openrouter' });
    fc.assert(
      fc.property(modelArb.filter((m) => normalizeModelId(m) !== undefined), (model) => {
        expect(modelKey(router, model)).toBe(`${endpointKey(router)}|${normalizeModelId(model)}`);
      }),
      params,
    );
  });

  it('respelling a model by case or surrounding whitespace keeps its model key', () => {
    const router = identify({ provider: 'openrouter' });
    const respelled = modelArb
      .filter((m) => normalizeModelId(m) !== undefined)
      .chain((model) => fc.tuple(fc.constant(model), asciiCaseScramble(model), paddingArb, paddingArb));
    fc.assert(
      fc.property(respelled, ([model, scrambled, before, after]) => {
        expect(modelKey(router, `${before}${scrambled}${after}`)).toBe(modelKey(router, model));
      }),
      params,
    );
  });

  it('two models share a model key exactly when their normalized ids are equal, whatever their families', () => {
    const router = identify({ provider: 'openrouter' });
    const named = modelArb.filter((m) => normalizeModelId(m) !== undefined);
    // half the pairs are a model and a respelling or extension of it (gpt-4o / GPT-4o / gpt-4o-mini)
    const pair = named.chain((a) =>
      fc.tuple(
        fc.constant(a),
        fc.oneof(
          named,
          fc.tuple(asciiCaseScramble(a), paddingArb).map(([b, pad]) => `${pad}${b}`),
          fc.constantFrom('-mini', '-typo', ':free', ' ').map((suffix) => `${a}${suffix}`),
        ),
      ),
    );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(modelKey(router, a) === modelKey(router, b)).toBe(normalizeModelId(a) === normalizeModelId(b));
      }),
      params,
    );
  });

  it('a normalized model id is its own normalized id', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const id = normalizeModelId(model);
        expect(normalizeModelId(id)).toBe(id);
        if (id !== undefined) {
          expect(id).toBe(id.trim());
          expect(id).toBe(id.toLowerCase());
        }
      }),
      params,
    );
  });

  it('a model family is its own family', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const family = modelFamily(model);
        if (family !== undefined) expect(modelFamily(family)).toBe(family);
      }),
      params,
    );
  });
});
