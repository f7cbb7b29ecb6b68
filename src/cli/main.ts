#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberFlag, parseArgs, UsageError } from './args.js';
import { clockTime, table } from './format.js';
import { compact, COMPACT_HELP } from './compact.js';
import { runWalkthrough } from './walkthrough.js';

const HELP = `llm-health-router — route an LLM agent's model calls by backend health

Usage:
  llm-health-router walkthrough [--outage S] [--every S] [--calls N] [--seed N] [--json]
  llm-health-router compact [journal]
  llm-health-router help [command]
  llm-health-router --version

Commands:
  walkthrough  A local Anthropic-compatible facade crashes (HTTP 500 "Claude Code process exited
               with code 1") for a while, then recovers; calls go through the real Anthropic SDK,
               each asking the backend's health actor first. Time is simulated; nothing leaves
               127.0.0.1. Prints what was decided for every call and what it saved.
  compact      Fold a health journal into a snapshot, so the next start replays only what
               follows (registries also do this by themselves every 1000 facts).
`;

const WALKTHROUGH_HELP = `llm-health-router walkthrough — the health statechart against a crashing local facade

Options:
  --outage S   simulated seconds the facade stays crashed (default 120, 0–3600)
  --every S    simulated seconds between calls (default 20, 1–3600)
  --calls N    how many calls (default 12, 1–500)
  --seed N     seed for cooldown jitter, so a run repeats exactly (default 1)
  --json       print one JSON object { facadeUrl, rows, summary } instead of the table
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'walkthrough':
      return walkthrough(rest);
    case 'compact':
      return compact(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(rest[0] === 'walkthrough' ? WALKTHROUGH_HELP : rest[0] === 'compact' ? COMPACT_HELP : HELP);
      return 0;
    case '--version':
      process.stdout.write(`${version()}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"; commands: walkthrough, compact, help`);
  }
}

async function walkthrough(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['outage', 'every', 'calls', 'seed'], ['json', 'help']);
  if (args.switches.has('help')) {
    process.stdout.write(WALKTHROUGH_HELP);
    return 0;
  }
  const options = {
    outageSeconds: numberFlag(args, 'outage', 120, 0, 3600),
    everySeconds: numberFlag(args, 'every', 20, 1, 3600),
    calls: Math.round(numberFlag(args, 'calls', 12, 1, 500)),
    seed: Math.round(numberFlag(args, 'seed', 1, 0, 2 ** 32 - 1)),
  };
  const { facadeUrl, rows, summary } = await runWalkthrough(options);
  if (args.switches.has('json')) {
    process.stdout.write(`${JSON.stringify({ facadeUrl, rows, summary })}\n`);
    return 0;
  }
  const out = [
    `A local Anthropic-compatible facade at ${facadeUrl} answers HTTP 500 "Claude Code process exited`,
    `with code 1" for ${options.outageSeconds} s of simulated time, then recovers. One call every ${options.everySeconds} s`,
    `through the real Anthropic SDK; before each, the facade's health actor is asked.`,
    '',
    table([
      ['time', 'before', 'decision', 'facade answered', 'after'],
      ...rows.map((r) => [
        clockTime(r.at),
        r.before,
        r.decision,
        r.answer ?? '— (not sent)',
        r.until !== null ? `${r.after} until ${clockTime(r.until, 'up')}${r.level > 1 ? ` (level ${r.level})` : ''}` : r.after,
      ]),
    ]),
    '',
    `The dead facade received ${summary.facadeRequestsDuringOutage} of the ${summary.naiveRequestsDuringOutage} calls made during its outage (a caller without health tracking sends all ${summary.naiveRequestsDuringOutage}).`,
    summary.backOnFacadeAfterSeconds !== null
      ? `Calls were served by the facade again ${summary.backOnFacadeAfterSeconds} s after it recovered.`
      : 'The facade had not served a call again by the end of the run (try more --calls).',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function version(): string {
  // dist/src/cli/main.js and src/cli/main.ts sit at different depths; walk up to our package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'llm-health-router') return pkg.version ?? 'unknown';
    } catch {
      // not here; keep walking up
    }
  }
  return 'unknown';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    process.stderr.write(`llm-health-router: ${error instanceof Error ? error.message : String(error)}\n${usage ? 'see: llm-health-router help\n' : ''}`);
    process.exit(usage ? 2 : 1);
  },
);
