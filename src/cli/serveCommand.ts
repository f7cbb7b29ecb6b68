import os from 'node:os';
import { fileJournal, readGatewayConfig, startGateway } from '../index.js';
import { numberFlag, parseArgs, UsageError } from './args.js';
import { inspectionFromFlag } from './inspectFlag.js';

export const SERVE_HELP = `llm-health-router serve — an OpenAI- and Anthropic-compatible gateway that routes every request by backend health

Usage:
  llm-health-router serve --config router.yaml [--port N] [--journal FILE] [--inspect[=TO]]

  --config    the gateway config: routes (model name or pattern → a primary and its fallbacks)
              and gateway settings; a plain agent config works too (one route for every model)
  --port      the port on 127.0.0.1 (default: gateway.port in the config, else 8787; 0 = any free port)
  --journal   keep health in this file across restarts (default: in memory)
  --inspect   show the actors in the Stately inspector (see llm-health-router demo --help)

Endpoints: POST /v1/chat/completions, POST /v1/messages, GET /v1/models, GET /health, GET /metrics.
Point a client at it: OPENAI_BASE_URL=http://127.0.0.1:8787/v1, ANTHROPIC_BASE_URL=http://127.0.0.1:8787.
On Ctrl-C (SIGINT), SIGTERM or SIGHUP (its terminal closed) it drains: new requests get 503
with retry-after, requests in flight may finish for up to gateway.shutdown_timeout_ms (default
30 s), then it exits 0. A second signal stops it at once (exit code 130 for SIGINT, 143 for
SIGTERM, 129 for SIGHUP).
`;

/** The signals that drain the gateway (a second one of any stops it at once). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `serve`: runs the gateway until interrupted. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const inspectArg = argv.find((a) => a === '--inspect' || a.startsWith('--inspect='));
  const args = parseArgs(argv.filter((a) => a !== inspectArg), ['config', 'port', 'journal'], ['help']);
  if (args.switches.has('help')) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  const configPath = args.values.get('config');
  if (configPath === undefined) throw new UsageError('serve needs --config router.yaml (routes, or an agent config)');
  const config = await readGatewayConfig(configPath);
  const port = args.values.has('port') ? Math.round(numberFlag(args, 'port', 8787, 0, 65_535)) : (config.port ?? 8787);
  const journalPath = args.values.get('journal');
  const inspection = inspectArg === undefined ? undefined : await inspectionFromFlag(inspectArg);
  const journal = journalPath ? fileJournal(journalPath) : undefined;
  const gateway = await startGateway({
    config,
    port,
    ...(journal ? { journal } : {}),
    ...(inspection ? { inspect: inspection.inspect } : {}),
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use; pick another with --port` : error.message);
  });
  process.stdout.write(`llm-health-router gateway on ${gateway.url} (${config.routes.length} route${config.routes.length === 1 ? '' : 's'}: ${config.routes.map((r) => r.match).join(', ')})\n`);
  if (inspection?.url) process.stdout.write(`Stately inspector: ${inspection.url}\n`);
  for (const warning of gateway.registry.warnings) process.stderr.write(`warning: ${warning}\n`);
  gateway.registry.notices$.subscribe((n) => process.stderr.write(`${n.type === 'journal.degraded' ? 'warning' : 'note'}: ${n.message}\n`));
  // SIGHUP too: its default would end the process at once, cutting what is in flight (a closed
  // terminal or ssh session, a supervisor's "reload"); draining is what every other stop does.
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const name of STOP_SIGNALS) process.once(name, () => resolve(name));
  });
  // A second signal means now: whatever is in flight is cut.
  const now = (again: NodeJS.Signals) => {
    process.stdout.write(`${again} again: stopping now\n`);
    process.exit(128 + os.constants.signals[again]);
  };
  for (const name of STOP_SIGNALS) process.on(name, now);
  const grace = config.limits.shutdownTimeoutMs;
  process.stdout.write(`${signal}: draining; ${gateway.inFlight} request${gateway.inFlight === 1 ? '' : 's'} in flight may finish within ${grace / 1000} s, new ones get 503 (a second signal stops at once)\n`);
  await gateway.drain(grace);
  await journal?.close();
  await inspection?.stop();
  process.stdout.write('stopped\n');
  return 0;
}
