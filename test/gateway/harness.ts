import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { loadGatewayConfig, memoryJournal, openHealthRegistry, startGateway, VirtualClock, type GatewayOptions, type RunningGateway } from '../../src/index.js';
import { FakeBackend, type FaultPlan } from '../../src/testing/index.js';

/** The simulated health time a virtual-clock gateway starts at. */
export const T0 = 1_700_000_000_000;

/** A started fake backend and how to count what it received. */
export interface Backend {
  readonly fake: FakeBackend;
  readonly url: string;
  count(path?: string): number;
}

/**
 * Fake backends, a gateway in front of them, and real SDK clients pointed at the gateway; every
 * server is closed by `close()` (each test file calls it in afterEach).
 */
export class GatewayHarness {
  private readonly closers: (() => Promise<void>)[] = [];

  async backend(fallback?: FaultPlan): Promise<Backend> {
    const fake = new FakeBackend(fallback === undefined ? {} : { fallback });
    const started = await fake.start();
    this.closers.push(() => started.close());
    return { fake, url: started.url, count: (path) => (path === undefined ? fake.requests.length : fake.requests.filter((r) => r.path === path).length) };
  }

  /** A gateway from config YAML (empty environment); `virtualClock` puts health on simulated time. */
  async gateway(yaml: string, options: Omit<Partial<GatewayOptions>, 'config'> & { virtualClock?: boolean } = {}): Promise<RunningGateway & { clock?: VirtualClock }> {
    const config = loadGatewayConfig(yaml, { env: {} });
    const { virtualClock, ...rest } = options;
    const clock = virtualClock ? new VirtualClock(T0) : undefined;
    const registry = clock ? await openHealthRegistry({ journal: memoryJournal(), clock, policy: config.health, random: () => 0 }) : undefined;
    const gateway = await startGateway({ config, ...(registry ? { registry } : {}), ...rest });
    this.closers.push(async () => {
      await gateway.close();
      await registry?.close();
    });
    return clock ? Object.assign(gateway, { clock }) : gateway;
  }

  openai(gateway: RunningGateway, apiKey = 'client-key'): OpenAI {
    return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0, timeout: 20_000 });
  }

  anthropic(gateway: RunningGateway, apiKey = 'client-key'): Anthropic {
    return new Anthropic({ baseURL: gateway.url, apiKey, maxRetries: 0, timeout: 20_000 });
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}

/** A route config: the Anthropic-compatible facade as the primary, an OpenAI-compatible fallback. */
export function facadeRoute(facadeUrl: string, fallbackUrl: string, extra = ''): string {
  return `
routes:
  - match: "claude-*"
    model: claude-sonnet-4-6
    provider: anthropic
    base_url: ${facadeUrl}
    api_key: facade-key
    fallback_providers:
      - provider: custom
        model: qwen3:32b
        base_url: ${fallbackUrl}/v1
        api_mode: chat_completions
${extra}`;
}
