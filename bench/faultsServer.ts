// Child process of the faults-under-load benchmark: a primary that flips between faults on a fixed
// schedule, a healthy fallback, and the gateway in front of both (default limits and health
// policy, active probes on, a file journal), so the load generator (the parent) does not share
// their event loop. Prints one JSON line with the gateway's URL; on `go` the schedule starts; on
// `report` it prints what each backend received, by phase; on `stop` it closes everything.
// Argument: the gateway config's `health:` section as JSON (`{}` for the default policy).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileJournal, loadGatewayConfig, startGateway } from '../src/index.js';
import { FakeBackend, faults, type FakeFault, type FakeRequest, type FaultPlan } from '../src/testing/index.js';

/** What the primary does in each phase, in order, one phase every `PHASE_MS`, over and over. */
export const PHASES = ['ok', 'crash', 'hang', 'reset', 'rate_limited'] as const;
export type Phase = (typeof PHASES)[number];
const PHASE_MS = Number(process.env.FAULTS_PHASE_MS ?? 3_000);

const answer = (plan: FaultPlan, request: FakeRequest): FakeFault => (typeof plan === 'function' ? plan(request) : plan);
const PLANS: Record<Phase, FaultPlan> = {
  ok: faults.ok('from the primary'),
  crash: faults.crash(), // HTTP 500 {"detail":"Claude Code process exited with code 1"}
  hang: faults.hang(), // accepts the request, never answers
  reset: faults.reset(), // TCP RST before any byte of the answer
  rate_limited: faults.rateLimited(), // 429 with no retry hint
};

let goAt: number | undefined;
const phaseNow = (): Phase => (goAt === undefined ? 'ok' : PHASES[Math.floor((Date.now() - goAt) / PHASE_MS) % PHASES.length]!);

/** Requests the primary received in each phase: a user's (relayed by the gateway), or the router's own one-token probes. */
const received = Object.fromEntries(PHASES.map((p) => [p, { user: 0, probe: 0 }])) as Record<Phase, { user: number; probe: number }>;
let fallbackReceived = 0;

const primary = new FakeBackend({
  fallback: (request) => {
    const phase = phaseNow();
    const probe = (request.body as { max_tokens?: unknown } | undefined)?.max_tokens === 1;
    received[phase][probe ? 'probe' : 'user'] += 1;
    return answer(PLANS[phase], request);
  },
});
const fallback = new FakeBackend({
  fallback: () => {
    fallbackReceived += 1;
    return faults.ok('from the fallback');
  },
});
const [primaryServer, fallbackServer] = [await primary.start(), await fallback.start()];
// The fakes keep every request they received (tests read them); this run counts its own.
const forget = setInterval(() => {
  primary.reset();
  fallback.reset();
}, 1_000);

const health = process.argv[2] ?? '{}';
const config = loadGatewayConfig(
  `
health: ${health}
routes:
  - match: "*"
    model: claude-sonnet-4-6
    provider: anthropic
    base_url: ${primaryServer.url}
    api_key: sk-bench
    fallback_providers:
      - provider: custom
        model: qwen3:32b
        base_url: ${fallbackServer.url}/v1
        api_mode: chat_completions
`,
  { env: {} },
);
const dir = mkdtempSync(join(tmpdir(), 'lhr-faults-bench-'));
const journal = fileJournal(join(dir, 'health.jsonl'));
const gateway = await startGateway({ config, journal });
console.log(JSON.stringify({ gateway: gateway.url, phaseMs: PHASE_MS, phases: PHASES, limits: config.limits }));

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'go') goAt = Date.now();
  if (line === 'report') console.log(JSON.stringify({ primary: received, fallback: fallbackReceived, facts: (await journal.load()).facts.length }));
  if (line === 'stop') break;
}
clearInterval(forget);
await gateway.close();
await journal.close();
await Promise.all([primaryServer.close(), fallbackServer.close()]);
rmSync(dir, { recursive: true, force: true });
process.stdin.destroy();
