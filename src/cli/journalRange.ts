import type { BackendHealthView, HealthFact, HealthHistory, HealthPolicy, JournalSnapshot } from '../index.js';
import { HistoryFold } from '../history/historyFold.js';
import type { JournalReader } from '../journal/journalReader.js';
import { numberFlag, UsageError, type ParsedArgs } from './args.js';
import { parseTimeFlag, snapshotFold, type FoldSource } from './journalInput.js';

/**
 * The most facts `replay` and `report` fold by default. Folding runs the health statechart once
 * per fact (tens of microseconds each), and a report draws every fact it folds in its range:
 * past this, a command asks for a range instead of running for minutes and drawing a page no
 * browser can open. Measured in docs/benchmarks.md.
 */
export const DEFAULT_MAX_FACTS = 100_000;

/** The environment variable that sets the bound when `--max-facts` is not given. */
export const MAX_FACTS_ENV = 'LLM_HEALTH_ROUTER_MAX_FACTS';

/** The flags of a range, shared by `replay` and `report` (their help texts quote this). */
export const RANGE_VALUE_FLAGS = ['since', 'last', 'max-facts'] as const;
export const RANGE_SWITCHES = ['all'] as const;

export const RANGE_HELP = `  --since     begin at TIME (ISO time or epoch ms): the first fact at or after it
  --last N    only the last N facts
  --all       from the journal's first fact, even when that is more than --max-facts (then it
              stops and says what to ask for instead)
  --max-facts fold at most N facts (default ${DEFAULT_MAX_FACTS.toLocaleString('en-US')}, or $${MAX_FACTS_ENV}); a range needs the
              facts before it folded too, except those a snapshot covers

  Without --since/--last the whole journal is read when it is within --max-facts; a longer one
  starts from its snapshot (<journal>.snapshot.json, written by compact and by the registry every
  1,000 facts) and says so. The state a range begins in is folded from what precedes it: from
  the snapshot when the range begins after it, else from the first fact.`;

/** What part of a journal to show. */
export interface RangeRequest {
  readonly since?: number;
  readonly until?: number;
  readonly last?: number;
  readonly all: boolean;
  /** The command's own flag for `until` (`until` for report, `at` for replay): a refusal proposes ranges in the flags the command takes. */
  readonly untilFlag: string;
}

/** The range flags, checked against each other; `until` comes from the command's own flag (`--until`, `--at`). */
export function rangeRequest(args: ParsedArgs, until: number | undefined, untilFlag: string): RangeRequest {
  const since = parseTimeFlag(args.values.get('since'), 'since');
  const lastRaw = args.values.get('last');
  const last = lastRaw === undefined ? undefined : numberFlag(args, 'last', 0, 1, Number.MAX_SAFE_INTEGER);
  if (last !== undefined && !Number.isInteger(last)) throw new UsageError(`--last must be a whole number of facts, got "${lastRaw}"`);
  const all = args.switches.has('all');
  if (last !== undefined && since !== undefined) throw new UsageError('give --since or --last, not both');
  if (last !== undefined && until !== undefined) throw new UsageError(`--last counts back from the end of the journal; it cannot be combined with --${untilFlag}`);
  if (all && (since !== undefined || last !== undefined)) throw new UsageError('--all reads from the first fact; leave out --since and --last');
  if (since !== undefined && until !== undefined && since > until) throw new UsageError(`--since (${new Date(since).toISOString()}) is after --${untilFlag} (${new Date(until).toISOString()})`);
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}), ...(last !== undefined ? { last } : {}), all, untilFlag };
}

/** `--max-facts`, else `$LLM_HEALTH_ROUTER_MAX_FACTS`, else the default; each named when bad. */
export function maxFacts(args: ParsedArgs): number {
  if (args.values.has('max-facts')) return Math.floor(numberFlag(args, 'max-facts', DEFAULT_MAX_FACTS, 1, Number.MAX_SAFE_INTEGER));
  const env = process.env[MAX_FACTS_ENV];
  if (env === undefined || env === '') return DEFAULT_MAX_FACTS;
  const value = Number(env);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`$${MAX_FACTS_ENV} must be a whole number of facts from 1, got "${env}"`);
  return value;
}

