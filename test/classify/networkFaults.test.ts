/**
 * Failures before any HTTP answer, produced for real: a refused port, a `.invalid` host name,
 * a self-signed TLS server, a caller's abort, Node's own `socket hang up`, and a `fetch` timeout
 * signal. Both SDKs, `maxRetries: 0`.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyError,
  createAnthropicStreamCheck,
  createChatStreamCheck,
  type ClassifiedFailure,
} from '../../src/classify/index.js';
import {
  callWithSdk,
  FAKE_PATHS,
  FakeBackend,
  faults,
  selfSignedCertificate,
  type StartedFakeBackend,
  type WireApi,
  useFakeBackend,
} from '../support/fakeBackend.js';
import { refusedPort } from '../support/refusedPort.js';
import { advance, ioTurn, observedFetch, settledFlag, until, useVirtualTimers } from '../support/virtualTimers.js';

const APIS: readonly WireApi[] = ['anthropic', 'openai'];

function summary(failure: ClassifiedFailure | undefined): Partial<ClassifiedFailure> | undefined {
  if (!failure) return undefined;
  const { kind, reason, answered, retrySameBackend, modelSpecific, status } = failure;
  return { kind, reason, answered, retrySameBackend, modelSpecific, ...(status !== undefined ? { status } : {}) };
}

describe('nobody listening: ECONNREFUSED', () => {
  it.each(APIS)('%s → unreachable, not answered, no same-backend retry', async (api) => {
    const port = await refusedPort();
    const outcome = await callWithSdk(api, `http://127.0.0.1:${port}`);
    expect(outcome.ok).toBe(false);
    const failure = classifyError(outcome.ok ? undefined : outcome.error);
    expect(summary(failure)).toEqual({
      kind: 'unreachable',
      reason: 'econnrefused',
      answered: false,
      retrySameBackend: false,
      modelSpecific: false,
    });
    expect(failure.message).toContain(`127.0.0.1:${port}`);
  });
});

describe('a host name that does not exist: ENOTFOUND', () => {
  // RFC 2606 reserves `.invalid`; on this machine (no outside network, resolver configured)
  // getaddrinfo answers ENOTFOUND for it. The test asserts the code it got, so a machine where
  // the resolver is unreachable (EAI_AGAIN) fails loudly here instead of passing by accident.
  it.each(APIS)('%s → auth_config (a typo in the base URL)', async (api) => {
    const outcome = await callWithSdk(api, 'http://llm-backend.invalid:8082');
    const failure = classifyError(outcome.ok ? undefined : outcome.error);
    expect(summary(failure)).toEqual({
      kind: 'auth_config',
      reason: 'enotfound',
      answered: false,
      retrySameBackend: false,
      modelSpecific: false,
    });
    expect(failure.message).toContain('llm-backend.invalid');
  });
});

describe('TLS: a self-signed certificate', () => {
  it('openssl is available to make the certificate', () => {
    expect(() => execFileSync('openssl', ['version'], { stdio: 'ignore' })).not.toThrow();
  });

  const tls = selfSignedCertificate();
  const fake = new FakeBackend(tls ? { tls } : {});
  let server: StartedFakeBackend | undefined;
  beforeAll(async () => {
    if (tls) server = await fake.start();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(APIS)('%s → auth_config tls, and no HTTP request ever reached the server', async (api) => {
    expect(server?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const outcome = await callWithSdk(api, server?.url ?? 'https://127.0.0.1:1');
    const failure = classifyError(outcome.ok ? undefined : outcome.error);
    expect(summary(failure)).toEqual({ kind: 'auth_config', reason: 'tls', answered: false, retrySameBackend: false, modelSpecific: false });
    expect(failure.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(fake.count()).toBe(0);
  });
});

describe('URLs fetch refuses before the network', () => {
  it.each(APIS)('%s on a fetch-blocked port (1) → auth_config invalid_url', async (api) => {
    const outcome = await callWithSdk(api, 'http://127.0.0.1:1');
    const failure = classifyError(outcome.ok ? undefined : outcome.error);
    expect(summary(failure)).toEqual({ kind: 'auth_config', reason: 'invalid_url', answered: false, retrySameBackend: false, modelSpecific: false });
    expect(failure.message).toContain('bad port');
  });
});

describe('a connection error nothing explains', () => {
  it.each(APIS)('%s with a custom fetch that fails oddly → connection_error, no retry', async (api) => {
    const proxyFetch = async (): Promise<Response> => {
      throw new Error('proxy tunnel refused by policy');
    };
    const outcome = await callWithSdk(api, 'http://127.0.0.1:9', { fetch: proxyFetch });
    const error = outcome.ok ? undefined : outcome.error;
    expect((error as Error).message).toBe('Connection error.');
    const failure = classifyError(error);
    expect(summary(failure)).toEqual({ kind: 'backend_fault', reason: 'connection_error', answered: false, retrySameBackend: false, modelSpecific: false });
    expect(failure.message).toContain('proxy tunnel refused by policy');
  });
});

describe('the caller aborts', () => {
  const backend = useFakeBackend();
  const fake = backend.fake;

  it.each(APIS)('%s, before the headers → aborted', async (api) => {
    fake.enqueue(faults.hang());
    const controller = new AbortController();
    const call = callWithSdk(api, backend.url, { signal: controller.signal });
    await until('the fake to receive the request', () => fake.count(FAKE_PATHS[api]) === 1);
    controller.abort();
    const outcome = await call;
    const failure = classifyError(outcome.ok ? undefined : outcome.error);
    expect(summary(failure)).toEqual({ kind: 'aborted', reason: 'aborted', answered: false, retrySameBackend: false, modelSpecific: false });
    expect(fake.count(FAKE_PATHS[api])).toBe(1);
  });

  it.each(APIS)('%s, mid-stream → the SDK ends the loop quietly; finish(signal) says aborted', async (api) => {
    // Headers and one event, then silence: the abort lands while the SDK is reading the stream.
    fake.enqueue(faults.stall(1));
    const controller = new AbortController();
    const outcome = await callWithSdk(api, backend.url, { stream: true, signal: controller.signal, onEvent: () => controller.abort() });
    // Evidence for the design: no exception reaches the caller, only a short event list.
    expect(outcome.ok).toBe(true);
    expect(outcome.events.length).toBe(1);
    const check = api === 'anthropic' ? createAnthropicStreamCheck() : createChatStreamCheck();
    for (const event of outcome.events) check.observe(event);
    expect(check.finish(controller.signal)?.kind).toBe('aborted');
    // Without the signal the same events read as a truncated stream.
    expect(check.finish()?.reason).toBe('truncated_stream');
    expect(fake.count(FAKE_PATHS[api])).toBe(1);
  });

  describe('on virtual timers', () => {
    useVirtualTimers();

    it.each(APIS)('%s: the SDK timeout does not cover a body that stalls after the headers', async (api) => {
      fake.enqueue(faults.stall());
      const controller = new AbortController();
      const observed = observedFetch();
      const call = callWithSdk(api, backend.url, { timeoutMs: 100, signal: controller.signal, fetch: observed.fetch });
      const settled = settledFlag(call);
      await until('the response headers', () => observed.answered === 1);
      // Ten times the SDK's timeout passes after the headers: the request is still open.
      advance(1_000);
      await ioTurn();
      expect(observed.aborted).toBe(false);
      expect(settled()).toBe(false);
      // Only the caller's signal ends it, and that is an abort, not a backend timeout.
      controller.abort();
      const outcome = await call;
      expect(classifyError(outcome.ok ? undefined : outcome.error).kind).toBe('aborted');
    });
  });
});

describe('errors from outside the SDKs', () => {
  const backend = useFakeBackend();
  const fake = backend.fake;

  it("Node's http client: 'socket hang up' → backend_fault, retry once", async () => {
    fake.enqueue(faults.destroy());
    const error = await new Promise<unknown>((resolve) => {
      const req = http.request(`${backend.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('error', resolve);
      req.on('response', () => resolve(new Error('unexpected response')));
      req.end('{"model":"m"}');
    });
    expect((error as Error).message).toBe('socket hang up');
    expect(summary(classifyError(error))).toEqual({
      kind: 'backend_fault',
      reason: 'socket_hang_up',
      answered: false,
      retrySameBackend: true,
      modelSpecific: false,
    });
    expect(fake.count('/v1/messages')).toBe(1);
  });

  it('fetch with AbortSignal.timeout() → TimeoutError → backend_fault timeout (not a caller abort)', async () => {
    fake.enqueue(faults.hang());
    const error = await fetch(`${backend.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{"model":"m"}',
      signal: AbortSignal.timeout(150),
    }).then(
      () => new Error('unexpected response'),
      (thrown: unknown) => thrown,
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(summary(classifyError(error))).toEqual({
      kind: 'backend_fault',
      reason: 'timeout',
      answered: false,
      retrySameBackend: false,
      modelSpecific: false,
    });
  });
});
