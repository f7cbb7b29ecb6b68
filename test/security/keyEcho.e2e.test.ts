/**
 * Issue 10, item 3: a backend that echoes its key, then every output grepped for it.
 *
 * A real local backend fails every request by giving back the key it was sent (in a 401, a 500
 * body, a stream error event, a quoted auth header, its error code) or a key that is nobody's. It
 * is driven through the built CLI's gateway (`serve`) with the real `openai` and
 * `@anthropic-ai/sdk` clients, and through the library (`turn.main`); then every output is searched
 * for each key and for either half of it: the bytes each client received, the journal, `/health`,
 * `/metrics`, the gateway's own output, `status` (JSON, text, `--from`), `replay` (text, JSON) and
 * the HTML report, which must also be owner-only.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createHealthRouter, fileJournal, loadGatewayConfig, loadRouterConfig, MASK, openHealthRegistry, RoutingError, sdkTransport, startGateway, type RouterNotice } from '../../src/index.js';
import { ROOT, runNode } from '../support/runNode.js';
import { ECHO_VARIANTS, FOREIGN_KEY, leakedKeys, randomKeyPart, startKeyEchoBackend, type EchoVariant, type StartedEchoBackend } from './keyEchoBackend.js';

const BIN = inject('builtCli');

/** Three configured keys of three shapes and three ways of configuring them, and one that is nobody's. */
const SK_KEY = `sk-proj-${randomKeyPart(40)}`; // the common shape, from api_key_env
const ODD_KEY = `odd.${randomKeyPart(10)}.${randomKeyPart(14)}`; // no known shape, a literal api_key
const ODD_ENV_KEY = `Tok_${randomKeyPart(30)}`; // no known shape, from api_key_env
const KEYS = { SK_KEY, ODD_KEY, ODD_ENV_KEY, FOREIGN_KEY };
const ENV = { ECHO_SK_KEY: SK_KEY, ECHO_ODD_KEY: ODD_ENV_KEY };

type KeyRef = 'sk' | 'odd' | 'oddEnv';
const KEY_VALUE: Record<KeyRef, string> = { sk: SK_KEY, odd: ODD_KEY, oddEnv: ODD_ENV_KEY };
const KEY_YAML: Record<KeyRef, string> = { sk: 'api_key_env: ECHO_SK_KEY', odd: `api_key: "${ODD_KEY}"`, oddEnv: 'api_key_env: ECHO_ODD_KEY' };
/** Which key each variant's chat and Anthropic backend is configured with: every key meets every kind of echo. */
const KEY_OF: Record<EchoVariant, { chat: KeyRef; anthropic: KeyRef }> = {
  '401': { chat: 'sk', anthropic: 'odd' },
  '500': { chat: 'odd', anthropic: 'sk' },
  stream: { chat: 'oddEnv', anthropic: 'odd' },
  header: { chat: 'sk', anthropic: 'oddEnv' },
  foreign: { chat: 'odd', anthropic: 'sk' },
};

type BackendMode = 'chat' | 'anthropic';
const backendLines = (url: string, variant: EchoVariant, mode: BackendMode, slot: string, indent: string): string =>
  [
    'model: echo-model',
    'provider: custom',
    `base_url: ${url}/${variant}/${slot}${mode === 'chat' ? '/v1' : ''}`,
    `api_mode: ${mode === 'chat' ? 'chat_completions' : 'anthropic_messages'}`,
    KEY_YAML[KEY_OF[variant][mode]],
  ].join(`\n${indent}`);

/** Everything that describes an SDK error, as a user's code could print it. */
function describeError(error: unknown): string {
  const e = error as { message?: unknown; error?: unknown };
  return [String(error), JSON.stringify(e.error ?? null), inspect(error, { depth: 6 })].join('\n');
}

function expectNoKeys(where: string, text: string): void {
  expect(leakedKeys(text, KEYS), `${where} shows a key`).toEqual([]);
}

