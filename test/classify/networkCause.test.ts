/**
 * Pure cause-chain walking, for codes this machine cannot produce on demand (no outside
 * network, no undici Agent to shorten its header/body timeouts). The chains mirror the shapes
 * the real faults in networkFaults.test.ts produce: `APIConnectionError` → `TypeError: fetch
 * failed` → an error with a `code`.
 */
import { describe, expect, it } from 'vitest';
import { causeChain, findNetworkFailure, isTlsCode } from '../../src/classify/index.js';

const coded = (code: string, message = `${code.toLowerCase()} happened`): Error => Object.assign(new Error(message), { code });
const fetchFailed = (cause: unknown): Error => new TypeError('fetch failed', { cause });
const sdkWrapped = (cause: unknown): Error => new Error('Connection error.', { cause: fetchFailed(cause) });

describe('causeChain', () => {
  it('walks cause links outermost first', () => {
    const inner = coded('ECONNREFUSED');
    const chain = causeChain(sdkWrapped(inner));
    expect(chain).toHaveLength(3);
    expect(chain[2]).toBe(inner);
  });

  it('visits the members of an AggregateError (happy-eyeballs connect)', () => {
    const aggregate = new AggregateError([coded('ECONNREFUSED', 'connect ECONNREFUSED ::1:8082'), coded('ECONNREFUSED')], '');
    expect(causeChain(fetchFailed(aggregate)).filter((link) => (link as { code?: string }).code === 'ECONNREFUSED')).toHaveLength(2);
  });

  it('survives cycles and stops at the depth limit', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causeChain(a)).toHaveLength(2);
    let deep: Error = new Error('0');
    for (let i = 1; i < 50; i += 1) deep = new Error(String(i), { cause: deep });
    expect(causeChain(deep, 8)).toHaveLength(9);
  });
});

describe('findNetworkFailure', () => {
  it.each([
    ['ECONNREFUSED', 'unreachable', 'econnrefused', false, false],
    ['EHOSTUNREACH', 'unreachable', 'ehostunreach', false, false],
    ['ENETUNREACH', 'unreachable', 'enetunreach', false, false],
    ['EHOSTDOWN', 'unreachable', 'ehostdown', false, false],
    ['EAI_AGAIN', 'unreachable', 'eai_again', false, false],
    ['ENOTFOUND', 'auth_config', 'enotfound', false, false],
    ['ECONNRESET', 'backend_fault', 'econnreset', false, true],
    ['EPIPE', 'backend_fault', 'epipe', false, true],
    ['ECONNABORTED', 'backend_fault', 'econnaborted', false, true],
    ['UND_ERR_SOCKET', 'backend_fault', 'socket_closed', false, true],
    ['ETIMEDOUT', 'backend_fault', 'connect_timeout', false, false],
    ['UND_ERR_CONNECT_TIMEOUT', 'backend_fault', 'connect_timeout', false, false],
    ['UND_ERR_HEADERS_TIMEOUT', 'backend_fault', 'headers_timeout', false, false],
    ['UND_ERR_BODY_TIMEOUT', 'backend_fault', 'body_timeout', true, false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'auth_config', 'tls', false, false],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'auth_config', 'tls', false, false],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'auth_config', 'tls', false, false],
    ['CERT_HAS_EXPIRED', 'auth_config', 'tls', false, false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'auth_config', 'tls', false, false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'auth_config', 'tls', false, false],
    ['ERR_TLS_HANDSHAKE_TIMEOUT', 'backend_fault', 'connect_timeout', false, false],
  ] as const)('%s → %s / %s', (code, kind, reason, answered, retrySameBackend) => {
    expect(findNetworkFailure(sdkWrapped(coded(code)))).toMatchObject({ kind, reason, answered, retrySameBackend, code });
  });

  it("undici's `terminated` after the headers is a cut stream, although its cause is UND_ERR_SOCKET", () => {
    const cut = new TypeError('terminated', { cause: coded('UND_ERR_SOCKET', 'other side closed') });
    expect(findNetworkFailure(cut)).toMatchObject({ kind: 'backend_fault', reason: 'stream_cut', answered: true, retrySameBackend: true });
    expect(findNetworkFailure(cut)?.detail).toContain('other side closed');
  });

  it('`terminated` by a body timeout is a body timeout', () => {
    const cut = new TypeError('terminated', { cause: coded('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error') });
    expect(findNetworkFailure(cut)).toMatchObject({ reason: 'body_timeout', answered: true, retrySameBackend: false });
  });

  it("Node's `socket hang up` wins over its generic ECONNRESET code", () => {
    expect(findNetworkFailure(coded('ECONNRESET', 'socket hang up'))).toMatchObject({ reason: 'socket_hang_up', retrySameBackend: true });
  });

  it('the outermost known code explains the failure', () => {
    const outer = Object.assign(new Error('connect ETIMEDOUT', { cause: coded('ECONNRESET') }), { code: 'ETIMEDOUT' });
    expect(findNetworkFailure(outer)?.reason).toBe('connect_timeout');
  });

  it('unknown codes and plain errors are not network failures', () => {
    expect(findNetworkFailure(sdkWrapped(coded('ERR_SOMETHING_ELSE')))).toBeUndefined();
    expect(findNetworkFailure(new Error('nope'))).toBeUndefined();
    expect(findNetworkFailure(undefined)).toBeUndefined();
  });
});

describe('isTlsCode', () => {
  it('recognises the families and nothing else', () => {
    expect(['CERT_UNTRUSTED', 'ERR_TLS_HANDSHAKE_TIMEOUT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'].every(isTlsCode)).toBe(true);
    expect(['ECONNRESET', 'ENOTFOUND', 'UND_ERR_SOCKET'].some(isTlsCode)).toBe(false);
  });
});
