import { createActor } from 'xstate';
import {
  backendHealthMachine,
  captureErrorBodies,
  classifierOptionsFrom,
  classifyError,
  endpointKey,
  identify,
  resolveHealthPolicy,
  routability,
  sdkBaseUrl,
  VirtualClock,
  type HealthStatus,
} from '../index.js';
import { FakeBackend, faults } from '../testing/index.js';
import { seededRandom } from '../util/seededRandom.js';
import { loadAnthropic } from './peerSdk.js';

/** How the walkthrough's simulated outage runs. Times are simulated seconds. */
export interface WalkthroughOptions {
  readonly outageSeconds: number;
  readonly everySeconds: number;
  readonly calls: number;
  /** Seeds the cooldown jitter so a run can be repeated exactly. */
  readonly seed: number;
}

/** One call of the walkthrough: what the health actor said, what was done, what came back. */
export interface WalkthroughRow {
  /** Simulated ms since the start. */
  readonly at: number;
  readonly before: HealthStatus;
  readonly decision: 'call' | 'probe' | 'kept off';
  /** What the facade answered, as classified; absent when it was kept off. */
  readonly answer?: string;
  readonly after: HealthStatus;
  /** Simulated ms since the start when the backend may be tried again, for a closed state. */
  readonly until: number | null;
  readonly level: number;
}

/** What the walkthrough measured, counted from the requests the local facade received. */
export interface WalkthroughSummary {
  readonly calls: number;
  readonly outageSeconds: number;
  readonly facadeRequests: number;
  readonly facadeRequestsDuringOutage: number;
  /** What a caller without health tracking would have sent the dead facade: every call. */
  readonly naiveRequestsDuringOutage: number;
  /** Simulated seconds after the recovery when a call was served by the facade again (null: never in this run). */
  readonly backOnFacadeAfterSeconds: number | null;
}

/**
 * Runs the walkthrough: a local Anthropic-compatible facade answers HTTP 500 "Claude Code process
 * exited with code 1" for `outageSeconds` of simulated time, then recovers; a call is made every
 * `everySeconds` through the real Anthropic SDK, each asking the backend's health actor first.
 * Time is simulated (a VirtualClock drives the actor and the facade's outage); the HTTP calls are real.
 */
export async function runWalkthrough(options: WalkthroughOptions): Promise<{ facadeUrl: string; rows: WalkthroughRow[]; summary: WalkthroughSummary }> {
  const Anthropic = await loadAnthropic();
  const policy = resolveHealthPolicy();
  const t0 = Date.now();
  const clock = new VirtualClock(t0);
  const outageEnd = t0 + options.outageSeconds * 1000;
  const facadeServer = new FakeBackend({ fallback: () => (clock.now() < outageEnd ? faults.crash() : faults.ok('Hello from the recovered facade.')) });
  const started = await facadeServer.start();
  const jitter = seededRandom(options.seed);
  const rows: WalkthroughRow[] = [];
  try {
    const facade = identify({ provider: 'anthropic', baseUrl: started.url });
    const health = createActor(backendHealthMachine, { clock, input: { key: endpointKey(facade), policy, at: t0 } }).start();
    const client = new Anthropic({ apiKey: 'walkthrough', baseURL: sdkBaseUrl(facade), maxRetries: 0, timeout: 5_000, fetch: captureErrorBodies() });
    for (let i = 0; i < options.calls; i++) {
      const at = t0 + Math.round(i * options.everySeconds * 1000);
      clock.advanceTo(at);
      const before = health.getSnapshot().context.status;
      const route = routability(health.getSnapshot(), at);
      let answer: string | undefined;
      if (route.routable) {
        if (route.as === 'probe') health.send({ type: 'probe.started', at });
        try {
          await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: `call ${i + 1}` }] });
          health.send({ type: 'call.succeeded', at, startedAt: at });
          answer = '200 reply';
        } catch (error) {
          const failure = classifyError(error, classifierOptionsFrom(policy));
          health.send({ type: 'call.failed', at, startedAt: at, failure, jitterSample: jitter() });
          answer = `${failure.status ?? '---'} ${failure.kind} (${failure.reason})`;
        }
      }
      const after = health.getSnapshot();
      const closed = after.hasTag('closed');
      rows.push({
        at: at - t0,
        before,
        decision: route.routable ? route.as : 'kept off',
        ...(answer !== undefined ? { answer } : {}),
        after: after.context.status,
        until: closed && after.context.deadline !== null ? after.context.deadline - t0 : null,
        level: after.context.level,
      });
    }
    health.stop();
  } finally {
    await started.close();
  }
  const outageMs = options.outageSeconds * 1000;
  const sent = rows.filter((r) => r.decision !== 'kept off');
  const backOn = rows.find((r) => r.at >= outageMs && r.answer === '200 reply');
  return {
    facadeUrl: started.url,
    rows,
    summary: {
      calls: rows.length,
      outageSeconds: options.outageSeconds,
      facadeRequests: facadeServer.count('/v1/messages'),
      facadeRequestsDuringOutage: sent.filter((r) => r.at < outageMs).length,
      naiveRequestsDuringOutage: rows.filter((r) => r.at < outageMs).length,
      backOnFacadeAfterSeconds: backOn ? (backOn.at - outageMs) / 1000 : null,
    },
  };
}

