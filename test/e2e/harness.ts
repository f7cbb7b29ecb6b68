/**
 * Shared set-up of the end-to-end routing tests: real `@anthropic-ai/sdk` and `openai` clients
 * (through `sdkTransport()`) against local FakeBackend servers on 127.0.0.1. Health time and the
 * turn's inline waits run on a VirtualClock (cooldowns need no real waiting); the HTTP, the SDKs'
 * own timeouts and the transport's deadlines run on Node's timers, which tests of those deadlines
 * fake (test/support/virtualTimers.ts) so that no assertion depends on how busy the machine is.
 *
 * Every server, router and registry made through an {@link E2E} is closed by `e2e.close()`, which
 * each test file calls in `afterEach`. Active probes are on (the default) unless a test turns them
 * off: a backend whose cooldown ends gets one `max_tokens: 1` request from the router itself, so
 * tests wait for it with {@link settled} and count it.
 */
import { VirtualClock } from '../../src/clock/virtualClock.js';
import {
  candidateRoutability,
  classifierOptionsFrom,
  createHealthRouter,
  loadRouterConfig,
  memoryJournal,
  openHealthRegistry,
  type BackendEntry,
  type CandidateRoutability,
  type HealthRegistry,
  type HealthRouter,
  type HealthRouterOptions,
  type NeutralRequest,
  type RouterConfig,
  type RouterNotice,
} from '../../src/index.js';
import { FakeBackend, type FakeFault, type FakeRequest, type FaultPlan } from '../../src/testing/index.js';
import { sdkTransport } from '../../src/transports/index.js';
import { CONDITION_BOUND_MS, until } from '../support/virtualTimers.js';

/** The simulated health time every test starts at. */
export const T0 = 1_700_000_000_000;

/** A one-message neutral request. */
export const ask = (text: string, extra: Partial<NeutralRequest> = {}): NeutralRequest => ({
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  maxTokens: 64,
  ...extra,
});

/** The two wire paths the fake serves. */
export const MESSAGES = '/v1/messages';
export const CHAT = '/v1/chat/completions';

/** A started fake server: the fake (requests, plans) and its base URL (`http://127.0.0.1:PORT`). */
export interface Server {
  readonly fake: FakeBackend;
  readonly url: string;
  readonly port: number;
  /** Requests received so far. */
  count(path?: string): number;
  /** The paths of every request received so far, in order. */
  paths(): string[];
}

/** A router wired for an end-to-end test. */
export interface Routed {
  readonly config: RouterConfig;
  readonly clock: VirtualClock;
  readonly registry: HealthRegistry;
  readonly router: HealthRouter;
  readonly notices: RouterNotice[];
  /** Both health keys of an entry, combined as the router does. */
  routability(entry: BackendEntry): CandidateRoutability;
}

export class E2E {
  private readonly closers: (() => Promise<void> | void)[] = [];

  /** Starts a fake server whose unplanned requests get `fallback` (default: a normal reply). */
  async server(fallback?: FaultPlan): Promise<Server> {
    const fake = new FakeBackend(fallback === undefined ? {} : { fallback });
    const started = await fake.start();
    this.closers.push(() => started.close());
    return {
      fake,
      url: started.url,
      port: started.port,
      count: (path?: string) => (path === undefined ? fake.requests.length : fake.requests.filter((r) => r.path === path).length),
      paths: () => fake.requests.map((r) => r.path),
    };
  }

  /**
   * Loads `yaml` (with an empty environment), opens a registry on a VirtualClock at {@link T0} and
   * builds a router with the real SDK transport, classifying with the config's health policy.
   */
  async router(yaml: string, options: Omit<Partial<HealthRouterOptions>, 'config' | 'registry'> = {}): Promise<Routed> {
    const config = loadRouterConfig(yaml, { env: {} });
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal: memoryJournal(), clock, policy: config.health });
    const router = await createHealthRouter({
      transport: sdkTransport({ classify: classifierOptionsFrom(config.health) }),
      // Long enough that no local answer is cut however busy the machine; tests of the deadlines set their own.
      limits: { timeoutMs: CONDITION_BOUND_MS },
      ...options,
      config,
      registry,
    });
    const notices: RouterNotice[] = [];
    router.notices$.subscribe((n) => notices.push(n));
    this.closers.push(async () => {
      await router.close();
      await registry.close();
    });
    return {
      config,
      clock,
      registry,
      router,
      notices,
      routability: (entry) => candidateRoutability(registry.routability(entry.endpointKey), registry.routability(entry.modelKey)),
    };
  }

  /** Closes routers and registries first, then the servers (hanging sockets included). */
  async close(): Promise<void> {
    const closers = this.closers.splice(0).reverse();
    for (const close of closers) await close();
  }
}

/** The entry of `config` with this label (the primary is `model`). */
export function entryOf(config: RouterConfig, label: string): BackendEntry {
  if (label === 'model') return config.primary;
  const found = [...config.fallbacks, ...Object.values(config.auxiliary).flatMap((r) => (r.mode === 'explicit' ? [r.entry] : [])), ...(config.delegation?.entry ? [config.delegation.entry] : [])].find(
    (e) => e.label === label,
  );
  if (!found) throw new Error(`no entry ${label} in the config`);
  return found;
}

/** The fault a plan gives for this request (for plans that switch on a test's flag). */
export function answer(plan: FaultPlan, request: FakeRequest): FakeFault {
  return typeof plan === 'function' ? plan(request) : plan;
}

/**
 * Waits (real time) for something the router does in the background, such as an active probe.
 * The bound only names the failure of a test that would otherwise hang; it measures nothing
 * (see `CONDITION_BOUND_MS`).
 */
export async function settled(done: () => boolean, timeoutMs = CONDITION_BOUND_MS): Promise<void> {
  await until('the router', done, timeoutMs);
}

/** The `max_tokens` a request asked for (an active probe asks for 1). */
export function maxTokensOf(request: { body: unknown } | undefined): unknown {
  return (request?.body as { max_tokens?: unknown } | undefined)?.max_tokens;
}

/** Real milliseconds taken by `run`. */
export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * The config most of these tests share: the design's problem case — an Anthropic-compatible
 * facade as the primary, one OpenAI-compatible fallback — with the given auxiliary tasks on `auto`.
 */
export function facadeWithFallback(primaryUrl: string, fallbackUrl: string, autoTasks: readonly string[] = ['title_generation']): string {
  return [
    'model: claude-sonnet-4-6',
    'provider: anthropic',
    `base_url: ${primaryUrl}`,
    'fallback_providers:',
    '  - provider: custom',
    '    model: qwen3:32b',
    `    base_url: ${fallbackUrl}/v1`,
    '    api_mode: chat_completions',
    'auxiliary:',
    ...autoTasks.map((task) => `  ${task}: { provider: auto }`),
    '',
  ].join('\n');
}
