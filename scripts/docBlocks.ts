import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { backendHealthMachine } from '../src/health/index.js';
import { turnCallMachine } from '../machines/turn.machine.js';
import { statechartToMermaid, statechartTransitions } from '../src/visual/statechartMermaid.js';
import { cliBenchTables } from './cliBenchTable.js';

/** A generated section of a Markdown file, between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export interface GeneratedBlock {
  readonly file: string;
  readonly name: string;
  readonly render: () => string;
}

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Every block `npm run docs` writes; the docs test regenerates each and compares with the committed file. */
export const GENERATED_BLOCKS: readonly GeneratedBlock[] = [
  { file: 'docs/benchmarks.md', name: 'bench-registry', render: registryBenchTable },
  { file: 'docs/benchmarks.md', name: 'bench-routing', render: routingBenchTables },
  { file: 'docs/benchmarks.md', name: 'bench-gateway', render: gatewayBenchTable },
  { file: 'docs/benchmarks.md', name: 'bench-request-limits', render: requestLimitsBenchTable },
  { file: 'docs/benchmarks.md', name: 'bench-flapping', render: flappingBenchTable },
  { file: 'docs/benchmarks.md', name: 'bench-faults', render: faultsBenchTable },
  { file: 'docs/benchmarks.md', name: 'bench-cli', render: cliBenchTables },
  {
    file: 'README.md',
    name: 'readme-health-example',
    render: () => ['```ts', readFileSync(fromRoot('examples/health-check.ts'), 'utf8').trimEnd(), '```'].join('\n'),
  },
  {
    file: 'README.md',
    name: 'readme-agent-example',
    render: () => ['```ts', readFileSync(fromRoot('examples/agent.ts'), 'utf8').trimEnd(), '```'].join('\n'),
  },
  {
    file: 'README.md',
    name: 'readme-persistence-example',
    render: () => ['```ts', readFileSync(fromRoot('examples/persistence.ts'), 'utf8').trimEnd(), '```'].join('\n'),
  },
  { file: 'docs/routing.md', name: 'turn-statechart', render: () => ['```mermaid', statechartToMermaid(turnCallMachine), '```'].join('\n') },
  { file: 'docs/health.md', name: 'health-statechart', render: () => ['```mermaid', statechartToMermaid(backendHealthMachine), '```'].join('\n') },
  {
    file: 'docs/health.md',
    name: 'health-transitions',
    render: () => {
      const rows = statechartTransitions(backendHealthMachine);
      return [
        '| from | event | guard | to | actions |',
        '|---|---|---|---|---|',
        ...rows.map((r) => `| ${r.source} | \`${r.event}\` | ${r.guard || '—'} | ${r.target} | ${r.actions || '—'} |`),
      ].join('\n');
    },
  },
];