/** A history of part of a journal, and where its fold started. */
export interface RangeHistory {
  readonly history: HealthHistory;
  readonly successes: ReadonlyMap<string, number>;
  /** The last successes known when the range begins (none before a snapshot: it does not keep them). */
  readonly successesAtStart: ReadonlyMap<string, number>;
  readonly source: FoldSource & {
    /** Facts folded before the range (after the snapshot, if one was used) to find the state it starts in. */
    readonly leadIn: number;
    /** The default range started from the snapshot because the whole journal is over the bound. */
    readonly fromSnapshotByDefault: boolean;
  };
}

/**
 * Folds the journal for a range and records it: the state at the range's start from the snapshot
 * (when the range begins after it) or from the first fact, then the range itself. Refuses, before
 * folding anything, a range that needs more than `max` facts folded, with a message that names
 * ranges that fit. `end` decides where the history ends after its last fact (default: there).
 */
export async function rangeHistory(
  reader: JournalReader,
  request: RangeRequest,
  options: { policy?: HealthPolicy; max: number; end?: (start: number, lastFactAt: number, atLastFact: readonly BackendHealthView[]) => number },
): Promise<RangeHistory> {
  let fold = await snapshotFold(reader, options.policy, (snapshot) => request.until === undefined || snapshot.at <= request.until);
  try {
    const snapshot = fold.fromSnapshot ? reader.snapshot : undefined;
    const plan = await planRange(reader, request, snapshot, options.max);
    if (snapshot && plan.from === 0) {
      await fold.close();
      fold = new HistoryFold({ ...(options.policy ? { policy: options.policy } : {}), location: reader.location });
    }
    const run = fold;
    const until = request.until ?? Infinity;
    // The lead-in: folded for the state the range begins in, not recorded.
    const reachedUntil = !(await eachFact(reader, plan.from, plan.rangeFrom, async (fact) => {
      if (fact.at > until) return false;
      if (!run.started) await run.begin(fact.at);
      run.apply(fact);
      return true;
    }));
    const leadIn = run.folded;
    const startOf = (firstFactAt: number | undefined) =>
      request.since ?? (plan.fromSnapshotByDefault ? snapshot!.at : undefined) ?? firstFactAt ?? request.until ?? (run.started ? run.now() : 0);
    const startRecording = async (firstFactAt: number | undefined) => {
      const start = startOf(firstFactAt);
      if (!run.started) await run.begin(Math.min(start, firstFactAt ?? start));
      run.record(start);
      return start;
    };
    let start: number | undefined;
    let lastAt: number | undefined;
    if (!reachedUntil) {
      await eachFact(reader, plan.rangeFrom, reader.size, async (fact) => {
        if (fact.at > until) return false;
        start ??= await startRecording(fact.at);
        run.apply(fact);
        lastAt = fact.at;
        return true;
      });
    }
    start ??= await startRecording(undefined);
    const end = request.until ?? (lastAt === undefined ? Math.max(start, run.now()) : options.end ? options.end(start, lastAt, run.backends(lastAt)) : lastAt);
    run.runTo(end);
    return {
      history: run.history(end),
      successes: run.lastSuccesses,
      successesAtStart: run.successesAtStart,
      source: { snapshot: run.fromSnapshot ? reader.snapshot : undefined, facts: run.folded, leadIn, fromSnapshotByDefault: plan.fromSnapshotByDefault },
    };
  } finally {
    await fold.close();
  }
}

/** Calls `fn` for each fact in `[from, to)` until it answers false; true when it never did. */
async function eachFact(reader: JournalReader, from: number, to: number, fn: (fact: HealthFact) => Promise<boolean>): Promise<boolean> {
  for await (const batch of reader.batches(from, to)) {
    for (const fact of batch) if (!(await fn(fact))) return false;
  }
  return true;
}

