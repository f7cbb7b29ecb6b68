/**
 * Each place that masks, on its own: where failure text is made (makeFailure, captured bodies,
 * the SDK transport), where a fact is journaled (the registry, whatever the transport did), where
 * a config is loaded (keys remembered), and the report file's mode.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureErrorBodies, capturedErrorBody } from '../../src/classify/captureErrorBodies.js';
import { readProviderError } from '../../src/classify/errorBody.js';
import { makeFailure, maskFailure, MAX_FAILURE_MESSAGE_LENGTH } from '../../src/classify/makeFailure.js';
import { fileJournal, loadRouterConfig, MASK, maskSecrets, openHealthRegistry, sdkTransport } from '../../src/index.js';
import { writeOwnerOnly } from '../../src/security/writeOwnerOnly.js';
import { randomKeyPart } from './keyEchoBackend.js';

describe('makeFailure and maskFailure', () => {
  it('mask before the message is cut, so a key across the 300-character cut leaves no half behind', () => {
    const key = `sk-proj-${randomKeyPart(40)}`;
    const message = `${'x'.repeat(MAX_FAILURE_MESSAGE_LENGTH - 20)} ${key} tail`;
    const failure = makeFailure({ kind: 'auth_config', reason: 'http_401', message, errorType: `type ${key}`, errorCode: `code_${key}` });
    expect(failure.message.length).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_LENGTH);
    expect(failure.message).not.toContain(key.slice(0, 12));
    expect(failure.message).toContain('sk-[redacted');
    expect(failure.errorType).toBe(`type sk-${MASK}`);
    // Glued to a word character it is no sk- shape (no word boundary): masked once the key is known.
    expect(failure.errorCode).toBe(`code_${key}`);
    expect(maskFailure(failure, [key]).errorCode).toBe(`code_${MASK}`);
  });

  it('maskFailure masks a key it is given, returns the same object when there is nothing to mask', () => {
    const key = `local-${randomKeyPart(20)}`;
    const failure = makeFailure({ kind: 'auth_config', reason: 'http_401', message: `bad key ${key}` });
    expect(failure.message).toBe(`bad key ${key}`); // not remembered anywhere: no shape, nobody said it was a key
    expect(maskFailure(failure, [key]).message).toBe(`bad key ${MASK}`);
    const clean = makeFailure({ kind: 'backend_fault', reason: 'http_500', message: 'HTTP 500' });
    expect(maskFailure(clean, [key])).toBe(clean);
  });
});

describe('captured error bodies and readProviderError', () => {
  let server: Server;
  let url: string;
  const key = `sk-proj-${randomKeyPart(40)}`;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `upstream rejected ${key}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keep the body with the key masked, still valid JSON; the SDK still reads the original', async () => {
    const response = await captureErrorBodies()(`${url}/v1/chat/completions`, { method: 'POST' });
    const kept = capturedErrorBody(response.headers)!;
    expect(kept).toBe(JSON.stringify({ detail: `upstream rejected sk-${MASK}` }));
    expect(await response.text()).toContain(key);
    const said = readProviderError({ status: 500, headers: response.headers, error: undefined, message: `500 upstream rejected ${key}` });
    expect(said.message).toBe(`upstream rejected sk-${MASK}`);
    expect(said.text).not.toContain(key.slice(-20));
  });
});

describe('the SDK transport', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization).replace('Bearer ', '')}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("masks the entry's own key in the failure, the error code reaching the caller unchanged", async () => {
    const key = `plain${randomKeyPart(24)}`;
    const config = loadRouterConfig({ model: 'm', provider: 'custom', base_url: `${url}/v1`, api_mode: 'chat_completions' }, { env: {} });
    // An entry an agent put together itself: no config loader ever saw this key.
    const entry = { ...config.primary, apiKey: key };
    expect(maskSecrets(key)).toBe(key);
    const outcome = await sdkTransport().call(entry, { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 8 }, { limits: { timeoutMs: 20_000, firstTokenTimeoutMs: 20_000, idleTimeoutMs: 20_000 } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure.message).toBe(`HTTP 401 invalid_request_error: Incorrect API key provided: ${MASK}`);
    expect(outcome.failure.errorCode).toBe('invalid_api_key');
  });
});

describe('the registry', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-mask-registry-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('masks a message a custom transport made by hand before it is journaled', async () => {
    const key = `custom-${randomKeyPart(24)}`;
    // The config loader remembers the key; the transport that failed never masked anything.
    loadRouterConfig({ model: 'm', provider: 'custom', base_url: 'http://127.0.0.1:9/v1', api_key: key }, { env: {} });
    const path = join(dir, 'journal.jsonl');
    const registry = await openHealthRegistry({ journal: fileJournal(path) });
    const fact = registry.record({
      type: 'call.failed',
      backend: 'custom|chat_completions|http://127.0.0.1:9/v1',
      failure: { kind: 'auth_config', reason: 'http_401', message: `rejected ${key} and Bearer ${randomKeyPart(20)}`, answered: true, modelSpecific: false, retrySameBackend: false },
    });
    const view = registry.snapshot().backends.find((b) => b.key === 'custom|chat_completions|http://127.0.0.1:9/v1')!;
    await registry.close();
    expect(fact?.type === 'call.failed' && fact.failure.message).toBe(`rejected ${MASK} and Bearer ${MASK}`);
    expect(view.lastFailure?.message).toBe(`rejected ${MASK} and Bearer ${MASK}`);
    expect(readFileSync(path, 'utf8')).not.toContain(key);
  });
});

describe('config loading', () => {
  it('remembers every key it reads: literal, from api_key_env, from a provider default variable', () => {
    const literal = `lit-${randomKeyPart(20)}`;
    const fromEnv = `env-${randomKeyPart(20)}`;
    const fromDefault = `def-${randomKeyPart(20)}`;
    loadRouterConfig(
      {
        model: 'm',
        provider: 'custom',
        base_url: 'http://127.0.0.1:9/v1',
        api_key: literal,
        fallback_providers: [
          { provider: 'custom', model: 'm', base_url: 'http://127.0.0.1:9/b/v1', api_key_env: 'MY_KEY' },
          { provider: 'openrouter', model: 'x' },
        ],
      },
      { env: { MY_KEY: fromEnv, OPENROUTER_API_KEY: fromDefault } },
    );
    expect(maskSecrets(`${literal} ${fromEnv} ${fromDefault}`)).toBe(`${MASK} ${MASK} ${MASK}`);
  });

  it('a key pasted into the wrong field is masked in the error', () => {
    const key = `sk-or-v1-${randomKeyPart(40)}`;
    expect(() => loadRouterConfig({ model: 'm', provider: 'custom', base_url: 'http://127.0.0.1:9/v1', api_mode: key }, { env: {} })).toThrow(
      'api_mode: "sk-[redacted]" is not an api mode',
    );
  });
});

describe('writeOwnerOnly', () => {
  it('creates the file 0600, and makes an existing 0644 file 0600 before writing into it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lhr-owner-only-'));
    try {
      const fresh = join(dir, 'fresh.html');
      await writeOwnerOnly(fresh, 'new');
      expect(statSync(fresh).mode & 0o777).toBe(0o600);
      const old = join(dir, 'old.html');
      writeFileSync(old, 'a much longer old text', { mode: 0o644 });
      await writeOwnerOnly(old, 'new');
      expect(statSync(old).mode & 0o777).toBe(0o600);
      expect(readFileSync(old, 'utf8')).toBe('new');
      await expect(writeOwnerOnly(dir, 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
