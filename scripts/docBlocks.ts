import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { backendHealthMachine } from '../src/health/index.js';
import { turnCallMachine } from '../machines/turn.machine.js';
import { statechartToMermaid, statechartTransitions } from '../src/visual/statechartMermaid.js';

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

interface BenchResults {
  machine?: { node: string; cpu: string; cores: number; date: string };
  registry?: {
    replay: { facts: number; backends: number; ms: number; factsPerSecond: number; bareActorSendMicroseconds: number; ratioToBareActorSend: number };
    rehydration10k: { backends: number; tailFacts: number; ms: number; targetMs: number };
    memory: { actors: number; bytesPerActor: number };
    appendMicrosecondsPerFact: Record<string, number>;
    hotPath: { registryHealthySuccessNs: number; baselineMapGetNs: number; cockatielBreakerExecuteNs: number; ratioToCockatiel: number; journalWrites: number; events: number; actorEvents?: number };
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
