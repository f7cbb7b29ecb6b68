import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { round } from './measure.js';

const DURATION_S = Number(process.env.GATEWAY_BENCH_SECONDS ?? 8);
const CONNECTIONS = 10;
const BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'hello' }], max_tokens: 16 });

/** One load run: requests/s and latency percentiles (ms) from autocannon. */
async function load(url: string): Promise<{ requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number }> {
  const result = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  return { requestsPerSecond: round(result.requests.average, 0), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/**
 * The gateway under load, next to the backend it fronts: `autocannon` (in this process) against
 * the backend directly, then against the gateway (both in a child process, so the load generator
 * does not share their event loop), and the gateway process's heap sampled every second after GC.
 */
export async function gatewayBench() {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./gatewayServer.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  try {
    const { backend, gateway } = (await next()) as { backend: string; gateway: string };
    await load(backend); // warm-up, both ways
    await load(gateway);
    const direct = await load(backend);
    child.stdin.write('reset\n');
    const routed = await load(gateway);
    child.stdin.write('memory\n');
    const { samples } = (await next()) as { samples: number[] };
    const mib = (b: number) => round(b / 1024 / 1024, 1);
    return {
      durationS: DURATION_S,
      connections: CONNECTIONS,
      direct,
      gateway: routed,
      addedP50Ms: round(routed.p50Ms - direct.p50Ms, 2),
      addedP99Ms: round(routed.p99Ms - direct.p99Ms, 2),
      throughputRatio: round(routed.requestsPerSecond / direct.requestsPerSecond, 2),
      heapMiB: { start: mib(samples[0]!), end: mib(samples.at(-1)!), max: mib(Math.max(...samples)), samples: samples.length },
    };
  } finally {
    child.stdin.end('stop\n');
    await new Promise((resolve) => child.on('close', resolve));
  }
}
