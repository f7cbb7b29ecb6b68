import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { faults, type FaultPlan } from '../../src/testing/index.js';
import { ask, E2E } from '../e2e/harness.js';

// `health.scope: model` on a multi-model endpoint (real SDKs, a local fake server): one model
// that hangs — the server took the request on an established connection and never answered — is
// that model's failure, so a fallback model on the same endpoint still serves. A connection that
// is refused stays the endpoint's: no model there can answer.

/** One endpoint serving two models: `slow-model` never answers, every other model does. */
const oneModelHangs: FaultPlan = (r) => (r.model === 'slow-model' ? faults.hang() : faults.ok(`from ${r.model ?? '?'}`));

const config = (endpointUrl: string, otherUrl: string) => `
model: slow-model
provider: custom
base_url: ${endpointUrl}/v1
api_mode: chat_completions
fallback_providers:
  - provider: custom
    model: quick-model
    base_url: ${endpointUrl}/v1
    api_mode: chat_completions
  - provider: custom
    model: elsewhere-model
    base_url: ${otherUrl}/v1
    api_mode: chat_completions
health:
  scope: model
`;

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('health.scope: model — a timeout on an established connection marks the model, not the endpoint (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it.each([
    ['a JSON call cut by the call timeout', false, { timeoutMs: 300 }, 'timeout'],
    ['a stream cut by the first-token timeout before any header', true, { timeoutMs: 10_000, firstTokenTimeoutMs: 300 }, 'first_token_timeout'],
  ] as const)('%s: the other model on the same endpoint serves, and only the hung model is charged', async (_name, stream, limits, reason) => {
    const endpoint = await e2e.server(oneModelHangs);
    const other = await e2e.server(faults.ok('from elsewhere'));
    const { router, config: c, registry } = await e2e.router(config(endpoint.url, other.url), { limits, activeProbes: false });

    const reply = await router.startTurn().main(ask('hello', { stream }));
    expect(reply).toMatchObject({ text: 'from quick-model', servedBy: 'fallback_providers[0]' });
    expect(endpoint.fake.requests.map((r) => r.model)).toEqual(['slow-model', 'quick-model']);
    expect(other.count()).toBe(0);
    // The failure is journaled against the model key, and the endpoint stays clean.
    const failed = (await registry.journal.load()).facts.filter((f) => f.type === 'call.failed');
    expect(failed.map((f) => [f.backend, f.type === 'call.failed' && f.failure.reason])).toEqual([[c.primary.modelKey, reason]]);
    expect(registry.health(c.primary.endpointKey).status).toBe('healthy');
    expect(registry.health(c.primary.modelKey)).toMatchObject({ status: 'suspect', lastFailure: { reason } });
  });

  it("the callback form: the agent's own SDK call timing out on the hung model marks that model, and the other model on the endpoint serves", async () => {
    const endpoint = await e2e.server(oneModelHangs);
    const other = await e2e.server(faults.ok('from elsewhere'));
    // The SDK client handed to the callback times out after limits.timeoutMs (its own `timeout`).
    const { router, config: c, registry } = await e2e.router(config(endpoint.url, other.url), { limits: { timeoutMs: 300 }, activeProbes: false });

    const answer = await router.startTurn().main(async ({ sdk, entry, signal }) => {
      if (sdk.kind !== 'openai') throw new Error(`expected an OpenAI client, got ${sdk.kind}`);
      const completion = await sdk.client.chat.completions.create({ model: entry.model, messages: [{ role: 'user', content: 'hello' }] }, signal ? { signal } : {});
      return `${entry.label}: ${completion.choices[0]?.message.content ?? ''}`;
    });
    expect(answer).toBe('fallback_providers[0]: from quick-model');
    expect(endpoint.fake.requests.map((r) => r.model)).toEqual(['slow-model', 'quick-model']);
    expect(other.count()).toBe(0);
    const failed = (await registry.journal.load()).facts.filter((f) => f.type === 'call.failed');
    expect(failed.map((f) => [f.backend, f.type === 'call.failed' && f.failure.reason])).toEqual([[c.primary.modelKey, 'timeout']]);
    expect(registry.health(c.primary.endpointKey).status).toBe('healthy');
  });

  it('a refused connection stays endpoint-wide: the other model on that endpoint is skipped without a request, the other endpoint serves', async () => {
    const port = await closedPort();
    const other = await e2e.server(faults.ok('from elsewhere'));
    const { router, config: c, registry } = await e2e.router(config(`http://127.0.0.1:${port}`, other.url), { activeProbes: false });

    const reply = await router.startTurn().main(ask('hello'));
    expect(reply).toMatchObject({ text: 'from elsewhere', servedBy: 'fallback_providers[1]' });
    const failed = (await registry.journal.load()).facts.filter((f) => f.type === 'call.failed');
    expect(failed.map((f) => [f.backend, f.type === 'call.failed' && f.failure.kind])).toEqual([[c.primary.endpointKey, 'unreachable']]);
    expect(registry.health(c.primary.endpointKey).status).toBe('cooldown');
  });

  it('with the default scope (endpoint) the same hang still marks the whole endpoint, so the call moves to another endpoint', async () => {
    const endpoint = await e2e.server(oneModelHangs);
    const other = await e2e.server(faults.ok('from elsewhere'));
    const yaml = config(endpoint.url, other.url).replace('health:\n  scope: model\n', '');
    const { router, config: c, registry } = await e2e.router(yaml, { limits: { timeoutMs: 300 }, activeProbes: false });
    expect(await router.startTurn().main(ask('hello'))).toMatchObject({ servedBy: 'fallback_providers[1]' });
    expect(endpoint.fake.requests.map((r) => r.model)).toEqual(['slow-model']);
    expect(registry.health(c.primary.endpointKey)).toMatchObject({ status: 'suspect', lastFailure: { reason: 'timeout' } });
  });
});
