import { describe, expect, it } from 'vitest';
import { IdentityError, normalizeBaseUrl } from '../../src/identity/index.js';

describe('normalizeBaseUrl: accepted inputs', () => {
  it.each([
    // scheme and host are case-insensitive; the path is not
    ['HTTP://127.0.0.1:8082', 'http://127.0.0.1:8082'],
    ['https://API.Example.COM/v1', 'https://api.example.com/v1'],
    ['hTTpS://Example.com/Anthropic/V1', 'https://example.com/Anthropic/V1'],
    // default ports go; other ports stay, including the other scheme's default
    ['http://example.com:80', 'http://example.com'],
    ['https://example.com:443/v1', 'https://example.com/v1'],
    ['http://example.com:443', 'http://example.com:443'],
    ['https://example.com:80', 'https://example.com:80'],
    ['http://example.com:080', 'http://example.com'],
    ['http://127.0.0.1:8082', 'http://127.0.0.1:8082'],
    // every trailing slash goes; inner slashes stay
    ['http://127.0.0.1:8082/', 'http://127.0.0.1:8082'],
    ['http://127.0.0.1:8082///', 'http://127.0.0.1:8082'],
    ['http://h/v1/', 'http://h/v1'],
    ['http://h/v1//', 'http://h/v1'],
    ['http://h/a//b/', 'http://h/a//b'],
    // IPv6 keeps its brackets and is canonicalized
    ['http://[::1]:8082/', 'http://[::1]:8082'],
    ['http://[::1]:80', 'http://[::1]'],
    ['https://[2001:DB8::1]:443/v1/', 'https://[2001:db8::1]/v1'],
    ['http://[0:0:0:0:0:0:0:1]', 'http://[::1]'],
    // a DNS name's root dot is the same host
    ['https://api.anthropic.com./', 'https://api.anthropic.com'],
    ['http://127.0.0.1./', 'http://127.0.0.1'],
    // surrounding whitespace is a config-file artifact
    ['  http://h:1/v1/  ', 'http://h:1/v1'],
    ['http://h/v1\n', 'http://h/v1'],
    // WHATWG canonical forms (what fetch would send to)
    ['http://h/a/../b/./c/', 'http://h/b/c'],
    ['http://BÜCHER.example', 'http://xn--bcher-kva.example'],
    // `|` separates key parts, so it is percent-encoded (equivalent for the server)
    ['http://h/a|b', 'http://h/a%7Cb'],
    // a bare `?` or `#` carries nothing and is dropped
    ['http://h/v1?', 'http://h/v1'],
    ['http://h/v1#', 'http://h/v1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeBaseUrl(input)).toBe(expected);
    expect(normalizeBaseUrl(expected)).toBe(expected);
  });

  it('keeps the path case exactly', () => {
    expect(normalizeBaseUrl('http://h/Api/V1')).not.toBe(normalizeBaseUrl('http://h/api/v1'));
  });
});

describe('normalizeBaseUrl: rejected inputs', () => {
  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['ftp://x', 'is not an http(s) URL'],
    ['ws://127.0.0.1:8082', 'is not an http(s) URL'],
    ['localhost:8082', 'is not an http(s) URL'],
    ['127.0.0.1:8082', 'is not an http(s) URL'],
    ['http:/127.0.0.1', 'is not an http(s) URL'],
    ['//127.0.0.1:8082', 'is not an http(s) URL'],
    ['http:///x', 'has no host'],
    ['http://', 'has no host'],
    ['http://h:99999', 'is not a valid URL'],
    ['http://exa mple.com', 'whitespace or control characters'],
    ['http://h/a\tb', 'whitespace or control characters'],
    ['http://h/v1?x=1', 'query string'],
    ['http://h/v1#frag', 'fragment'],
    ['http://h..', 'invalid host'],
    ['http://a..b', 'invalid host'],
    ['http://./', 'invalid host'],
  ])('%j → error containing %j', (input, fragment) => {
    let caught: unknown;
    try {
      normalizeBaseUrl(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    const error = caught as IdentityError;
    expect(error.field).toBe('base_url');
    expect(error.message).toContain(fragment);
    expect(error.message.startsWith('base_url')).toBe(true);
  });

  it.each([
    ['http://user:secret@127.0.0.1:8082', 'http://[redacted]@127.0.0.1:8082'],
    ['https://sk-TOKEN@api.example.com/v1', 'https://[redacted]@api.example.com/v1'],
    ['http://:secret@h', 'http://[redacted]@h'],
    // Userinfo and a query: both hidden, whichever check fails first (the query used to show).
    ['https://user:pass@host/v1?key=secretvalue', 'https://[redacted]@host/v1?key=[redacted]'],
  ])('rejects credentials in %s without repeating them', (input, shown) => {
    let caught: unknown;
    try {
      normalizeBaseUrl(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    const error = caught as IdentityError;
    expect(error.value).toBe(shown);
    expect(error.message).toContain(`"${shown}"`);
    expect(error.message).toContain('credentials');
    expect(error.message).not.toMatch(/secret|TOKEN|pass/);
    expect(error.value).not.toMatch(/secret|TOKEN|pass/);
  });

  it('hides the query values, where keys hide, in the error, and names the parameters', () => {
    expect(() => normalizeBaseUrl('https://gw.example/v1?key=SECRET')).toThrow('base_url "https://gw.example/v1?key=[redacted]" has a query string');
    try {
      normalizeBaseUrl('https://gw.example/v1?key=SECRET');
    } catch (error) {
      expect((error as IdentityError).value).toBe('https://gw.example/v1?key=[redacted]');
    }
  });

  it.each([
    // Any query value goes, whatever its name: a base URL has no business carrying one.
    ['https://gw.example/v1?deployment=SECRETVALUE&x', 'https://gw.example/v1?deployment=[redacted]&[redacted]', 'has a query string'],
    ['https://gw.example/v1#SECRETVALUE', 'https://gw.example/v1#[redacted]', 'has a fragment'],
    // An @ inside the query is not userinfo: the host stays visible.
    ['https://gw.example/v1?email=a@b.example&key=SECRETVALUE', 'https://gw.example/v1?email=[redacted]&key=[redacted]', 'has a query string'],
    // Unparsable: everything up to the last @ counts as userinfo; the query it swallowed goes with it.
    ['https://user:pa?SECRETVALUE@host/v1', 'https://[redacted]@[redacted]', 'is not a valid URL'],
    ['https://exa mple.com/v1?key=SECRETVALUE', 'https://exa mple.com/v1?key=[redacted]', 'contains whitespace'],
    ['localhost:8082/v1?key=SECRETVALUE', 'localhost:8082/v1?key=[redacted]', 'is not an http(s) URL'],
    ['user:SECRETVALUE@localhost:8082', '[redacted]@localhost:8082', 'is not an http(s) URL'],
  ])('shows %s as %s in its error', (input, shown, problem) => {
    let caught: unknown;
    try {
      normalizeBaseUrl(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    expect((caught as IdentityError).value).toBe(shown);
    expect((caught as IdentityError).message).toContain(`"${shown}" ${problem}`);
    expect((caught as IdentityError).message).not.toContain('SECRET');
  });

  it('names another field when asked to', () => {
    expect(() => normalizeBaseUrl('ftp://x', 'fallback_providers[0].base_url')).toThrow(
      'fallback_providers[0].base_url "ftp://x" is not an http(s) URL',
    );
  });

  it('rejects non-strings from loosely typed config', () => {
    expect(() => normalizeBaseUrl(8082 as unknown as string)).toThrow(/base_url must be a string, got number/);
    expect(() => normalizeBaseUrl(null as unknown as string)).toThrow(/base_url must be a string, got null/);
  });
});
