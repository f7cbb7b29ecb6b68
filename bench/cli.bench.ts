import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateJournal } from './generateJournal.js';
import { round } from './measure.js';

/**
 * The CLI on a large journal (issue 10): `status`, `replay` and `report` on a generated
 * 1,000,000-fact JSONL file, run as a user runs them (`node dist/src/cli/main.js`, built first, a subprocess
 * each), timed (wall and CPU) with their peak RSS, once as a registry leaves the journal (a
 * snapshot and a 1,000-fact tail after it) and once with the snapshot moved away.
 *
 * The journal is generated once (about two minutes) and cached in node_modules/.cache, keyed by
 * the generator's source. Run alone: `node --import tsx bench/cli.bench.ts [facts]`;
 * `npm run bench` runs it with the rest.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/main.js');
const FACTS = 1_000_000;
const BACKENDS = 200;
const TAIL = 1_000;
const BOUND = 100_000; // the CLI's default --max-facts, for the "at the bound" runs

export interface CliRun {
  readonly name: string;
  readonly command: string;
  readonly exit: number | null;
  readonly wallS: number;
  readonly cpuS: number;
  readonly peakRssMiB: number | null;
  /** Lines and bytes it printed on stdout. */
  readonly printedLines: number;
  readonly printedBytes: number;
  /** The first line on stderr of a failed run (a refusal names the ranges that fit on the next lines). */
  readonly refusal?: string;
  /** The first warning it printed, if any. */
  readonly warning?: string;
  /** The size of the page a report wrote. */
  readonly pageBytes?: number;
}

export interface CliBenchResults {
  readonly machine: { node: string; cpu: string; cores: number; date: string; loadAverage: number };
  readonly journal: { facts: number; backends: number; bytes: number; tailFacts: number; snapshotBytes: number; generatedS: number | null };
  readonly bound: number;
  readonly withSnapshot: readonly CliRun[];
  readonly withoutSnapshot: readonly CliRun[];
}

/** The journal, generated on first use and kept (with its snapshot) under node_modules/.cache. */
async function cachedJournal(facts: number): Promise<{ path: string; generatedS: number | null }> {
  const source = readFileSync(fileURLToPath(new URL('./generateJournal.ts', import.meta.url)));
  const key = createHash('sha256').update(source).update(`${facts}/${BACKENDS}/${TAIL}`).digest('hex').slice(0, 12);
  const dir = join(ROOT, 'node_modules/.cache/llm-health-router-bench');
  const path = join(dir, `cli-journal-${facts}-${key}.jsonl`);
  if (existsSync(path) && existsSync(`${path}.snapshot.json`)) return { path, generatedS: null };
  mkdirSync(dir, { recursive: true });
  rmSync(path, { force: true });
  rmSync(`${path}.snapshot.json`, { force: true });
  console.log(`  generating a ${facts.toLocaleString('en')}-fact journal (cached afterwards) …`);
  const started = performance.now();
  await generateJournal(`${path}.partial`, facts, BACKENDS, TAIL);
  renameSync(`${path}.partial.snapshot.json`, `${path}.snapshot.json`);
  renameSync(`${path}.partial`, path);
  // The snapshot's line check covers the journal's bytes, not its name: it stays valid after the rename.
  return { path, generatedS: round((performance.now() - started) / 1000, 1) };
}

/** The time of the `n`-th fact (1-based) of the journal. */
async function timeOfFact(path: string, n: number): Promise<number> {
  let seen = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (++seen === n) return (JSON.parse(line) as { at: number }).at;
  }
  throw new Error(`${path} has fewer than ${n} lines`);
}

/**
 * Runs the built CLI with `args` and measures it: wall time here, CPU time and peak RSS from
 * GNU time when it is installed, else from /proc (the peak resident set, VmHWM, polled until the
 * process exits) and the child's own resource usage.
 */
async function runCli(name: string, args: readonly string[], display: string): Promise<CliRun> {
  const gnuTime = existsSync('/usr/bin/time');
  const scratch = mkdtempSync(join(tmpdir(), 'lhr-cli-bench-'));
  const timeFile = join(scratch, 'time.txt');
  const [command, ...rest] = gnuTime ? ['/usr/bin/time', '-f', '%e %U %S %M', '-o', timeFile, process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
  const started = performance.now();
  const child = spawn(command!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdoutBytes = 0;
  let stdoutHead = '';
  let stderr = '';
  let stdoutLines = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdoutHead.length < 2000) stdoutHead += chunk.toString('utf8');
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) stdoutLines++;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let polledPeakKiB = 0;
  const poll = gnuTime
    ? undefined
    : setInterval(() => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          polledPeakKiB = Math.max(polledPeakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
        } catch {
          // exited
        }
      }, 20);
  const exit = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const wallS = (performance.now() - started) / 1000;
  let cpuS = Number.NaN;
  let peakKiB: number | null = polledPeakKiB || null;
  if (gnuTime) {
    const [, user, system, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number, number];
    cpuS = user + system;
    peakKiB = rss;
  }
  rmSync(scratch, { recursive: true, force: true });
  const journalName = (line: string) => line.replace(/\/\S*\/cli-journal-[^ :]*/g, 'JOURNAL');
  const warning = stderr.split('\n').find((l) => l.startsWith('llm-health-router: warning:'))?.replace('llm-health-router: warning: ', '');
  const run: CliRun = {
    name,
    command: display,
    exit,
    wallS: round(wallS, 1),
    cpuS: round(cpuS, 1),
    peakRssMiB: peakKiB === null ? null : round(peakKiB / 1024, 0),
    printedLines: stdoutLines,
    printedBytes: stdoutBytes,
    ...(exit !== 0 ? { refusal: journalName(stderr.split('\n')[0]!.replace(/^llm-health-router: /, '')) } : {}),
    ...(warning ? { warning: journalName(warning) } : {}),
  };
  const outcome = cliOutcome(run);
  console.log(`  ${display}: ${run.wallS} s wall, ${run.cpuS} s CPU, ${run.peakRssMiB} MiB peak RSS — ${outcome}${stdoutHead && exit === 0 && stdoutLines < 3 ? ` (${stdoutHead.trim().slice(0, 120)})` : ''}`);
  return run;
}

