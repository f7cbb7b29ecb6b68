/**
 * Issue 10, item 2, in the library: a request that cannot leave the process, or a failure inside
 * it, is never charged to a backend. Real `@anthropic-ai/sdk` and `openai` clients (through
 * `sdkTransport()`, or the callback form) against local servers that count what they receive;
 * each test reads the registry's journal for facts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/classifyError.js';
import { RequestLimitError, RoutingError, type HealthRegistry, type NeutralRequest } from '../../src/index.js';
import { faults } from '../../src/testing/index.js';
import { sdkTransport, type Transport } from '../../src/transports/index.js';
import { ask, E2E, facadeWithFallback, rejection, settled, type Server } from './harness.js';

/** A JSON Schema nesting `levels` properties inside each other (two levels of JSON each). */
function deepSchema(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) schema = { type: 'object', properties: { a: schema } };
  return schema;
}

const deepRequest = (levels = 5_000): NeutralRequest => ask('use the tool', { tools: [{ name: 'deep', inputSchema: deepSchema(levels) }] });

async function facts(registry: HealthRegistry): Promise<readonly unknown[]> {
  return (await registry.journal.load()).facts;
}

describe('a request that cannot leave the process is charged to no backend (library)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  async function setUp(options: Parameters<E2E['router']>[1] = {}) {
    const primary = await e2e.server();
    const fallback = await e2e.server();
    const routed = await e2e.router(facadeWithFallback(primary.url, fallback.url), { activeProbes: false, ...options });
    return { primary, fallback, ...routed };
  }
  const counts = (...servers: Server[]) => servers.map((s) => s.count());

  it('a 5,000-deep tool schema is refused before anything runs, naming the field; the next request is served by the primary', async () => {
    const { primary, fallback, router, registry, notices } = await setUp();
    for (const stream of [false, true]) {
      const error = await rejection(router.startTurn().main({ ...deepRequest(), stream }));
      expect(error).toBeInstanceOf(RequestLimitError);
      expect(error).toMatchObject({
        message: 'tools[0].inputSchema.properties.a.properties.a.properties…: nested deeper than 128 levels (limits.maxRequestDepth)',
        field: 'tools[0].inputSchema.properties.a.properties.a.properties…',
        limit: 'maxRequestDepth',
        max: 128,
      });
    }
    expect(counts(primary, fallback)).toEqual([0, 0]);
    expect(await facts(registry)).toEqual([]);
    expect(notices).toEqual([]);

    const reply = await router.startTurn().main(ask('hello'));
    expect(reply.servedBy).toBe('model');
    expect(counts(primary, fallback)).toEqual([1, 0]);
    expect(await facts(registry)).toEqual([]);
  });

  it('titles and auxiliary tasks are checked the same way', async () => {
    const { primary, fallback, router } = await setUp();
    const turn = router.startTurn();
    expect(await rejection(turn.title(deepRequest()))).toBeInstanceOf(RequestLimitError);
    expect(await rejection(turn.auxiliary('compression', deepRequest()))).toBeInstanceOf(RequestLimitError);
    expect(counts(primary, fallback)).toEqual([0, 0]);
  });

  it('real tool schemas (30 properties deep) go through whole', async () => {
    const { primary, router } = await setUp();
    const reply = await router.startTurn().main(ask('use the tool', { tools: [{ name: 'nested', inputSchema: deepSchema(30) }] }));
    expect(reply.servedBy).toBe('model');
    const sent = primary.fake.requests[0]?.body as { tools: { input_schema: unknown }[] };
    expect(sent.tools[0]!.input_schema).toEqual(deepSchema(30));
  });

  it('the limits are configurable: depth and size, the field named in each', async () => {
    const { primary, fallback, router, registry } = await setUp({ limits: { timeoutMs: 5_000, maxRequestDepth: 16, maxRequestChars: 10_000 } });
    const tooDeep = await rejection(router.startTurn().main(ask('x', { tools: [{ name: 't', inputSchema: deepSchema(8) }] })));
    expect(tooDeep).toMatchObject({ name: 'RequestLimitError', limit: 'maxRequestDepth', max: 16, message: expect.stringContaining('nested deeper than 16 levels') });
    const tooLarge = await rejection(router.startTurn().main(ask('y'.repeat(20_000))));
    expect(tooLarge).toMatchObject({
      name: 'RequestLimitError',
      field: 'messages[0].content[0].text',
      limit: 'maxRequestChars',
      max: 10_000,
      message: expect.stringMatching(/^the request is at least 20,\d{3} characters of JSON, more than 10,000 \(limits.maxRequestChars\); its largest field is messages\[0\]\.content\[0\]\.text \(20,000 characters\)$/),
    });
    expect(counts(primary, fallback)).toEqual([0, 0]);
    expect(await facts(registry)).toEqual([]);
  });

  it('the default size limit (32 MiB) refuses a 34-million-character message before the SDK serializes it', async () => {
    const { primary, fallback, router } = await setUp();
    const error = await rejection(router.startTurn().main(ask('z'.repeat(34_000_000))));
    expect(error).toMatchObject({ name: 'RequestLimitError', limit: 'maxRequestChars', max: 33_554_432, field: 'messages[0].content[0].text' });
    expect(counts(primary, fallback)).toEqual([0, 0]);
  });

  it('with the check off, the SDK failing to serialize is local: surfaced at once, no fail-over, nothing recorded', async () => {
    const { primary, fallback, router, registry } = await setUp({ limits: { timeoutMs: 5_000, maxRequestDepth: Number.POSITIVE_INFINITY } });
    const error = await rejection(router.startTurn().main(deepRequest()));
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({
      message: 'main reply failed: not sent: RangeError: Maximum call stack size exceeded',
      failure: { kind: 'local', reason: 'not_sent' },
      attempts: [{ label: 'model', failure: { kind: 'local' } }],
      noHealthyUntil: null,
    });
    expect(counts(primary, fallback)).toEqual([0, 0]);
    expect(await facts(registry)).toEqual([]);
    expect((await router.startTurn().main(ask('hello'))).servedBy).toBe('model');
  });

  it("the callback form: the agent's own SDK call overflowing is local too, charged to nobody", async () => {
    const { primary, fallback, router, registry } = await setUp();
    const tools = [{ name: 'deep', input_schema: { type: 'object' as const, ...deepSchema(5_000) } }];
    const error = await rejection(
      router.startTurn().main(async ({ sdk, entry, signal }) => {
        if (sdk.kind !== 'anthropic') throw new Error('the primary is an Anthropic facade');
        return sdk.client.messages.create({ model: entry.model, max_tokens: 64, tools, messages: [{ role: 'user', content: 'hi' }] }, signal ? { signal } : {});
      }),
    );
    expect(error).toMatchObject({ name: 'RoutingError', failure: { kind: 'local', reason: 'internal_error', message: 'internal error: RangeError: Maximum call stack size exceeded' } });
    expect(counts(primary, fallback)).toEqual([0, 0]);
    expect(await facts(registry)).toEqual([]);
  });

  describe('a custom transport failing before it sends anything', () => {
    const typeError = () => new TypeError("Cannot read properties of undefined (reading 'messages')");

    it('returning the classified TypeError: a RoutingError with a local failure, no fact, no fail-over', async () => {
      const real = sdkTransport();
      let broken = true;
      const transport: Transport = {
        async call(entry, request, options) {
          if (broken) {
            const error = typeError();
            return { ok: false, failure: classifyError(error), error };
          }
          return real.call(entry, request, options);
        },
      };
      const { primary, fallback, router, registry } = await setUp({ transport });
      const error = await rejection(router.startTurn().main(ask('hi')));
      expect(error).toMatchObject({
        name: 'RoutingError',
        message: "main reply failed: internal error: TypeError: Cannot read properties of undefined (reading 'messages')",
        failure: { kind: 'local', reason: 'internal_error' },
        attempts: [{ label: 'model' }],
      });
      expect(counts(primary, fallback)).toEqual([0, 0]);
      expect(await facts(registry)).toEqual([]);
      broken = false;
      expect((await router.startTurn().main(ask('hello'))).servedBy).toBe('model');
    });

    it('throwing it: the caller gets that TypeError itself, nothing is recorded, the router goes on', async () => {
      const real = sdkTransport();
      let broken = true;
      const transport: Transport = {
        async call(entry, request, options) {
          if (broken) throw typeError();
          return real.call(entry, request, options);
        },
      };
      const { primary, fallback, router, registry } = await setUp({ transport });
      const error = await rejection(router.startTurn().main(ask('hi')));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe("Cannot read properties of undefined (reading 'messages')");
      expect(counts(primary, fallback)).toEqual([0, 0]);
      expect(await facts(registry)).toEqual([]);
      broken = false;
      expect((await router.startTurn().main(ask('hello'))).servedBy).toBe('model');
    });
  });

  describe("the caller's abort records nothing", () => {
    it('aborted before the call: no request, no fact', async () => {
      const { primary, fallback, router, registry } = await setUp();
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(router.startTurn().main(ask('hi'), { signal: controller.signal }));
      expect(error).toMatchObject({ name: 'RoutingError', failure: { kind: 'aborted' } });
      expect(counts(primary, fallback)).toEqual([0, 0]);
      expect(await facts(registry)).toEqual([]);
    });

    for (const stream of [false, true]) {
      it(`aborted while the primary holds the request (${stream ? 'stream' : 'json'}): no fact, no fail-over, the primary still healthy`, async () => {
        const { primary, fallback, router, registry, config, routability } = await setUp();
        primary.fake.enqueue(faults.hang());
        const controller = new AbortController();
        const call = rejection(router.startTurn().main(ask('hi', { stream }), { signal: controller.signal }));
        await settled(() => primary.count() === 1);
        controller.abort();
        expect(await call).toMatchObject({ name: 'RoutingError', failure: { kind: 'aborted' } });
        expect(counts(primary, fallback)).toEqual([1, 0]);
        expect(await facts(registry)).toEqual([]);
        expect(routability(config.primary).routable).toBe(true);
      });
    }
  });
});