interface LoadRun {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

interface BenchResults {
  machine?: { node: string; cpu: string; cores: number; date: string };
  requestLimits?: {
    requestBytes: number;
    checkRequestLimitsMicroseconds: number;
    stringifyMicroseconds: number;
    gatewayScanMicroseconds: number;
    gatewayParseMicroseconds: number;
    deepBody: { levels: number; bytes: number; scanMicroseconds: number; parseMs: number; parseHeapMiB: number };
    /** Set when the suite was run alone, on a day other suites were not. */
    machine?: { node: string; cpu: string; cores: number; date: string };
  };
  gateway?: {
    durationS: number;
    connections: number;
    direct: LoadRun;
    gateway: LoadRun;
    addedP50Ms: number;
    addedP99Ms: number;
    throughputRatio: number;
    heapMiB: { start: number; end: number; max: number; samples: number };
  };
  registry?: {
    replay: { facts: number; backends: number; ms: number; factsPerSecond: number; bareActorSendMicroseconds: number; ratioToBareActorSend: number };
    rehydration10k: { backends: number; tailFacts: number; ms: number; targetMs: number };
    memory: { actors: number; bytesPerActor: number };
    appendMicrosecondsPerFact: Record<string, number>;
    hotPath: { registryHealthySuccessNs: number; baselineMapGetNs: number; cockatielBreakerExecuteNs: number; ratioToCockatiel: number; journalWrites: number; events: number; actorEvents?: number };
  };
  routing?: RoutingResults;
}

interface RoutingRow {
  policy: string;
  label: string;
  deadRequests: number;
  deadByPurpose: { main: number; title: number; auxiliary: number; probe: number };
  beforeFirstCooldown: number;
  cooldownWindows: number;
  maxPerWindow: number | null;
  closestGapS?: number | null;
  userVisibleFailures: number;
  warnings: number;
  quietSkips: number;
  backOnPrimaryS: number | null;
  sentWhileCooling?: number;
  healthyAgainS?: number;
  probeIntervalAtRecoveryS?: number;
  sweep: { worstBackOnPrimaryS: number | null; meanBackOnPrimaryS: number | null; worstHealthyAgainS?: number; healthyLaterThanOneProbeInterval?: number };
}

interface FlappingRun {
  allUnhealthy: string;
  requests: number;
  requestsWhileUp: number;
  successes: number;
  successesWhileUp: number;
  successesAfterFirstWindow: number;
  requestsToDownBackends: number;
  activeProbes: number;
  successRatePct: number;
  successRateWhileUpPct: number;
}

interface RoutingResults {
  flapping?: {
    windowS: number;
    upSharePct: number;
    durationS: number;
    requestEveryMs: number;
    date?: string;
    failures: { id: string; label: string; runs: FlappingRun[] }[];
  };
  hotPath: {
    directNs: number;
    routedNs: number;
    mainOnOpenTurnNs: number;
    routedUnderTsxNs?: number;
    cockatielNs: number;
    opossumNs: number;
    opossumDefaultTimeoutNs: number;
    overheadNs: { routed: number; mainOnOpenTurn: number; cockatiel: number; opossum: number; opossumDefaultTimeout: number };
    ratioToCockatielOverhead: number;
    ratioToOpossumOverhead: number;
    belowCockatiel: boolean;
    breakdownNs: { startTurn: number; turnCallActor: number; xstateInvokePromiseFloor: number; registrySuccessRecord: number };
  };
  outage: {
    outageS: number;
    healthyS: number;
    turnEveryS: number;
    turns: number;
    outageTurns: number;
    sweep: { outages: number; fromS: number; toS: number; stepS: number };
    scenarios: { id: string; label: string; rows: RoutingRow[] }[];
  };
}

/** The registry benchmark table, from the committed bench/results.json (`npm run bench` rewrites both). */
function registryBenchTable(): string {
  const results = JSON.parse(readFileSync(fromRoot('bench/results.json'), 'utf8')) as BenchResults;
  const r = results.registry;
  const m = results.machine;
  if (!r || !m) return '_No results yet: run `npm run bench`._';
  const a = r.appendMicrosecondsPerFact;
  return [
    `Measured ${m.date} on ${m.cpu} (${m.cores} cores), Node ${m.node}.`,
    '',
    '| measure | result | compared with (same run) |',
    '|---|---|---|',
    `| full replay, ${r.replay.facts.toLocaleString('en')} facts over ${r.replay.backends.toLocaleString('en')} backends | ${r.replay.ms} ms, ${r.replay.factsPerSecond.toLocaleString('en')} facts/s | ${r.replay.ratioToBareActorSend}× the cost of sending the same facts straight to one XState actor (${r.replay.bareActorSendMicroseconds} µs/fact) |`,
    `| rehydration of ${r.rehydration10k.backends.toLocaleString('en')} backends from a snapshot + ${r.rehydration10k.tailFacts.toLocaleString('en')}-fact tail (file journal) | ${r.rehydration10k.ms} ms | target < ${r.rehydration10k.targetMs} ms |`,
    `| memory per live health actor | ${(r.memory.bytesPerActor / 1024).toFixed(1)} KiB | ${r.memory.actors.toLocaleString('en')} actors, heap after GC |`,
    `| append, fsync \`always\` | ${a['always']} µs/fact | bare \`appendFileSync\` of the same line: ${a['baseline_appendFileSync']} µs |`,
    `| append, fsync every 1000 ms | ${a['interval_1000ms']} µs/fact | ″ |`,
    `| append, fsync \`never\` | ${a['never']} µs/fact | ″ |`,
    `| hot path: success on a healthy backend | ${r.hotPath.registryHealthySuccessNs} ns; ${r.hotPath.journalWrites} journal writes, ${r.hotPath.events} appended facts, ${r.hotPath.actorEvents ?? 'uncounted'} actor events | a bare \`Map.get\`: ${r.hotPath.baselineMapGetNs} ns; cockatiel \`breaker.execute\` of a no-op: ${r.hotPath.cockatielBreakerExecuteNs} ns (ratio ${r.hotPath.ratioToCockatiel}) |`,
  ].join('\n');
}

const ns = (n: number) => (n < 10_000 ? `${n.toLocaleString('en', { maximumFractionDigits: 1 })} ns` : `${(n / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} µs`);
const orDash = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? '—' : `${v}${unit}`);

