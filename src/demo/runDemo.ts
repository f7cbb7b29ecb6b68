import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  classifierOptionsFrom,
  createHealthRouter,
  fileJournal,
  loadRouterConfig,
  openHealthRegistry,
  RoutingError,
  VirtualClock,
  type AuxiliaryResult,
  type HealthRegistry,
  type NeutralRequest,
  type RouterConfig,
  type RouterNotice,
} from '../index.js';
import { sdkTransport } from '../transports/index.js';
import { seededRandom } from '../util/seededRandom.js';
import { demoPrompt, startDemoBackends } from './demoBackends.js';
import { summarizeDemo } from './summarizeDemo.js';
import type { DemoCall, DemoOptions, DemoResult, DemoTurnRow } from './demoTypes.js';
import { DEMO_VARIANTS } from './variants.js';
import { writeDemoReport } from './writeDemoReport.js';

const ask = (text: string, maxTokens = 256): NeutralRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], maxTokens });

/** The Hermes-format config the demo runs on: the facade as the primary, the local model as the fallback. */
function demoConfig(facadeUrl: string, fallbackUrl: string, health: unknown): RouterConfig {
  const raw = {
    model: 'claude-sonnet-4-6',
    provider: 'anthropic',
    base_url: facadeUrl,
    api_key: 'demo-key',
    fallback_providers: [{ provider: 'custom', model: 'qwen3:32b', base_url: `${fallbackUrl}/v1`, api_mode: 'chat_completions' }],
    auxiliary: { title_generation: { provider: 'auto' }, compression: { provider: 'auto' } },
    health,
  };
  // JSON is YAML: the loader reads it as a user's config file, with the same checks.
  return loadRouterConfig(JSON.stringify(raw), { env: {} });
}

