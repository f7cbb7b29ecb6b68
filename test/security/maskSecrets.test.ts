import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets, maskSecretsDeep, maskUrl, rememberSecret } from '../../src/security/maskSecrets.js';
import { fcSeed } from '../support/fcSeed.js';

const seed = fcSeed('maskSecrets', 'test/security/maskSecrets.test.ts');

describe('maskSecrets', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx. You can find your API key at …', 'Incorrect API key provided: sk-[redacted]. You can find your API key at …'],
    ['invalid x-api-key sk-ant-api03-AbC_dEf-123456789012345678', 'invalid x-api-key sk-[redacted]'],
    ['key sk-or-v1-0123456789abcdef0123456789abcdef rejected', 'key sk-[redacted] rejected'],
    ['API key not valid: AIzaSyA1234567890abcdefghijklmnopqrstu', 'API key not valid: AIza[redacted]'],
    ['groq gsk_abcdefghijklmnopqrstuv1234', 'groq gsk_[redacted]'],
    ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer [redacted]'],
    ['{"x-api-key": "plain-secret-value"}', '{"x-api-key": "[redacted]"}'],
    ['GET https://user:pw@example.com/v1?key=abc123def456&model=x', 'GET https://[redacted]@example.com/v1?key=[redacted]&model=x'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c end', 'token eyJ[redacted] end'],
    // A Basic header and a token with digits are credentials …
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
    ['invalid token 8f14e45fceea167a5a36dedd4bea2543', 'invalid token [redacted]'],
  ])('%s', (input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
  });

  it.each([
    'HTTP 500 "Claude Code process exited with code 1" for claude-sonnet-4-6 (request req_011CUvK9yKj3)',
    // … but the words "Basic" and "token" in ordinary error text are not.
    'Basic authentication failed for this endpoint',
    'Token exceeded the configured maximum; prompt is too long: 210000 tokens > 200000 maximum',
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens",
    'stream error overloaded_error: Overloaded',
    'invalid_api_key',
    'no such model: deepseek-chat-v3-0324 (see https://example.com/docs?page=models)',
    // A config error about a field named like a key names no key: the word after it is not credential-like.
    'model[0].apikey: unknown field; did you mean api_key?',
    'authorization: missing',
  ])('keeps ordinary error text: %s', (text) => {
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks configured keys of any shape, passed in or remembered, and is idempotent', () => {
    expect(maskSecrets('bad key local-key-0001 here', ['local-key-0001'])).toBe(`bad key ${MASK} here`);
    rememberSecret('remembered-key-0002');
    const once = maskSecrets('echo: remembered-key-0002');
    expect(once).toBe(`echo: ${MASK}`);
    expect(maskSecrets(once)).toBe(once);
    rememberSecret('short'); // under 8 characters: would mask words
    expect(maskSecrets('a short text')).toBe('a short text');
    rememberSecret('  Pz7-padded-Wq2x\n'); // whitespace around a key read from a file or a variable is not part of it
    expect(maskSecrets('got Pz7-padded-Wq2x.')).toBe(`got ${MASK}.`);
  });

  it('masks the part of a configured key a backend echoed truncated, if it is at least half of it', () => {
    const key = 'facade-Zq8v-2mWp-77Kd-x0Lr'; // 26 characters, no known shape
    expect(maskSecrets(`key ${key.slice(0, 13)}… is not valid`, [key])).toBe(`key ${MASK}… is not valid`);
    expect(maskSecrets(`key ****${key.slice(-14)} is not valid`, [key])).toBe(`key ****${MASK} is not valid`);
    expect(maskSecrets(`cut at ${key.slice(0, 20)}`, [key])).toBe(`cut at ${MASK}`);
    // Less than half of it says little about the key, and short runs would match ordinary text.
    expect(maskSecrets(`ends in ${key.slice(-12)}`, [key])).toBe(`ends in ${key.slice(-12)}`);
    // A 16-character key: parts of 12 characters and more go, shorter ones stay.
    expect(maskSecrets('starts facade-Zq8v-', ['facade-Zq8v-2mWp'])).toBe(`starts ${MASK}`);
    expect(maskSecrets('starts facade-Zq8v', ['facade-Zq8v-2mWp'])).toBe('starts facade-Zq8v');
  });

  it('keeps JSON valid', () => {
    const body = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx', header: 'Authorization: Bearer abcdefgh12345678', url: 'https://u:p@h/v1?key=zz' } });
    const masked = maskSecrets(body, ['abcdefghijklmnop']);
    expect(() => JSON.parse(masked) as unknown).not.toThrow();
    expect(masked).not.toMatch(/abcdefgh|12345678|u:p@|key=zz/);
  });

  it('property: a configured key of any shape, anywhere in any text, does not survive (nor does half of it)', () => {
    const keyChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~+/=:'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: keyChar, minLength: 8, maxLength: 80 }), fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (key, before, after) => {
        const masked = maskSecrets(`${before}${key}${after}`, [key]);
        const half = Math.max(12, Math.ceil(key.length / 2));
        // The surrounding text may spell part of the key by chance; only a run that starts in the key counts.
        expect(masked.includes(key)).toBe(false);
        if (!before.includes(key.slice(0, half)) && !after.includes(key.slice(0, half))) expect(masked.includes(key.slice(0, half))).toBe(false);
        expect(maskSecrets(masked, [key])).toBe(masked);
      }),
      { seed, numRuns: 300 },
    );
  });

  it('property: any part of a configured key at least half its length (and 12 characters) does not survive', () => {
    const keyChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'.split(''));
    const case_ = fc
      .string({ unit: keyChar, minLength: 13, maxLength: 80 })
      .chain((key) => {
        const shortest = Math.max(12, Math.ceil(key.length / 2));
        return fc.tuple(
          fc.constant(key),
          fc.integer({ min: shortest, max: key.length }).chain((length) => fc.tuple(fc.constant(length), fc.integer({ min: 0, max: key.length - length }))),
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 40 }),
        );
      });
    fc.assert(
      fc.property(case_, ([key, [length, from], before, after]) => {
        const part = key.slice(from, from + length);
        const masked = maskSecrets(`${before}${part}${after}`, [key]);
        if (!before.includes(part) && !after.includes(part)) expect(masked.includes(part)).toBe(false);
        expect(masked).toContain(MASK);
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe('maskSecretsDeep', () => {
  it('masks every string of a JSON value, keeps field names and other values, does not touch the input', () => {
    const view = { key: 'custom|chat_completions|http://127.0.0.1:9/v1', level: 2, lastFailure: { message: 'bad key sk-proj-abcdefghijklmnop', status: 401 }, tags: ['x', 'Bearer abcdefgh1234'], none: null };
    const masked = maskSecretsDeep(view);
    expect(masked).toEqual({ key: 'custom|chat_completions|http://127.0.0.1:9/v1', level: 2, lastFailure: { message: `bad key sk-${MASK}`, status: 401 }, tags: ['x', `Bearer ${MASK}`], none: null });
    expect(view.lastFailure.message).toBe('bad key sk-proj-abcdefghijklmnop');
    expect(maskSecretsDeep({ m: 'echo other-key-123456' }, ['other-key-123456'])).toEqual({ m: `echo ${MASK}` });
  });
});

describe('maskUrl', () => {
  it.each([
    ['https://user:pass@host/v1?key=secret&x=1', `https://${MASK}@host/v1?key=${MASK}&x=${MASK}`],
    ['http://127.0.0.1:8082', 'http://127.0.0.1:8082'],
    ['http://u:p@127.0.0.1:8082/', `http://${MASK}@127.0.0.1:8082/`],
    ['https://gw.example/sk-proj-abcdefghijklmnop/v1', `https://gw.example/sk-${MASK}/v1`],
    ['https://gw.example/v1?', 'https://gw.example/v1'], // shown as the parser reads it: an empty query is none
    ['https://gw.example/v1?empty=', 'https://gw.example/v1?empty='],
  ])('%s → %s', (input, expected) => {
    expect(maskUrl(input)).toBe(expected);
  });
});
