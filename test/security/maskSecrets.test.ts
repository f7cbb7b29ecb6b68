import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets, rememberSecret } from '../../src/security/maskSecrets.js';

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
  ])('%s', (input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
  });

  it('keeps ordinary error text, model names and request ids', () => {
    const text = 'HTTP 500 "Claude Code process exited with code 1" for claude-sonnet-4-6 (request req_011CUvK9yKj3)';
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
  });
});
