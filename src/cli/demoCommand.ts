import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_VARIANTS, demoVariant, runDemo, type DemoCall, type DemoResult, type DemoTurnRow, type DemoVariant } from '../demo/index.js';
import { numberFlag, parseArgs, UsageError } from './args.js';
import { table } from './format.js';
import { inspectionFromFlag } from './inspectFlag.js';
import { jsonLine, terminalLines, terminalText } from './terminalText.js';

export const DEMO_HELP = `llm-health-router demo — the design's problem case, live, on 127.0.0.1

An Anthropic-compatible facade crashes (HTTP 500 "Claude Code process exited with code 1") for a
while, then recovers; an OpenAI-compatible local model is the fallback. Each turn sends a main
reply, a title, an auxiliary task and a delegated sub-agent call through the router and the real
SDKs. Health time is simulated, so minutes of outage take seconds. Prints a turn-by-turn table and
a summary counted from what the local backends received, and writes the journal and an HTML
report (report.html) to a folder it names.

Usage:
  llm-health-router demo [options]

Options:
  --turns N        turns to run (default 16, 1–500)
  --every S        simulated seconds between turns (default 20, 1–3600)
  --outage S       simulated seconds the facade stays crashed (default 180, 0–86400)
  --out DIR        where to write health.jsonl and report.html (default: a new temp folder)
  --variant NAME   the policy to run: ${DEMO_VARIANTS.map((v) => v.name).join(', ')} (default: default)
  --compare        run every variant on the same scenario and print them side by side
  --seed N         seed for cooldown jitter, so a run repeats exactly (default 1)
  --pace MS        real milliseconds to pause after each turn, to watch it (default 0)
  --inspect[=TO]   show the actors in the Stately inspector: no value (or a port) starts a local
                   page on 127.0.0.1 and prints its URL (the page embeds Stately's hosted UI, so
                   the browser needs internet); ws://HOST:PORT sends to your own websocket
                   inspector; "sky" uses Stately's hosted inspector (needs internet)
  --json           print one JSON object (the summary, rows and paths) instead of the table
  --help           this text

Variants:
${DEMO_VARIANTS.map((v) => `  ${v.name.padEnd(17)}${v.description}`).join('\n')}
`;

/** `demo`: runs the scenario (or every variant) and prints what happened. */
export async function demoCommand(argv: readonly string[]): Promise<number> {
  // `--inspect` alone is a switch; `--inspect=target` carries a value: take it out before parsing.
  const inspectArg = argv.find((a) => a === '--inspect' || a.startsWith('--inspect='));
  const args = parseArgs(
    argv.filter((a) => a !== inspectArg),
    ['turns', 'every', 'outage', 'out', 'variant', 'seed', 'pace'],
    ['json', 'compare', 'help'],
  );
  if (args.switches.has('help')) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  const json = args.switches.has('json');
  const variants = args.switches.has('compare') ? DEMO_VARIANTS : [variantFlag(args.values.get('variant'))];
  if (args.switches.has('compare') && args.values.has('variant')) throw new UsageError('--compare runs every variant; leave out --variant');
  const outDir = args.values.get('out') ?? mkdtempSync(join(tmpdir(), 'llm-health-router-demo-'));
  const common = {
    turns: Math.round(numberFlag(args, 'turns', 16, 1, 500)),
    turnEverySeconds: numberFlag(args, 'every', 20, 1, 3600),
    outageSeconds: numberFlag(args, 'outage', 180, 0, 86_400),
    seed: Math.round(numberFlag(args, 'seed', 1, 0, 2 ** 32 - 1)),
    paceMs: numberFlag(args, 'pace', 0, 0, 60_000),
  };
  const inspection = inspectArg === undefined ? undefined : await inspectionFromFlag(inspectArg);
  if (inspection?.url) process.stderr.write(`Stately inspector: ${inspection.url}\n`);
  const results: DemoResult[] = [];
  try {
    for (const variant of variants) {
      const dir = variants.length > 1 ? join(outDir, variant.name) : outDir;
      if (!json) process.stderr.write(`running the demo (${variant.name}) …\n`);
      results.push(
        await runDemo({
          ...common,
          outDir: dir,
          variant,
          ...(json ? {} : { onTurn: (row: DemoTurnRow, of: number) => process.stderr.write(`  turn ${row.turn}/${of} at ${row.atSeconds} s: main ${terminalText(callText(row.main))}\n`) }),
          ...(inspection ? { inspect: inspection.inspect } : {}),
        }),
      );
    }
  } finally {
    await inspection?.stop();
  }
  if (json) {
    const [only] = results;
    const out = results.length === 1 && only ? { ...only.summary, outDir: only.outDir, journal: only.journalPath, report: only.reportPath, rows: only.rows } : { compare: results.map((r) => ({ ...r.summary, outDir: r.outDir, report: r.reportPath })) };
    process.stdout.write(`${jsonLine(out)}\n`);
    return 0;
  }
  process.stdout.write(terminalLines(results.length === 1 ? printOne(results[0]!) : printComparison(results)));
  return 0;
}

