import { afterEach, describe, expect, it } from 'vitest';
import { GatewayHarness } from './harness.js';
import { HeldBackend } from './heldBackend.js';
import { chatBody, messagesBody } from './rawHttp.js';

const config = (url: string) => `
routes:
  - match: "*"
    model: held-model
    provider: custom
    base_url: ${url}/v1
    api_mode: chat_completions
gateway:
  first_token_timeout_ms: 600000
`;

describe('gateway drain: in flight finishes, new work is refused, then it closes', () => {
  const h = new GatewayHarness();
  const backends: HeldBackend[] = [];
  afterEach(async () => {
    await h.close();
    for (const backend of backends.splice(0)) await backend.close();
  });

  it('a request in flight completes with 200; a new one during the drain gets 503 with retry-after; then the gateway stops listening', async () => {
    const backend = new HeldBackend();
    backends.push(backend);
    const gateway = await h.gateway(config(await backend.start()));
    const inFlight = fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody('m') });
    await backend.holding(1);
    expect(gateway.inFlight).toBe(1);
    const drained = gateway.drain(600_000);
    const refused = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: messagesBody('m') });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('shutting down') } });
    // Monitoring still gets its answers while the drain runs.
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    backend.releaseAll();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'answered after being held' } }] });
    await drained;
    expect(backend.received).toHaveLength(1);
    const after = await fetch(`${gateway.url}/health`).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(Error);
  });

  it('requests still in flight when the grace runs out end in their protocol: a 503 before the answer started, an error event in an open stream', async () => {
    const backend = new HeldBackend();
    backends.push(backend);
    const stalling = await h.backend({ type: 'stall', afterEvents: 3 });
    const gateway = await h.gateway(`
routes:
  - match: "held"
    model: held-model
    provider: custom
    base_url: ${await backend.start()}/v1
    api_mode: chat_completions
  - match: "stalls"
    model: stalling-model
    provider: custom
    base_url: ${stalling.url}/v1
    api_mode: chat_completions
gateway:
  first_token_timeout_ms: 600000
  idle_timeout_ms: 600000
`);
    const plain = fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: messagesBody('held') });
    const stream = await h.openai(gateway).chat.completions.create({ model: 'stalls', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const received: string[] = [];
    let firstText: () => void = () => undefined;
    const textArrived = new Promise<void>((resolve) => (firstText = resolve));
    const streamed = (async () => {
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '');
        if (received.join('') !== '') firstText();
      }
    })().catch((e: unknown) => e);
    await backend.holding(1);
    await textArrived;
    // Neither backend will ever finish: only the grace can end these requests.
    await gateway.drain(100);
    const response = await plain;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('gateway.shutdown_timeout_ms') } });
    const error = await streamed;
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain('shutting down');
  });
});
