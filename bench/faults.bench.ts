import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Phase } from './faultsServer.js';

const DURATION_S = Number(process.env.FAULTS_BENCH_SECONDS ?? 25);
const CONNECTIONS = 10;
const BODY = JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hello' }], max_tokens: 16 });
/** The load generator's own patience (seconds): longer than any gateway deadline, so what is measured is the gateway, not the client. */
const CLIENT_TIMEOUT_S = 120;

/**
 * The health policies the gateway runs under: its defaults, which keep a failed primary away for
 * 30 s (then one early probe every 30 s), and cooldowns of 1 s, which send user traffic back to
 * the primary within a phase or two, so every kind of fault meets live requests.
 */
const SCENARIOS = [
  { id: 'default', label: 'default health policy', health: {} },
  {
    id: 'short-cooldowns',
    label: 'cooldowns of 1 s (probes every 1 s, 2 s probe timeout)',
    health: { cooldown: { baseMs: 1_000, multiplier: 1, maxMs: 1_000 }, rateLimit: { defaultMs: 1_000 }, probe: { timeoutMs: 2_000, intervalMs: 1_000 } },
  },
] as const;

/**
 * Faults under load: concurrent clients send non-streaming `POST /v1/chat/completions` to the
 * gateway for `DURATION_S` seconds per health policy while its primary flips every 3 s between
 * answering, crashing (HTTP 500 "Claude Code process exited with code 1"), hanging, resetting the
 * connection and answering 429, with a healthy fallback behind it. What the clients saw
 * (requests, statuses, latency) comes from autocannon in this process; what the primary received
 * in each phase (user requests and the router's probes), from the child process that runs the
 * backends and the gateway.
 */
export async function faultsBench() {
  const loadAtStart = loadavg()[0]!;
  const scenarios = [];
  for (const scenario of SCENARIOS) scenarios.push({ id: scenario.id, label: scenario.label, health: scenario.health, ...(await run(scenario.health)) });
  return {
    // This figure's own machine line (other suites may be measured on another day): the load
    // average says whether the machine was busy with other work while it ran.
    machine: {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      date: new Date().toISOString().slice(0, 10),
      loadAverage1m: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadavg()[0]! * 100) / 100 },
    },
    durationS: DURATION_S,
    connections: CONNECTIONS,
    ...scenarios[0]!.setup,
    scenarios: scenarios.map(({ setup: _, ...rest }) => rest),
  };
}

async function run(health: object) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./faultsServer.ts', import.meta.url)), JSON.stringify(health)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  try {
    const started = (await next()) as { gateway: string; phaseMs: number; phases: Phase[]; limits: Record<string, number> };
    child.stdin.write('go\n');
    const result = await autocannon({
      url: `${started.gateway}/v1/chat/completions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
      connections: CONNECTIONS,
      duration: DURATION_S,
      timeout: CLIENT_TIMEOUT_S,
    });
    child.stdin.write('report\n');
    const seen = (await next()) as { primary: Record<Phase, { user: number; probe: number }>; fallback: number; facts: number };
    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count ?? 0]));
    const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
    const failing = started.phases.filter((p) => p !== 'ok');
    const sum = (kind: 'user' | 'probe') => failing.reduce((n, p) => n + seen.primary[p][kind], 0);
    return {
      setup: { phaseMs: started.phaseMs, phases: started.phases, limits: started.limits },
      requests: answered + result.errors,
      statuses,
      clientErrors: {
        // Every answer that was not a 200, by status, and requests that got no HTTP answer at all.
        byStatus: Object.fromEntries(Object.entries(statuses).filter(([status]) => status !== '200')),
        noAnswer: result.errors,
        timeouts: result.timeouts,
      },
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      primary: { byPhase: seen.primary, userWhileFailing: sum('user'), probesWhileFailing: sum('probe'), userWhileOk: seen.primary.ok.user },
      fallbackRequests: seen.fallback,
      journaledFacts: seen.facts,
    };
  } finally {
    child.stdin.end('stop\n');
    await new Promise((resolve) => child.on('close', resolve));
  }
}