/** The routing benchmark tables (issue 4): hot-path overhead, then the outage simulation per failure mode. */
function routingBenchTables(): string {
  const results = JSON.parse(readFileSync(fromRoot('bench/results.json'), 'utf8')) as BenchResults;
  const r = results.routing;
  const m = results.machine;
  if (!r || !m) return '_No results yet: run `npm run bench`._';
  const h = r.hotPath;
  const vsCockatiel = (overhead: number) => `${(overhead / h.overheadNs.cockatiel).toLocaleString('en', { maximumFractionDigits: overhead >= 10 * h.overheadNs.cockatiel ? 0 : 2 })}×`;
  const o = r.outage;
  const router = o.scenarios.map((s) => ({ s, row: s.rows.find((row) => row.policy === 'router') })).filter((x): x is { s: typeof x.s; row: RoutingRow } => x.row !== undefined);
  const targetPerWindow = router.every(({ row }) => (row.maxPerWindow ?? 0) <= 1 && (row.sentWhileCooling ?? 0) === 0);
  const targetFailures = router.every(({ row }) => row.userVisibleFailures === 0);
  const targetBack = router.every(({ row }) => row.sweep.healthyLaterThanOneProbeInterval === 0);
  const yesNo = (ok: boolean) => (ok ? '**met**' : '**missed**');
  const lines = [
    `Measured ${m.date} on ${m.cpu} (${m.cores} cores), Node ${m.node}.`,
    '',
    '**(a) Hot path: one healthy call through a no-op transport**',
    '',
    '| call | time per call | overhead over the direct call | overhead ÷ cockatiel\'s |',
    '|---|---|---|---|',
    `| direct \`transport.call\` (the baseline) | ${ns(h.directNs)} | — | — |`,
    `| this router (compiled, as in \`dist/\`): \`router.startTurn()\` + \`turn.main(request)\` | ${ns(h.routedNs)} | ${ns(h.overheadNs.routed)} | ${vsCockatiel(h.overheadNs.routed)} |`,
    `| this router: \`turn.main(request)\` on an open turn | ${ns(h.mainOnOpenTurnNs)} | ${ns(h.overheadNs.mainOnOpenTurn)} | ${vsCockatiel(h.overheadNs.mainOnOpenTurn)} |`,
    ...(h.routedUnderTsxNs !== undefined
      ? [`| the same router run from its TypeScript sources through tsx (for the record: not what users run) | ${ns(h.routedUnderTsxNs)} | ${ns(h.routedUnderTsxNs - h.directNs)} | ${vsCockatiel(h.routedUnderTsxNs - h.directNs)} |`]
      : []),
    `| cockatiel \`wrap(fallback(…), circuitBreaker(ConsecutiveBreaker(2)))\` | ${ns(h.cockatielNs)} | ${ns(h.overheadNs.cockatiel)} | 1× |`,
    `| opossum \`new CircuitBreaker(fn, { timeout: false }).fallback(…)\`, \`fire()\` | ${ns(h.opossumNs)} | ${ns(h.overheadNs.opossum)} | ${vsCockatiel(h.overheadNs.opossum)} |`,
    `| opossum with its defaults (a 10 s timeout armed per call) | ${ns(h.opossumDefaultTimeoutNs)} | ${ns(h.overheadNs.opossumDefaultTimeout)} | ${vsCockatiel(h.overheadNs.opossumDefaultTimeout)} |`,
    '',
    `Target: below cockatiel's overhead — ${yesNo(h.belowCockatiel)}: a routed call's overhead is ${vsCockatiel(h.overheadNs.routed)} cockatiel's ` +
      `(${(h.overheadNs.routed / h.overheadNs.opossum).toLocaleString('en', { maximumFractionDigits: 0 })}× opossum's). Where the time goes, each part measured alone: \`startTurn()\` ${ns(h.breakdownNs.startTurn)}; ` +
      `the turn-call statechart actor with stub services — what a call costs when it runs the chart (create, start, invoke the call, reach its final state) — ${ns(h.breakdownNs.turnCallActor)}; ` +
      `XState's floor for any actor that invokes one promise ${ns(h.breakdownNs.xstateInvokePromiseFloor)}; ` +
      `recording the success in the health registry ${ns(h.breakdownNs.registrySuccessRecord)}.`,
    '',
    `**(b) Outage: the primary down for ${o.outageS / 60} minutes, then healthy for ${o.healthyS / 60}; a turn every ${o.turnEveryS} s (main reply + title + one auxiliary task), ${o.turns} turns, ${o.outageTurns} of them during the outage**`,
  ];
  for (const s of o.scenarios) {
    lines.push(
      '',
      `The primary answers: ${s.label}.`,
      '',
      '| policy | requests to the dead primary (main / title / auxiliary / probe) | before the first cooldown | most per window | closest two after that | user requests sent while in cooldown | failed main replies | warnings | back on the primary after recovery | over ' +
        `${o.sweep.outages} recovery instants (worst / mean) |`,
      '|---|---|---|---|---|---|---|---|---|---|',
      ...s.rows.map((row) => {
        const p = row.deadByPurpose;
        const cycles = row.maxPerWindow === null ? 'never cooled' : `${row.maxPerWindow} (${row.cooldownWindows} cooldowns)`;
        return `| ${row.label} | ${row.deadRequests} (${p.main} / ${p.title} / ${p.auxiliary} / ${p.probe}) | ${row.beforeFirstCooldown} | ${cycles} | ${orDash(row.closestGapS, ' s')} | ${orDash(row.sentWhileCooling)} | ${row.userVisibleFailures} | ${row.warnings} | ${orDash(row.backOnPrimaryS, ' s')} | ${orDash(row.sweep.worstBackOnPrimaryS, ' s')} / ${orDash(row.sweep.meanBackOnPrimaryS, ' s')} |`;
      }),
    );
  }
  lines.push(
    '',
    `Targets for this router (default policy, active probes), over the ${o.scenarios.length} failure modes: at most one request to the dead backend per cooldown window (an early-probe interval, or the half-open slot, inside a cooldown counting as a window; the closest two ${router.map(({ row }) => orDash(row.closestGapS ?? null, ' s')).join(' / ')} apart), and no user request while it cools — ${yesNo(targetPerWindow)}; ` +
      `zero user-visible failures — ${yesNo(targetFailures)}; back on the primary within one probe interval of recovery — ${yesNo(targetBack)} ` +
      `(its health closes ${router.map(({ s, row }) => `${orDash(row.healthyAgainS, ' s')} after recovery for ${s.id}`).join(', ')}, ` +
      `worst ${Math.max(...router.map(({ row }) => row.sweep.worstHealthyAgainS ?? Number.NaN))} s over the recovery instants, with a probe interval of ` +
      `${Math.max(...router.map(({ row }) => row.probeIntervalAtRecoveryS ?? Number.NaN))} s in force; the next turn then runs on it).`,
  );
  return lines.join('\n');
}

