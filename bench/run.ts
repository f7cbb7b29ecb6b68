import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { registryBench } from './registry.bench.js';
import { gatewayBench } from './gateway.bench.js';
import { routingBench } from './routing.bench.js';
import { cliBench } from './cli.bench.js';

// `npm run bench`: runs every benchmark suite and writes bench/results.json, from which
// `npm run docs` renders the tables in docs/benchmarks.md. Figures, never pass/fail: the machines
// are shared and noisy, so targets are reported next to the measurement, not asserted.
const file = fileURLToPath(new URL('./results.json', import.meta.url));
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
if (!(globalThis as { gc?: unknown }).gc) console.warn('run with --expose-gc for memory figures (npm run bench does)');

const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, date: new Date().toISOString().slice(0, 10) };
console.log('registry benchmarks …');
const registry = await registryBench();
console.log(JSON.stringify(registry, null, 2));
console.log('routing benchmarks …');
const routing = await routingBench();
console.log(JSON.stringify(routing.hotPath, null, 2));
console.log('gateway load benchmark …');
const gateway = await gatewayBench();
console.log(JSON.stringify(gateway, null, 2));
console.log('CLI on a 1M-fact journal …');
const cli = await cliBench();
writeFileSync(file, `${JSON.stringify({ ...previous, machine, registry, routing, gateway, cli }, null, 2)}\n`);
console.log(`wrote ${file}`);
