/**
 * Failures inside this process: what `classifyError` calls `local` on its own (programming errors
 * no network failure explains), what `classifyUnsentError` makes of anything thrown before the
 * request was sent, and how their messages are made safe to show. The real-SDK side (a schema
 * nested 5,000 deep through both SDKs, 0 requests at the server) is in
 * test/transports/sdkTransport.unsent.test.ts.
 */
import { APIConnectionError, APIUserAbortError, InternalServerError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/classifyError.js';
import { classifyUnsentError } from '../../src/classify/classifyUnsentError.js';
import { isProgrammingError } from '../../src/classify/localFailure.js';
import { failureScope } from '../../src/identity/failureScope.js';
import { withoutFilePaths } from '../../src/util/withoutFilePaths.js';

function stackOverflow(): RangeError {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 200_000; i++) deep = { a: deep };
  try {
    JSON.stringify(deep);
  } catch (error) {
    return error as RangeError;
  }
  throw new Error('JSON.stringify did not overflow');
}

describe('classifyError: programming errors of this process are local', () => {
  it.each([
    ['a stack overflow in JSON.stringify', stackOverflow(), 'RangeError: Maximum call stack size exceeded'],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'content')"), "TypeError: Cannot read properties of undefined (reading 'content')"],
    ['a ReferenceError', new ReferenceError('x is not defined'), 'ReferenceError: x is not defined'],
    ['a RangeError subclass (shown by its name, as String(error) would)', new (class ArgumentRangeError extends RangeError {})('bad'), 'RangeError: bad'],
  ])('%s → local / internal_error, recorded nowhere', (_name, error, text) => {
    const failure = classifyError(error);
    expect(failure).toEqual({ kind: 'local', reason: 'internal_error', message: `internal error: ${text}`, answered: false, modelSpecific: false, retrySameBackend: false });
    expect(failureScope(failure, 'endpoint')).toBe('none');
    expect(failureScope(failure, 'model')).toBe('none');
  });

  it("undici's network wrappers stay the network's: fetch failed, terminated", () => {
    expect(isProgrammingError(new TypeError('fetch failed'))).toBe(false);
    expect(classifyError(new TypeError('fetch failed'))).toMatchObject({ kind: 'backend_fault', reason: 'unknown' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyError(new TypeError('fetch failed', { cause: refused }))).toMatchObject({ kind: 'unreachable', reason: 'econnrefused' });
    expect(classifyError(new TypeError('terminated'))).toMatchObject({ kind: 'backend_fault', reason: 'stream_cut', answered: true });
  });

  it('SDK errors, statuses and plain Errors are not local', () => {
    expect(classifyError(new APIConnectionError({ message: 'Connection error.', cause: new TypeError('boom') }))).toMatchObject({ kind: 'backend_fault', reason: 'connection_error' });
    expect(classifyError(new InternalServerError(500, { type: 'error', error: { type: 'api_error', message: 'x' } }, undefined, new Headers()))).toMatchObject({ kind: 'backend_fault', status: 500 });
    expect(classifyError(new Error('something odd happened'))).toMatchObject({ kind: 'backend_fault', reason: 'unknown' });
    expect(classifyError(new SyntaxError('Unexpected end of JSON input'))).toMatchObject({ kind: 'backend_fault', reason: 'malformed_body' });
  });

  it('a crash signature still wins (the backend said its process died)', () => {
    expect(classifyError(new TypeError('Claude Code process exited with code 1'))).toMatchObject({ kind: 'crash' });
  });
});

describe('classifyUnsentError: thrown before the request was sent', () => {
  it('anything that would have blamed a backend is local / not_sent', () => {
    expect(classifyUnsentError(stackOverflow())).toEqual({
      kind: 'local',
      reason: 'not_sent',
      message: 'not sent: RangeError: Maximum call stack size exceeded',
      answered: false,
      modelSpecific: false,
      retrySameBackend: false,
    });
    expect(classifyUnsentError(new Error('apiKey is required'))).toMatchObject({ kind: 'local', reason: 'not_sent', message: 'not sent: Error: apiKey is required' });
    expect(classifyUnsentError('a thrown string')).toMatchObject({ kind: 'local', reason: 'not_sent', message: 'not sent: a thrown string' });
    expect(classifyUnsentError(new TypeError("Converting circular structure to JSON --> starting at object with constructor 'Object'"))).toMatchObject({ kind: 'local', reason: 'not_sent' });
  });

  it("the caller's abort stays aborted, the SDK's own refusal of the request stays a request fault", () => {
    expect(classifyUnsentError(new APIUserAbortError())).toMatchObject({ kind: 'aborted' });
    expect(classifyUnsentError(new Error('Streaming is required for operations that may take longer than 10 minutes.'))).toMatchObject({
      kind: 'request_fault',
      reason: 'streaming_required',
    });
  });

  it('an error whose getters throw is still classified', () => {
    const hostile = new Proxy(new TypeError('x'), {
      get(target, key) {
        if (key === 'message') throw new Error('no');
        return Reflect.get(target, key);
      },
    });
    expect(classifyUnsentError(hostile).kind).toMatch(/^(local|backend_fault)$/);
    expect(failureScope(classifyUnsentError(hostile))).not.toBe('endpoint');
  });
});

describe('local failure messages name no file path', () => {
  it('paths in the error are replaced by <path>', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'x') in /srv/router/node_modules/openai/client.mjs");
    expect(classifyError(error).message).toBe("internal error: TypeError: Cannot read properties of undefined (reading 'x') in <path>");
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/home/me/.llm-health-router/journal.jsonl'"), { code: 'ENOENT' });
    expect(classifyUnsentError(enoent).message).toBe("not sent: Error: ENOENT: no such file or directory, open '<path>'");
  });

  it('withoutFilePaths: file URLs, POSIX and Windows paths go; URLs and API paths stay', () => {
    expect(withoutFilePaths('at file:///work/main/node_modules/x.mjs:16:20')).toBe('at <path>');
    expect(withoutFilePaths('EROFS: read-only file system, open /tmp/ro/health.jsonl')).toBe('EROFS: read-only file system, open <path>');
    expect(withoutFilePaths('cannot open C:\\Users\\me\\journal.jsonl now')).toBe('cannot open <path> now');
    expect(withoutFilePaths('connect ECONNREFUSED http://127.0.0.1:8082/v1/messages')).toBe('connect ECONNREFUSED http://127.0.0.1:8082/v1/messages');
    expect(withoutFilePaths('POST /v1 is not served')).toBe('POST /v1 is not served');
  });
});