/** The two-backends-flapping table (issue 10): successes while a backend was up, without and with panic mode. */
function flappingBenchTable(): string {
  const results = JSON.parse(readFileSync(fromRoot('bench/results.json'), 'utf8')) as BenchResults;
  const f = results.routing?.flapping;
  const m = results.machine;
  if (!f || !m) return '_No results yet: run `npm run bench`._';
  const mode = (run: FlappingRun) => (run.allUnhealthy === 'try_soonest' ? '`try_soonest` (panic mode, the default now)' : `\`${run.allUnhealthy}\` (the default before)`);
  return [
    `Simulated time (${f.date ?? m.date}, Node ${m.node}): two backends, each up ${f.upSharePct} % of the time in ${f.windowS} s windows, out of phase; a request every ${f.requestEveryMs} ms for ${f.durationS / 60} minutes, each one turn of the router (as in the gateway), active probes on.`,
    '',
    '| a backend that is down answers | when every candidate is closed | requests while a backend was up | of those, served | after the first window | requests that reached a down backend (probes among them) |',
    '|---|---|---|---|---|---|',
    ...f.failures.flatMap((failure) =>
      failure.runs.map(
        (run) =>
          `| ${failure.label} | ${mode(run)} | ${run.requestsWhileUp.toLocaleString('en')} | ${run.successesWhileUp.toLocaleString('en')} (${run.successRateWhileUpPct} %) | ${run.successesAfterFirstWindow.toLocaleString('en')} | ${run.requestsToDownBackends.toLocaleString('en')} (${run.activeProbes.toLocaleString('en')}) |`,
      ),
    ),
  ].join('\n');
}