/** Builds dist/ from the sources, so the figures are never those of stale code. */
function build(): void {
  const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(BIN)) throw new Error(`building dist/ failed (tsc exit ${run.status}):\n${run.stdout}${run.stderr}`);
}

const bytes = (n: number) => (n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

/** A run in one line of prose: the refusal, or what it printed and wrote, and its warning. */
export function cliOutcome(run: CliRun): string {
  if (run.refusal !== undefined) return `exit ${run.exit}: ${run.refusal}`;
  const page = run.pageBytes !== undefined ? `wrote a ${bytes(run.pageBytes)} page; ` : '';
  return `${page}printed ${run.printedLines.toLocaleString('en')} lines (${bytes(run.printedBytes)})${run.warning ? `; warned: ${run.warning}` : ''}`;
}

export async function cliBench(facts = FACTS): Promise<CliBenchResults> {
  console.log('  building dist/ …');
  build();
  const { path, generatedS } = await cachedJournal(facts);
  const snapshotFile = `${path}.snapshot.json`;
  const lastAt = (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { at: number }).at;
  const end = await timeOfFact(path, facts);
  const at = new Date(end + 60_000).toISOString();
  const boundUntil = new Date(await timeOfFact(path, BOUND)).toISOString();
  const scratch = mkdtempSync(join(tmpdir(), 'lhr-cli-bench-out-'));
  const html = (name: string) => join(scratch, `${name}.html`);
  const withPage = async (run: Promise<CliRun>, file: string): Promise<CliRun> => {
    const done = await run;
    return existsSync(file) ? { ...done, pageBytes: statSync(file).size } : done;
  };
  try {
    console.log(`  with the snapshot (${TAIL.toLocaleString('en')} facts after it, folded up to ${new Date(lastAt).toISOString()}) …`);
    const withSnapshot = [
      await runCli('status', ['status', path, '--at', at], 'status'),
      await runCli('replay-last-tail', ['replay', path, '--last', String(TAIL)], `replay --last ${TAIL.toLocaleString('en')}`),
      await runCli('replay-last-bound', ['replay', path, '--last', String(BOUND)], `replay --last ${BOUND.toLocaleString('en')}`),
      await withPage(runCli('report', ['report', path, '--out', html('default')], 'report'), html('default')),
      await withPage(runCli('report-all', ['report', path, '--all', '--out', html('all')], 'report --all'), html('all')),
    ];
    const aside = `${snapshotFile}.aside`;
    renameSync(snapshotFile, aside);
    let withoutSnapshot: CliRun[];
    try {
      console.log('  without the snapshot …');
      withoutSnapshot = [
        await runCli('status', ['status', path, '--at', at], 'status'),
        await runCli('replay-last-tail', ['replay', path, '--last', String(TAIL)], `replay --last ${TAIL.toLocaleString('en')}`),
        await withPage(runCli('report', ['report', path, '--out', html('plain')], 'report'), html('plain')),
        await runCli('replay-bound', ['replay', path, '--at', boundUntil], `replay --at <fact ${BOUND.toLocaleString('en')}> (the first ${BOUND.toLocaleString('en')} facts)`),
        await withPage(runCli('report-bound', ['report', path, '--until', boundUntil, '--out', html('bound')], `report --until <fact ${BOUND.toLocaleString('en')}> (the first ${BOUND.toLocaleString('en')} facts)`), html('bound')),
      ];
    } finally {
      renameSync(aside, snapshotFile);
    }
    const { loadavg } = await import('node:os');
    return {
      machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, date: new Date().toISOString().slice(0, 10), loadAverage: round(loadavg()[0]!, 1) },
      journal: { facts, backends: BACKENDS, bytes: statSync(path).size, tailFacts: TAIL, snapshotBytes: statSync(snapshotFile).size, generatedS },
      bound: BOUND,
      withSnapshot,
      withoutSnapshot,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Alone: writes its part of bench/results.json, leaving the other suites' figures as they are.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const facts = Number(process.argv[2] ?? FACTS);
  const results = await cliBench(facts);
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, `${JSON.stringify({ ...previous, cli: results }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