describe('a backend that echoes its key, through the gateway (built CLI, real SDK clients)', () => {
  let dir: string;
  let backend: StartedEchoBackend;
  let child: ChildProcessByStdio<null, Readable, Readable>;
  let exited: Promise<number | null>;
  let gatewayUrl: string;
  let stdout = '';
  let stderr = '';
  const journal = () => join(dir, 'health.jsonl');
  const routes: { name: string; variant: EchoVariant; mode: BackendMode; client: 'openai' | 'anthropic'; stream: boolean }[] = [];
  for (const variant of ECHO_VARIANTS)
    for (const mode of ['chat', 'anthropic'] as const)
      for (const client of ['openai', 'anthropic'] as const)
        for (const stream of [false, true]) routes.push({ name: `${variant}-${mode}-${client}-${stream ? 'stream' : 'json'}`, variant, mode, client, stream });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-key-echo-'));
    backend = await startKeyEchoBackend();
    const yaml = `routes:\n${routes.map((r) => `  - match: "${r.name}"\n    ${backendLines(backend.url, r.variant, r.mode, r.name, '    ')}`).join('\n')}\n`;
    writeFileSync(join(dir, 'gateway.yaml'), yaml);
    child = spawn(process.execPath, [BIN, 'serve', '--config', join(dir, 'gateway.yaml'), '--port', '0', '--journal', journal()], { cwd: ROOT, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    exited = new Promise((resolve) => child.on('close', resolve));
    // Bounded by the gateway printing its address (or exiting), not by a clock.
    const started = await Promise.race([
      new Promise<string>((resolve) => child.stdout.on('data', () => { const m = /gateway on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout); if (m) resolve(m[1]!); })),
      exited.then((code) => Promise.reject(new Error(`serve exited with ${code}: ${stderr}`))),
    ]);
    gatewayUrl = started;
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no key reaches a client, the journal, /health, /metrics, the gateway output, status, replay or the report (0600); the backends got the real keys', async () => {
    const received = new Map<string, string[]>();
    for (const route of routes) {
      const seen: string[] = [];
      received.set(route.name, seen);
      // The exact bytes the client got, besides what its SDK makes of them.
      const tee = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const response = await fetch(input, init);
        seen.push(`${response.status} ${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${await response.clone().text()}`);
        return response;
      };
      try {
        if (route.client === 'openai') {
          const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'client-key', maxRetries: 0, timeout: 20_000, fetch: tee });
          const params = { model: route.name, messages: [{ role: 'user' as const, content: 'hello' }] };
          if (route.stream) for await (const chunk of await client.chat.completions.create({ ...params, stream: true })) seen.push(JSON.stringify(chunk));
          else seen.push(JSON.stringify(await client.chat.completions.create(params)));
        } else {
          const client = new Anthropic({ baseURL: gatewayUrl, apiKey: 'client-key', maxRetries: 0, timeout: 20_000, fetch: tee });
          const params = { model: route.name, max_tokens: 64, messages: [{ role: 'user' as const, content: 'hello' }] };
          if (route.stream) for await (const event of await client.messages.create({ ...params, stream: true })) seen.push(JSON.stringify(event));
          else seen.push(JSON.stringify(await client.messages.create(params)));
        }
        seen.push('NO ERROR');
      } catch (error) {
        seen.push(describeError(error));
      }
    }

    for (const route of routes) {
      const text = received.get(route.name)!.join('\n');
      expectNoKeys(`the ${route.client} client's answer for ${route.name}`, text);
      // Not nothing: every request failed, and the failure the client saw names the masked key.
      expect(text, route.name).not.toContain('NO ERROR');
      expect(text, route.name).toContain(MASK);
    }
    // The backends were sent the real keys: masking touches text, never what the SDKs send.
    for (const route of routes) {
      const keys = new Set(backend.requests.filter((r) => r.path.startsWith(`/${route.variant}/${route.name}/`)).map((r) => r.key));
      expect([...keys], route.name).toEqual([KEY_VALUE[KEY_OF[route.variant][route.mode]]]);
    }

    const health = await (await fetch(`${gatewayUrl}/health`)).text();
    expectNoKeys('/health', health);
    expect(health).toContain(MASK);
    expectNoKeys('/metrics', await (await fetch(`${gatewayUrl}/metrics`)).text());
    const fromGateway = await runNode(BIN, ['status', '--from', gatewayUrl, '--json']);
    expect(fromGateway.code, fromGateway.stderr).toBe(0);
    expectNoKeys('status --from --json', fromGateway.stdout + fromGateway.stderr);
    const fromGatewayText = await runNode(BIN, ['status', '--from', gatewayUrl]);
    expectNoKeys('status --from', fromGatewayText.stdout + fromGatewayText.stderr);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expectNoKeys('the gateway output', stdout + stderr);

    const journalText = readFileSync(journal(), 'utf8');
    expect(journalText).toContain(MASK);
    expectNoKeys('the journal', journalText);
    for (const args of [['status', journal(), '--json'], ['status', journal()], ['replay', journal()], ['replay', journal(), '--json']]) {
      const run = await runNode(BIN, args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expectNoKeys(args.join(' '), run.stdout + run.stderr);
    }
    const report = join(dir, 'report.html');
    const run = await runNode(BIN, ['report', journal(), '--out', report]);
    expect(run.code, run.stderr).toBe(0);
    expectNoKeys('report output', run.stdout + run.stderr);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain(MASK);
    expectNoKeys('the HTML report', html);
    expect(statSync(report).mode & 0o777).toBe(0o600);
  });
});