/** Replaces the body of block `name` in `markdown`; throws if the markers are missing, so a block is never silently dropped. */
export function spliceBlock(markdown: string, name: string, body: string, file: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: markers ${start} … ${end} not found`);
  return `${markdown.slice(0, from + start.length)}\n${body}\n${markdown.slice(to)}`;
}

/** The content every file with generated blocks should have now. */
export async function renderGeneratedFiles(root: string): Promise<Map<string, { current: string; expected: string }>> {
  const files = new Map<string, { current: string; expected: string }>();
  for (const block of GENERATED_BLOCKS) {
    let entry = files.get(block.file);
    if (!entry) {
      const current = await readFile(`${root}/${block.file}`, 'utf8');
      entry = { current, expected: current };
    }
    entry.expected = spliceBlock(entry.expected, block.name, block.render(), block.file);
    files.set(block.file, entry);
  }
  return files;
}

/** The gateway load table (issue 6): the backend alone, then through the gateway, and the gateway's heap over the run. */
function gatewayBenchTable(): string {
  const r = JSON.parse(readFileSync(fromRoot('bench/results.json'), 'utf8')) as BenchResults;
  const g = r.gateway;
  if (!g || !r.machine) return '_Not measured yet: run `npm run bench`._';
  const row = (name: string, l: LoadRun) => `| ${name} | ${l.requestsPerSecond.toLocaleString('en')} | ${l.p50Ms} ms | ${l.p99Ms} ms | ${l.errors + l.non2xx} |`;
  return [
    `Measured ${r.machine.date} on ${r.machine.cpu} (${r.machine.cores} cores), Node ${r.machine.node}: autocannon, ${g.connections} connections, ${g.durationS} s per run, non-streaming \`POST /v1/chat/completions\`.`,
    '',
    '| target | requests/s | p50 latency | p99 latency | errors |',
    '|---|---|---|---|---|',
    row('the backend directly (a local fake OpenAI-compatible server)', g.direct),
    row('the same backend through the gateway', g.gateway),
    '',
    `Added latency: p50 +${g.addedP50Ms} ms, p99 +${g.addedP99Ms} ms; throughput ${g.throughputRatio}× the bare backend's. ` +
      `Gateway heap (after GC, sampled each second over the loaded run): ${g.heapMiB.start} MiB at the start, ${g.heapMiB.end} MiB at the end, ${g.heapMiB.max} MiB at most (${g.heapMiB.samples} samples).`,
  ].join('\n');
}

/** The request-limit checks (issue 10): their cost on a typical request, and on a body nested a million levels deep. */
function requestLimitsBenchTable(): string {
  const r = JSON.parse(readFileSync(fromRoot('bench/results.json'), 'utf8')) as BenchResults;
  const l = r.requestLimits;
  const m = l?.machine ?? r.machine;
  if (!l || !m) return '_Not measured yet: run `npm run bench`._';
  const kb = (bytes: number) => `${(bytes / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} KiB`;
  return [
    `Measured ${m.date} on ${m.cpu} (${m.cores} cores), Node ${m.node}; best of 5 rounds, through tsx.`,
    '',
    '| what runs | on | time | for comparison (same run) |',
    '|---|---|---|---|',
    `| \`checkRequestLimits\` (library, every \`turn.main\` / title / auxiliary call) | a typical agent request, ${kb(l.requestBytes)} of JSON | ${l.checkRequestLimitsMicroseconds} µs | \`JSON.stringify\` of it, which the SDK does on every call: ${l.stringifyMicroseconds} µs |`,
    `| the gateway's depth scan of the body text | the same request as JSON text | ${l.gatewayScanMicroseconds} µs | \`JSON.parse\` of it, which follows: ${l.gatewayParseMicroseconds} µs |`,
    `| the gateway's depth scan, refusing | a body nested ${l.deepBody.levels.toLocaleString('en')} levels deep (${kb(l.deepBody.bytes)}) | ${l.deepBody.scanMicroseconds} µs | \`JSON.parse\` alone: ${l.deepBody.parseMs} ms and ${l.deepBody.parseHeapMiB} MiB of heap |`,
  ].join('\n');
}

