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
Stops on Ctrl-C (SIGINT) or SIGTERM, finishing nothing in flight.
`;

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
  const gateway = await startGateway({
    config,
    port,
    ...(journalPath ? { journal: fileJournal(journalPath) } : {}),
    ...(inspection ? { inspect: inspection.inspect } : {}),
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use; pick another with --port` : error.message);
  });
  process.stdout.write(`llm-health-router gateway on ${gateway.url} (${config.routes.length} route${config.routes.length === 1 ? '' : 's'}: ${config.routes.map((r) => r.match).join(', ')})\n`);
  if (inspection?.url) process.stdout.write(`Stately inspector: ${inspection.url}\n`);
  for (const warning of gateway.registry.warnings) process.stderr.write(`warning: ${warning}\n`);
  gateway.registry.notices$.subscribe((n) => process.stderr.write(`${n.type === 'journal.degraded' ? 'warning' : 'note'}: ${n.message}\n`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gateway.close();
  await inspection?.stop();
  return 0;
}