interface RangePlan {
  /** Where the fold starts reading: 0, or the snapshot's position. */
  readonly from: number;
  /** Where the recorded range starts (a line start at or after `from`). */
  readonly rangeFrom: number;
  readonly fromSnapshotByDefault: boolean;
}

async function planRange(reader: JournalReader, request: RangeRequest, snapshot: JournalSnapshot | undefined, max: number): Promise<RangePlan> {
  const rangeFrom = request.last !== undefined ? await reader.lastLinesStart(request.last) : request.since !== undefined ? await reader.lineStartAtTime(request.since) : 0;
  const rangeTo = request.until !== undefined ? await reader.lineStartAtTime(request.until + 1) : reader.size;
  const from = snapshot && rangeFrom >= snapshot.position ? snapshot.position : 0;
  const cost = await reader.countLines(from, Math.max(from, rangeTo));
  if (cost <= max) return { from, rangeFrom, fromSnapshotByDefault: false };
  const byDefault = request.since === undefined && request.last === undefined && !request.all;
  if (byDefault && snapshot && from === 0 && (await reader.countLines(snapshot.position, Math.max(snapshot.position, rangeTo))) <= max) {
    return { from: snapshot.position, rangeFrom: snapshot.position, fromSnapshotByDefault: true };
  }
  throw new Error(await refusal(reader, request, snapshot, max, cost, from));
}

/** Why a range is refused, and the ranges that would fit, as a command line would ask for them. */
async function refusal(reader: JournalReader, request: RangeRequest, snapshot: JournalSnapshot | undefined, max: number, cost: number, from: number): Promise<string> {
  const n = (x: number) => x.toLocaleString('en-US');
  const iso = (ms: number) => new Date(ms).toISOString();
  const option = (flag: string, meaning: string) => `  ${flag.padEnd(36)}  ${meaning}`;
  const asked = request.last !== undefined ? `--last ${request.last}` : request.since !== undefined ? `--since ${iso(request.since)}` : 'the whole journal';
  const upTo = request.until !== undefined ? ` up to ${iso(request.until)}` : '';
  const where = from > 0 ? `after its snapshot of ${iso(snapshot!.at)}` : snapshot ? 'from the first fact: it begins before the snapshot' : 'from the first fact: the journal has no snapshot';
  const lines = [`${reader.location}: ${asked}${upTo} needs ${n(cost)} facts folded (${where}), more than --max-facts ${n(max)}. Ask for less:`];
  const tail = snapshot ? await reader.countLines(snapshot.position) : undefined;
  if (snapshot && tail !== undefined && tail <= max) {
    lines.push(option(`--last ${Math.max(1, tail)}`, `the facts after the snapshot of ${iso(snapshot.at)} (only they are read)`));
    lines.push(option(`--since ${iso(snapshot.at + 1)}`, 'the same, by time'));
  } else {
    const follow = tail !== undefined ? ` (${n(tail)} facts follow the one there now)` : '';
    lines.push(option(`llm-health-router compact <journal>`, `writes a snapshot at the end${follow}; ranges after it read only what follows`));
  }
  if (request.since === undefined && request.last === undefined) {
    const firstMax = await timeOfLine(reader, max);
    if (firstMax !== undefined) lines.push(option(`--${request.untilFlag} ${iso(firstMax)}`, `the first ${n(max)} facts`));
  }
  lines.push(option(`--max-facts ${cost}`, 'fold them all (slow: the health statechart runs once per fact)'));
  return lines.join('\n');
}

/** The time of the fact on the `line`-th line (1-based), if there is one. */
async function timeOfLine(reader: JournalReader, line: number): Promise<number | undefined> {
  let seen = 0;
  for await (const batch of reader.batches(0)) {
    if (seen + batch.length >= line) return batch[line - seen - 1]!.at;
    seen += batch.length;
  }
  return undefined;
}

