import type { BackendHealthView } from '../index.js';
import { numberFlag, parseArgs, UsageError } from './args.js';
import { ago, healthTable, statusRow } from './healthTable.js';
import { healthAt, openJournal, parseTimeFlag, policyFromConfig, printWarning, type FoldSource } from './journalInput.js';
import { jsonLine, terminalLines } from './terminalText.js';

export const STATUS_HELP = `llm-health-router status — every backend's health, from a journal or a running gateway

Usage:
  llm-health-router status [journal] [--config router.yaml] [--at TIME] [--json] [--watch [--every S]]
  llm-health-router status --from http://127.0.0.1:PORT [--json] [--watch [--every S]]

  journal     default: $LLM_HEALTH_ROUTER_JOURNAL, else ~/.local/state/llm-health-router/journal.jsonl
  --config    the agent's config, for its health policy (default: the built-in policy)
  --from      a running gateway: reads its GET /health
  --at        the state at that moment (ISO time or epoch ms) instead of now; journal only
  --json      one JSON object { at, backends: [...] }
  --watch     redraw every --every seconds (default 2) until interrupted

Columns: state (healthy, suspect, recovering, cooldown, down), the failure streak, the cooldown
left, the escalation level, the last error (shortened) and the last recorded success (successes
on an already healthy backend are not journaled, so this is the last one that changed something).

A journal with a snapshot (<journal>.snapshot.json: compact, or the registry every 1,000 facts)
is read from it: only the facts after it are folded. A snapshot does not keep successes, so the
last-success column then shows the ones after it ("none since …" otherwise). Load warnings (a torn
last line, an unusable snapshot) go to stderr. Text from the journal or the gateway is shown with
control characters escaped and credentials masked.
`;

interface StatusView {
  readonly at: number;
  readonly views: readonly BackendHealthView[];
  readonly successes: ReadonlyMap<string, number>;
  /** For a journal: what was read (a snapshot and the facts after it). */
  readonly source?: FoldSource & { readonly journal: string };
}

/** `status`: the table (or JSON) once, or redrawn with `--watch`. */
export async function statusCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['config', 'from', 'at', 'every'], ['json', 'watch', 'help'], { positional: 1 });
  if (args.switches.has('help')) {
    process.stdout.write(STATUS_HELP);
    return 0;
  }
  const from = args.values.get('from');
  if (from !== undefined && args.positional.length > 0) throw new UsageError('give a journal or --from, not both');
  if (from !== undefined && args.values.has('at')) throw new UsageError('--at reads a journal; a gateway only knows now');
  const at = parseTimeFlag(args.values.get('at'));
  const everyS = numberFlag(args, 'every', 2, 0.2, 3600);
  const read = () => (from !== undefined ? fromGateway(from) : fromJournal(args.positional[0], args.values.get('config'), at));
  const render = (s: StatusView) => (args.switches.has('json') ? `${jsonLine(statusJson(s))}\n` : `${terminalLines(statusText(s))}\n`);
  if (!args.switches.has('watch')) {
    process.stdout.write(render(await read()));
    return 0;
  }
  let stop = false;
  process.once('SIGINT', () => (stop = true));
  while (!stop) {
    const text = render(await read());
    // Redraw in place on a terminal (our own escape sequence, written apart from the text); a pipe gets one block per tick.
    process.stdout.write(process.stdout.isTTY ? `\x1b[H\x1b[2J${new Date().toISOString()}\n${text}` : `${text}\n`);
    await new Promise((resolve) => setTimeout(resolve, everyS * 1000));
  }
  return 0;
}

async function fromJournal(path: string | undefined, config: string | undefined, at: number | undefined): Promise<StatusView> {
  const reader = await openJournal(path);
  try {
    const policy = await policyFromConfig(config);
    const now = at ?? Date.now();
    const { views, successes, source } = await healthAt(reader, policy, now);
    if (!source.snapshot && source.facts >= NO_SNAPSHOT_HINT) {
      printWarning(`${reader.location} has no usable snapshot: read all ${source.facts.toLocaleString('en-US')} facts; "llm-health-router compact" makes the next status read only what follows`);
    }
    return { at: now, views, successes, source: { ...source, journal: reader.location } };
  } finally {
    await reader.close();
  }
}

/** Past this many facts folded without a snapshot, status says how to make the next run faster. */
const NO_SNAPSHOT_HINT = 10_000;

/** The table, and under it what a snapshot covered. */
function statusText(s: StatusView): string {
  const snapshot = s.source?.snapshot;
  if (!snapshot) return healthTable(s.views, s.at, s.successes);
  const unknown = `none since ${ago(s.at - snapshot.at)} ago`;
  return [
    healthTable(s.views, s.at, s.successes, unknown),
    '',
    `From the snapshot of ${new Date(snapshot.at).toISOString()} and the ${s.source!.facts.toLocaleString('en-US')} facts after it (successes before the snapshot are not kept in it).`,
  ].join('\n');
}

/** `status --json`: `{ at, backends, source? }`, strings masked. */
function statusJson(s: StatusView): unknown {
  const source = s.source && {
    journal: s.source.journal,
    snapshot: s.source.snapshot ? { at: s.source.snapshot.at, position: s.source.snapshot.position } : null,
    factsRead: s.source.facts,
  };
  return { at: s.at, backends: s.views.map((v) => ({ ...statusRow(v, s.at, s.successes.get(v.key)), view: v })), ...(source ? { source } : {}) };
}

/** A gateway's `GET /health`: `{ at, backends: [BackendHealthView & { lastSuccessAt? }] }`. */
async function fromGateway(base: string): Promise<StatusView> {
  const url = `${base.replace(/\/+$/, '')}/health`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const body = (await response.json()) as { at?: unknown; backends?: unknown };
  if (typeof body.at !== 'number' || !Array.isArray(body.backends)) throw new Error(`${url} did not answer { at, backends: [...] }`);
  const views = body.backends as (BackendHealthView & { lastSuccessAt?: number })[];
  const successes = new Map(views.flatMap((v) => (typeof v.lastSuccessAt === 'number' ? [[v.key, v.lastSuccessAt] as const] : [])));
  return { at: body.at, views, successes };
}
