import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { registryBench } from './registry.bench.js';
import { gatewayBench } from './gateway.bench.js';
import { routingBench } from './routing.bench.js';
import { requestLimitsBench } from './requestLimits.bench.js';
import { faultsBench } from './faults.bench.js';
import { cliBench } from './cli.bench.js';

// `npm run bench`: runs every benchmark suite and writes bench/results.json, from which
// `npm run docs` renders the tables in docs/benchmarks.md. Figures, never pass/fail: the machines
// are shared and noisy, so targets are reported next to the measurement, not asserted.
// `BENCH_SUITES=faults npm run bench` (a comma-separated list of registry, routing, gateway,
// faults) runs only those and keeps the other suites' last figures.
const SUITES = ['registry', 'routing', 'gateway', 'faults'];
const selected = (process.env.BENCH_SUITES ?? '').split(',').map((name) => name.trim()).filter(Boolean);
for (const name of selected) if (!SUITES.includes(name)) throw new Error(`unknown benchmark suite "${name}"; suites: ${SUITES.join(', ')}`);
const wanted = (name: string) => selected.length === 0 || selected.includes(name);
const file = fileURLToPath(new URL('./results.json', import.meta.url));
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
if (!(globalThis as { gc?: unknown }).gc) console.warn('run with --expose-gc for memory figures (npm run bench does)');

const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, date: new Date().toISOString().slice(0, 10) };
const results: Record<string, unknown> = { ...previous };
// These three suites share one machine line (the faults suite carries its own): it is rewritten
// only by a run that measured all three.
if (['registry', 'routing', 'gateway'].every(wanted)) results['machine'] = machine;
if (wanted('registry')) {
  console.log('registry benchmarks …');
  results['registry'] = await registryBench();
  console.log(JSON.stringify(results['registry'], null, 2));
}
if (wanted('routing')) {
  console.log('routing benchmarks …');
  const routing = await routingBench();
  results['routing'] = routing;
  console.log(JSON.stringify(routing.hotPath, null, 2));
}
if (wanted('gateway')) {
  console.log('gateway load benchmark …');
  results['gateway'] = await gatewayBench();
  console.log(JSON.stringify(results['gateway'], null, 2));
}
if (wanted('requestLimits')) {
  console.log('request limit benchmarks …');
  results['requestLimits'] = await requestLimitsBench();
  console.log(JSON.stringify(results['requestLimits'], null, 2));
}
if (wanted('faults')) {
  console.log('faults under load (gateway, primary flipping every 3 s) …');
  results['faults'] = await faultsBench();
  console.log(JSON.stringify(results['faults'], null, 2));
}
if (wanted('cli')) {
  console.log('CLI on a 1M-fact journal …');
  results['cli'] = await cliBench();
}
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${file}`);