/** What `bench/faults.bench.ts` writes under `faults` in bench/results.json. */
interface FaultsResults {
  machine: { node: string; cpu: string; cores: number; date: string; loadAverage1m: { start: number; end: number } };
  durationS: number;
  connections: number;
  phaseMs: number;
  phases: string[];
  limits: { firstTokenTimeoutMs: number; idleTimeoutMs: number; attemptTimeoutMs: number; requestTimeoutMs: number };
  scenarios: {
    id: string;
    label: string;
    requests: number;
    clientErrors: { byStatus: Record<string, number>; noAnswer: number; timeouts: number };
    latencyMs: { p50: number; p90: number; p99: number; max: number };
    primary: { byPhase: Record<string, { user: number; probe: number }>; userWhileFailing: number; probesWhileFailing: number; userWhileOk: number };
    fallbackRequests: number;
    journaledFacts: number;
  }[];
}

/** The faults-under-load tables (issue 10): what clients saw while the primary flipped between faults, and what reached the primary in each phase. */
function faultsBenchTable(): string {
  const f = (JSON.parse(readFileSync(fromRoot('bench/results.json'), 'utf8')) as { faults?: FaultsResults }).faults;
  if (!f) return '_Not measured yet: run `npm run bench`._';
  const n = (x: number) => x.toLocaleString('en');
  const names: Record<string, string> = { ok: 'answering', crash: 'crashing (500)', hang: 'hanging', reset: 'resetting', rate_limited: 'answering 429' };
  const phases = f.phases.map((p) => names[p] ?? p);
  const load = f.machine.loadAverage1m;
  const busy = Math.max(load.start, load.end) >= f.machine.cores;
  const errors = (s: FaultsResults['scenarios'][number]) => {
    const parts = [...Object.entries(s.clientErrors.byStatus).map(([status, count]) => `${n(count)} × ${status}`), ...(s.clientErrors.noAnswer ? [`${n(s.clientErrors.noAnswer)} without an answer`] : [])];
    const total = Object.values(s.clientErrors.byStatus).reduce((a, b) => a + b, 0) + s.clientErrors.noAnswer;
    return parts.length > 0 ? `${n(total)} (${parts.join(', ')})` : '0';
  };
  return [
    `Measured ${f.machine.date} on ${f.machine.cpu} (${f.machine.cores} cores), Node ${f.machine.node}` +
      `${busy ? `, the machine busy with other work (1-minute load average ${load.start} at the start, ${load.end} at the end)` : ''}: ` +
      `autocannon, ${f.connections} connections, ${f.durationS} s per health policy, non-streaming \`POST /v1/chat/completions\` to the gateway. ` +
      `Its primary flips every ${f.phaseMs / 1000} s: ${phases.join(' → ')}, and round again; the fallback is healthy. ` +
      `Gateway limits: its defaults (first token ${f.limits.firstTokenTimeoutMs / 1000} s, idle ${f.limits.idleTimeoutMs / 1000} s, request ${f.limits.requestTimeoutMs / 1000} s).`,
    '',
    '| health policy | requests | client-visible errors | p50 latency | p90 latency | p99 latency | slowest | to the primary while it failed |',
    '|---|---|---|---|---|---|---|---|',
    ...f.scenarios.map(
      (s) =>
        `| ${s.label} | ${n(s.requests)} | ${errors(s)} | ${s.latencyMs.p50} ms | ${s.latencyMs.p90} ms | ${s.latencyMs.p99} ms | ${n(s.latencyMs.max)} ms | ` +
        `${n(s.primary.userWhileFailing)} user requests, ${n(s.primary.probesWhileFailing)} probes |`,
    ),
    '',
    `What the primary received in each phase (user requests relayed by the gateway + the router's one-token probes):`,
    '',
    `| health policy | ${phases.join(' | ')} | the fallback served | facts journaled |`,
    `|---|${f.phases.map(() => '---|').join('')}---|---|`,
    ...f.scenarios.map(
      (s) =>
        `| ${s.label} | ${f.phases.map((p) => `${n(s.primary.byPhase[p]?.user ?? 0)} + ${n(s.primary.byPhase[p]?.probe ?? 0)}`).join(' | ')} | ${n(s.fallbackRequests)} | ${n(s.journaledFacts)} |`,
    ),
  ].join('\n');
}