function variantFlag(name: string | undefined): DemoVariant {
  if (name === undefined) return DEMO_VARIANTS[0]!;
  try {
    return demoVariant(name);
  } catch (error) {
    throw new UsageError(`--variant: ${(error as Error).message}`);
  }
}

/** The demo's two backends by role, which says more than the config label. */
const who = (label: string) => (label === 'model' ? 'facade' : 'fallback');

function callText(call: DemoCall): string {
  if ('servedBy' in call) return who(call.servedBy);
  if ('skipped' in call) return `skipped (${call.skipped === 'no_healthy_backend' ? 'no healthy backend' : call.skipped})`;
  return `FAILED: ${call.failed}`;
}

function printOne(result: DemoResult): string {
  const s = result.summary;
  const lines = [
    `Facade (Anthropic-compatible, crashes for ${s.outageSeconds} s): ${result.facadeUrl}`,
    `Fallback (OpenAI-compatible): ${result.fallbackUrl}`,
    `Policy: ${s.variant}`,
    '',
    table([
      ['turn', 'time', 'facade', 'its health', 'main', 'title', 'auxiliary', 'delegate', 'to facade', 'notices'],
      ...result.rows.map((r) => rowCells(r)),
    ]),
    '',
    summaryLine(result),
    `Journal: ${result.journalPath}`,
    `Report:  ${result.reportPath}`,
    '',
  ];
  return lines.join('\n');
}

function rowCells(r: DemoTurnRow): string[] {
  const sent = [r.facadeRequests > 0 ? `${r.facadeRequests} req` : '', r.facadeProbes > 0 ? `${r.facadeProbes} probe${r.facadeProbes > 1 ? 's' : ''}` : ''].filter(Boolean).join(' + ');
  return [String(r.turn), `${r.atSeconds} s`, r.facadeDown ? 'down' : 'up', r.facadeBefore, callText(r.main), callText(r.title), callText(r.auxiliary), callText(r.delegate), sent || '0', r.notices.join(', ')];
}

function summaryLine({ summary: s }: DemoResult): string {
  const restored = s.primaryRestoredAtTurn === null ? 'the facade was not back by the last turn' : `the facade was restored at turn ${s.primaryRestoredAtTurn} (${s.backOnPrimaryAfterSeconds} s after it recovered)`;
  return (
    `Summary: while it was down the facade received ${s.userRequestsToDeadFacade} user request(s) and ${s.probesToDeadFacade} one-token probe(s); ` +
    `${s.sameTurnRequestsAfterFailure} in a turn after it had failed there; ${s.requestsDuringCooldown} user request(s) during its cooldown; ` +
    `${s.userVisibleFailures} user-visible failure(s); ${s.titleWarnings} title warning(s); ${restored}.`
  );
}

function printComparison(results: readonly DemoResult[]): string {
  const rows = results.map(({ summary: s }) => [
    s.variant,
    String(s.userRequestsToDeadFacade),
    String(s.probesToDeadFacade),
    String(s.sameTurnRequestsAfterFailure),
    String(s.requestsDuringCooldown),
    String(s.userVisibleFailures),
    String(s.titleWarnings),
    s.primaryRestoredAtTurn === null ? 'not back' : `turn ${s.primaryRestoredAtTurn} (+${s.backOnPrimaryAfterSeconds} s)`,
  ]);
  return [
    `The same scenario under each policy (${results[0]?.summary.turns} turns, facade crashed for ${results[0]?.summary.outageSeconds} s):`,
    '',
    table([['variant', 'user reqs to dead facade', 'probes to it', 'same-turn after failure', 'user reqs in cooldown', 'failed replies', 'title warnings', 'primary restored'], ...rows]),
    '',
    ...results.map((r) => `${r.summary.variant}: ${r.reportPath}`),
    '',
  ].join('\n');
}