/**
 * The design's problem case, live: an Anthropic-compatible facade that crashes with HTTP 500
 * "Claude Code process exited with code 1" and recovers later, an OpenAI-compatible fallback, and
 * a sequence of turns (main reply, title, an auxiliary task, a delegated sub-agent) through the
 * router and the real SDKs. Health time is simulated; every request stays on 127.0.0.1. Writes
 * the journal and an HTML report into `outDir`.
 *
 * @example
 * ```ts
 * import { runDemo } from 'llm-health-router';
 * const { summary } = await runDemo({ outDir: '/tmp/llm-health-router-demo' });
 * console.log(summary.userVisibleFailures); // 0
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const turns = options.turns ?? 16;
  const everyMs = (options.turnEverySeconds ?? 20) * 1000;
  const outageMs = (options.outageSeconds ?? 180) * 1000;
  const variant = options.variant ?? DEMO_VARIANTS[0]!;
  try {
    mkdirSync(options.outDir, { recursive: true });
    accessSync(options.outDir, constants.W_OK);
  } catch (error) {
    throw new Error(`cannot write the demo's journal and report to ${options.outDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const journalPath = join(options.outDir, 'health.jsonl');
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const clock = new VirtualClock(t0);
  let registry: HealthRegistry | undefined;
  let turnNo = 0;
  let primaryKey = '';
  const backends = await startDemoBackends(clock, t0 + outageMs, { turn: () => turnNo, facadeStatus: () => (registry && primaryKey ? registry.health(primaryKey).status : 'healthy') });
  const rows: DemoTurnRow[] = [];
  const notices: (RouterNotice & { turn: number })[] = [];
  const turnTimes: { id: string; at: number; label: string }[] = [];
  try {
    const config = demoConfig(backends.facadeUrl, backends.fallbackUrl, variant.health);
    primaryKey = config.primary.endpointKey;
    registry = await openHealthRegistry({ journal: fileJournal(journalPath), clock, policy: config.health, random: seededRandom(options.seed ?? 1), ...(options.inspect ? { inspect: options.inspect } : {}) });
    const router = await createHealthRouter({
      config,
      transport: sdkTransport({ classify: classifierOptionsFrom(config.health) }),
      registry,
      activeProbes: variant.activeProbes,
      limits: { timeoutMs: 10_000 },
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    router.notices$.subscribe((n) => notices.push({ ...n, turn: turnNo }));
    const live = registry;
    const probesSoFar = () => backends.facadeLog.filter((r) => r.purpose === 'probe').length;
    let probesSeen = 0;
    const probesSettled = () => settled(() => !live.all().some((b) => b.probeInFlight));
    for (let i = 0; i < turns; i++) {
      // Time moves a second at a time, so an active probe due between turns goes out when it is due.
      for (let t = clock.now() + 1000; t <= t0 + i * everyMs; t += 1000) {
        clock.advanceTo(t);
        await probesSettled();
      }
      clock.advanceTo(t0 + i * everyMs);
      turnNo = i + 1;
      // Probes go out between turns, while time moves: each row shows those since the previous turn.
      const probesNow = probesSoFar();
      const facadeProbes = probesNow - probesSeen;
      probesSeen = probesNow;
      const facadeBefore = describeHealth(live, primaryKey, clock.now());
      const sentBefore = backends.facadeLog.length;
      const noticesBefore = notices.length;
      const turn = router.startTurn();
      turnTimes.push({ id: turn.id, at: clock.now(), label: `turn ${turnNo}` });
      let main: DemoCall;
      try {
        const reply = await turn.main(ask(demoPrompt('main', turnNo, 'What changed in the build since yesterday?')));
        main = { servedBy: reply.servedBy, model: reply.model };
      } catch (error) {
        if (!(error instanceof RoutingError)) throw error;
        main = { failed: error.message };
      }
      const title = asCall(await turn.title(ask(demoPrompt('title', turnNo, 'Write a five-word title for this conversation.'), 32)));
      const auxiliary = asCall(await turn.auxiliary('compression', ask(demoPrompt('auxiliary', turnNo, 'Summarize the conversation so far.'))));
      let delegate: DemoCall;
      try {
        const reply = await turn.delegate().main(ask(demoPrompt('delegate', turnNo, 'List the failing tests.')));
        delegate = { servedBy: reply.servedBy, model: reply.model };
      } catch (error) {
        if (!(error instanceof RoutingError)) throw error;
        delegate = { failed: error.message };
      }
      turn.end();
      const inTurn = backends.facadeLog.slice(sentBefore);
      const row: DemoTurnRow = {
        turn: turnNo,
        turnId: turn.id,
        atSeconds: (clock.now() - t0) / 1000,
        facadeDown: clock.now() < t0 + outageMs,
        facadeBefore,
        main,
        title,
        auxiliary,
        delegate,
        notices: notices.slice(noticesBefore).map((n) => n.type),
        facadeRequests: inTurn.filter((r) => r.purpose !== 'probe').length,
        facadeProbes,
      };
      rows.push(row);
      options.onTurn?.(row, turns);
      if (options.paceMs) await new Promise((resolve) => setTimeout(resolve, options.paceMs));
    }
    await probesSettled();
    await router.close();
    await live.close();
    const reportPath = await writeDemoReport(options.outDir, journalPath, config.health, turnTimes, clock.now());
    return {
      facadeUrl: backends.facadeUrl,
      fallbackUrl: backends.fallbackUrl,
      outDir: options.outDir,
      journalPath,
      reportPath,
      rows,
      summary: summarizeDemo({ variant: variant.name, rows, facadeLog: backends.facadeLog, notices, t0, outageMs }),
    };
  } finally {
    await backends.close();
  }
}

function asCall(result: AuxiliaryResult): DemoCall {
  if ('skipped' in result) return { skipped: result.skipped };
  if ('failed' in result) return { failed: `${result.failed.kind} (${result.failed.reason})` };
  return { servedBy: result.servedBy, model: result.model };
}

/** `healthy`, `cooldown 42 s`, `recovering` … as the turn found it. */
function describeHealth(registry: HealthRegistry, key: string, now: number): string {
  const view = registry.health(key, now);
  if (view.routability.routable) return view.status;
  return `${view.status} ${Math.ceil((view.routability.until - now) / 1000)} s`;
}

/** Waits (real time, bounded) for background work such as an active probe's HTTP request. */
async function settled(done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  // Let what the last step started (a probe queued as a microtask, an HTTP round trip) begin first.
  await new Promise((resolve) => setImmediate(resolve));
  while (!done()) {
    if (Date.now() > until) throw new Error('the demo waited too long for a probe to finish');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