describe('a backend that echoes its key, through the library (turn.main, sdkTransport, file journal)', () => {
  let dir: string;
  let backend: StartedEchoBackend;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-key-echo-lib-'));
    backend = await startKeyEchoBackend();
  });
  afterAll(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([true, false])('stream %s: the RoutingError, its failures, notices, the registry and the journal carry no key', async (stream) => {
    // Every variant in one chain: the turn tries each backend and fails on every one.
    const slot = stream ? 'lib-stream' : 'lib-json';
    const entries = ECHO_VARIANTS.flatMap((variant) => (['chat', 'anthropic'] as const).map((mode) => backendLines(backend.url, variant, mode, `${slot}-${mode}`, '    ')));
    const [primary, ...fallbacks] = entries;
    const yaml = `${primary!.replaceAll('\n    ', '\n')}\nfallback_providers:\n${fallbacks.map((e) => `  - ${e.replaceAll('\n    ', '\n    ')}`).join('\n')}\n`;
    const config = loadRouterConfig(yaml, { env: ENV });
    const path = join(dir, `${slot}.jsonl`);
    const router = await createHealthRouter({ config, transport: sdkTransport(), registry: { journal: fileJournal(path) }, activeProbes: false });
    const notices: RouterNotice[] = [];
    router.notices$.subscribe((n) => notices.push(n));
    let caught: unknown;
    try {
      await router.startTurn().main({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }], maxTokens: 64, stream });
    } catch (error) {
      caught = error;
    }
    const snapshot = JSON.stringify(router.registry.snapshot());
    await router.close();

    expect(caught).toBeInstanceOf(RoutingError);
    const error = caught as RoutingError;
    // Every backend was tried, and each failure says what happened with the key masked.
    expect(error.attempts.length).toBeGreaterThanOrEqual(entries.length);
    for (const attempt of error.attempts) expect(attempt.failure?.message, attempt.label).toContain(MASK);
    expectNoKeys('the RoutingError', [String(error), error.message, JSON.stringify({ failure: error.failure, attempts: error.attempts }), inspect(error, { depth: 8 })].join('\n'));
    expectNoKeys('the notices', JSON.stringify(notices));
    expectNoKeys('the registry snapshot', snapshot);
    const journalText = readFileSync(path, 'utf8');
    expect(journalText).toContain(MASK);
    expectNoKeys('the journal', journalText);
    expect(new Set(backend.requests.filter((r) => r.path.includes(`/${slot}-`)).map((r) => r.key))).toEqual(new Set([SK_KEY, ODD_KEY, ODD_ENV_KEY]));
  });
});

