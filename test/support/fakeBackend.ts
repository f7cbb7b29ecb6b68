/**
 * Test-only helpers around the public fake backend: a self-signed certificate for TLS faults and
 * a driver that makes one call with a real SDK.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { FakeBackend, type FakeBackendOptions, type StartedFakeBackend, type WireApi } from '../../src/testing/fakeBackend.js';
import { CONDITION_BOUND_MS } from './virtualTimers.js';

export * from '../../src/testing/fakeBackend.js';

/**
 * A throwaway self-signed certificate for `127.0.0.1`, made with the `openssl` CLI, or
 * `undefined` when `openssl` is not installed.
 *
 * @example
 * ```ts
 * const tls = selfSignedCertificate();
 * if (tls) await new FakeBackend({ tls }).start();
 * ```
 */
export function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'fake-backend-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath,
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How {@link callWithSdk} builds its client and request.
 *
 * @example
 * ```ts
 * const options: SdkCallOptions = { stream: true, timeoutMs: 500 };
 * ```
 */
export interface SdkCallOptions {
  readonly stream?: boolean;
  /**
   * The SDK `timeout` option (ms). Default {@link CONDITION_BOUND_MS}: no local answer, however
   * busy the machine, takes that long, so only a test that sets a shorter one for a hang sees it.
   */
  readonly timeoutMs?: number;
  /** Called with each stream event as the SDK yields it (to act at a point of the stream, not at a time). */
  readonly onEvent?: (event: unknown) => void;
  /** Passed as the client's `fetch` option (e.g. `captureErrorBodies()`). */
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly signal?: AbortSignal;
  readonly model?: string;
  /**
   * The base URL exactly as the client gets it. Default: `url` for Anthropic (the SDK appends
   * `/v1/messages`) and `url + '/v1'` for OpenAI (it appends `/chat/completions`).
   */
  readonly baseURL?: string;
}

/**
 * What one real SDK call against a server ended with: what `create()` resolved to (and, for a
 * stream, every event the SDK yielded), or what it threw (with the events yielded before).
 *
 * @example
 * ```ts
 * const outcome = await callWithSdk('openai', url);
 * if (!outcome.ok) classifyError(outcome.error);
 * ```
 */
export type SdkOutcome =
  | { readonly ok: true; readonly value: unknown; readonly events: readonly unknown[] }
  | { readonly ok: false; readonly error: unknown; readonly events: readonly unknown[] };

/**
 * Makes one call with the real SDK of `api` (`@anthropic-ai/sdk` or `openai`, `maxRetries: 0`)
 * against `url`, and drains the stream when `stream` is set. Never throws: the error is the
 * outcome.
 *
 * @example
 * ```ts
 * fake.enqueue(faults.overloaded());
 * const outcome = await callWithSdk('anthropic', url, { stream: true });
 * ```
 */
export async function callWithSdk(api: WireApi, url: string, options: SdkCallOptions = {}): Promise<SdkOutcome> {
  const events: unknown[] = [];
  const common = {
    apiKey: 'x',
    maxRetries: 0,
    timeout: options.timeoutMs ?? CONDITION_BOUND_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const requestOptions = options.signal ? { signal: options.signal } : {};
  const model = options.model ?? 'fake-model';
  const messages = [{ role: 'user' as const, content: 'hi' }];
  try {
    if (api === 'anthropic') {
      const client = new Anthropic({ ...common, baseURL: options.baseURL ?? url });
      if (options.stream) {
        const stream = await client.messages.create({ model, max_tokens: 64, messages, stream: true }, requestOptions);
        for await (const event of stream) {
          events.push(event);
          options.onEvent?.(event);
        }
        return { ok: true, value: undefined, events };
      }
      const value: unknown = await client.messages.create({ model, max_tokens: 64, messages }, requestOptions);
      return { ok: true, value, events };
    }
    const client = new OpenAI({ ...common, baseURL: options.baseURL ?? `${url}/v1` });
    if (options.stream) {
      const stream = await client.chat.completions.create({ model, messages, stream: true }, requestOptions);
      for await (const chunk of stream) {
        events.push(chunk);
        options.onEvent?.(chunk);
      }
      return { ok: true, value: undefined, events };
    }
    const value: unknown = await client.chat.completions.create({ model, messages }, requestOptions);
    return { ok: true, value, events };
  } catch (error) {
    return { ok: false, error, events };
  }
}

/**
 * A fake backend for one `describe` block (or file): started before its tests, closed after
 * them, and its recorded requests and planned faults cleared before each test.
 *
 * @example
 * ```ts
 * const backend = useFakeBackend();
 * it('counts', async () => {
 *   backend.fake.enqueue(faults.crash());
 *   await callWithSdk('anthropic', backend.url);
 *   expect(backend.fake.count('/v1/messages')).toBe(1);
 * });
 * ```
 */
export function useFakeBackend(options: FakeBackendOptions = {}): { readonly fake: FakeBackend; readonly url: string } {
  const fake = new FakeBackend(options);
  let started: StartedFakeBackend | undefined;
  beforeAll(async () => {
    started = await fake.start();
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => fake.reset());
  return {
    fake,
    get url(): string {
      if (!started) throw new Error('useFakeBackend: the server is started in beforeAll; read url inside a test');
      return started.url;
    },
  };
}
