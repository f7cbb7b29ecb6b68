#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args.js';
import { compact, COMPACT_HELP } from './compact.js';
import { DEMO_HELP, demoCommand } from './demoCommand.js';
import { REPLAY_HELP, replayCommand } from './replayCommand.js';
import { REPORT_HELP, reportCommand } from './reportCommand.js';
import { SERVE_HELP, serveCommand } from './serveCommand.js';
import { STATUS_HELP, statusCommand } from './statusCommand.js';
import { terminalLines } from './terminalText.js';

const HELP = `llm-health-router — route an LLM agent's model calls by backend health

Usage:
  llm-health-router demo [--turns N] [--outage S] [--compare] [--json] …
  llm-health-router status [journal | --from URL] [--json] [--watch]
  llm-health-router replay <journal> [--at TIME] [--since TIME | --last N | --all]
  llm-health-router report <journal> --out report.html [--since TIME | --last N | --all]
  llm-health-router compact [journal]
  llm-health-router serve --config router.yaml [--port N] [--journal FILE] [--inspect[=TO]]
  llm-health-router help [command]
  llm-health-router --version

Commands:
  demo     A local Anthropic-compatible facade crashes (HTTP 500 "Claude Code process exited with
           code 1") and recovers; turns (main reply, title, auxiliary task, delegation) go through
           the router and the real SDKs. Prints what served each call and a summary, and writes a
           journal and an HTML report. Nothing leaves 127.0.0.1.
  status   Every backend's state, streak, cooldown left, escalation level, last error and last
           success, from a journal or a running gateway.
  replay   What a journal says happened, in order, in plain words; --at shows the state then.
  report   A self-contained HTML page: one lane per backend coloured by state over time.
  compact  Fold a journal into a snapshot, so the next start replays only what follows.
  serve    An OpenAI- and Anthropic-compatible HTTP gateway on 127.0.0.1 that routes every
           request by backend health (fallback, cooldowns, probes, streaming failover).

Run "llm-health-router help <command>" (or "<command> --help") for its options.
Exit codes: 0 done, 1 failed (the message says why), 2 bad arguments.
`;

const COMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<number>; help: string }> = {
  demo: { run: demoCommand, help: DEMO_HELP },
  status: { run: statusCommand, help: STATUS_HELP },
  replay: { run: replayCommand, help: REPLAY_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  compact: { run: compact, help: COMPACT_HELP },
  serve: { run: serveCommand, help: SERVE_HELP },
};

async function main(argv: readonly string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    const topic = rest[0];
    if (topic !== undefined && !(topic in COMMANDS)) throw new UsageError(`no help for "${topic}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    process.stdout.write(topic === undefined ? HELP : COMMANDS[topic]!.help);
    return 0;
  }
  if (command === '--version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const found = COMMANDS[command];
  if (!found) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}, help`);
  return found.run(rest);
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

/**
 * Exits once everything written has left the process: a pipe (`replay … | less`, `status --json |
 * jq`) takes large writes in pieces, and exiting before the last piece would cut the output.
 */
function exitAfterOutput(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    // An error can quote a journal record or a backend's answer: shown escaped, credentials masked.
    process.stderr.write(`llm-health-router: ${terminalLines(error instanceof Error ? error.message : String(error))}\n${usage ? 'see: llm-health-router help\n' : ''}`);
    exitAfterOutput(usage ? 2 : 1);
  },
);