describe('a journal written before masking (keys in its messages) is masked at display', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lhr-key-echo-old-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const T = 1_764_000_000_000;
  const oldFacts = () =>
    [
      { backend: 'custom|chat_completions|http://127.0.0.1:9/a/v1', message: `Incorrect API key provided: ${SK_KEY}.`, status: 401, kind: 'auth_config', reason: 'http_401' },
      { backend: 'custom|anthropic_messages|http://127.0.0.1:9/b', message: `authentication failed for key ${ODD_KEY}`, status: 401, kind: 'auth_config', reason: 'http_401' },
      { backend: 'custom|chat_completions|http://127.0.0.1:9/c/v1', message: `stream error api_error: key ${ODD_ENV_KEY} was revoked`, kind: 'backend_fault', reason: 'stream_error' },
      { backend: 'custom|chat_completions|http://127.0.0.1:9/d/v1', message: `the key ${FOREIGN_KEY} belongs to another organization`, status: 401, kind: 'auth_config', reason: 'http_401' },
    ].map(({ backend, ...failure }, i) => JSON.stringify({ v: 1, type: 'call.failed', at: T + i * 1000, backend, writer: 'old', seq: i, startedAt: T + i * 1000, failure, jitterSample: 0.5 }));

  it('status --json, replay --json and the report (written 0600 over an old 0644 file) mask the configured keys and key shapes', async () => {
    const path = join(dir, 'old.jsonl');
    writeFileSync(path, `${oldFacts().join('\n')}\n`);
    // A config naming the keys, as the agent that wrote the journal had: --config lets the CLI know them.
    const config = join(dir, 'router.yaml');
    writeFileSync(config, `model: m\nprovider: custom\nbase_url: http://127.0.0.1:9/v1\napi_mode: chat_completions\napi_key_env: ECHO_SK_KEY\nfallback_providers:\n  - { provider: custom, model: m, base_url: "http://127.0.0.1:9/b", api_mode: anthropic_messages, api_key: "${ODD_KEY}" }\n  - { provider: custom, model: m, base_url: "http://127.0.0.1:9/c/v1", api_mode: chat_completions, api_key_env: ECHO_ODD_KEY }\n`);
    // status / replay as text are the display sanitizer's (issue 10, item 9); here the JSON forms and the report.
    for (const args of [['status', path, '--json', '--config', config], ['replay', path, '--json', '--config', config]]) {
      const run = await runNode(BIN, args, { env: ENV });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toContain(MASK);
      expectNoKeys(args.join(' '), run.stdout + run.stderr);
    }
    const report = join(dir, 'report.html');
    writeFileSync(report, 'an old report, readable by all', { mode: 0o644 });
    expect(statSync(report).mode & 0o777).toBe(0o644);
    const run = await runNode(BIN, ['report', path, '--out', report, '--config', config], { env: ENV });
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain(MASK);
    expectNoKeys('the report of an old journal', html);
    expect(statSync(report).mode & 0o777).toBe(0o600);
  });

  it("a gateway started on that journal does not show its keys in /health", async () => {
    const path = join(dir, 'old-gateway.jsonl');
    writeFileSync(path, `${oldFacts().join('\n')}\n`);
    const config = loadGatewayConfig(`model: m\nprovider: custom\nbase_url: http://127.0.0.1:9/a/v1\napi_mode: chat_completions\napi_key_env: ECHO_SK_KEY\n`, { env: ENV });
    const registry = await openHealthRegistry({ journal: fileJournal(path), policy: config.health });
    const gateway = await startGateway({ config, registry });
    try {
      const health = await (await fetch(`${gateway.url}/health`)).text();
      expect(health).toContain(MASK);
      expectNoKeys('/health over an old journal', health);
    } finally {
      await gateway.close();
      await registry.close();
    }
  });
});

describe('config errors do not show a base_url secret', () => {
  const URL_WITH_SECRETS = 'https://alice:Pw0rdHunter2x@llm.example/v1?key=QuerySecret123&api-version=2024';
  const SECRETS = /alice|Pw0rdHunter2x|QuerySecret123|2024/;

  it('the library config error names the field and shows the URL masked', () => {
    let caught: unknown;
    try {
      loadRouterConfig(`model: m\nprovider: custom\nbase_url: "${URL_WITH_SECRETS}"\n`, { env: {} });
    } catch (error) {
      caught = error;
    }
    const message = (caught as Error).message;
    expect(message).toContain(`base_url: "https://${MASK}@llm.example/v1?key=${MASK}&api-version=${MASK}" contains credentials`);
    expect(message).not.toMatch(SECRETS);
    expect(JSON.stringify((caught as { issues?: unknown }).issues)).not.toMatch(SECRETS);
  });

  it('the gateway config error (through the built CLI) too, for a query without userinfo as well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lhr-key-echo-config-'));
    try {
      const file = join(dir, 'gateway.yaml');
      writeFileSync(file, `routes:\n  - match: "*"\n    model: m\n    provider: custom\n    base_url: "${URL_WITH_SECRETS}"\n  - match: "b"\n    model: m\n    provider: custom\n    base_url: "https://llm.example/v1?key=QuerySecret123"\n`);
      const run = await runNode(BIN, ['serve', '--config', file, '--port', '0']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`routes[0].base_url: "https://${MASK}@llm.example/v1?key=${MASK}&api-version=${MASK}" contains credentials`);
      expect(run.stderr).toContain(`routes[1].base_url: "https://llm.example/v1?key=${MASK}" has a query string`);
      expect(run.stderr + run.stdout).not.toMatch(SECRETS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
