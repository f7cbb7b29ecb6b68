// Child process of the gateway load benchmark: a fast local OpenAI-compatible backend and a
// gateway in front of it, so the load generator (the parent) does not share their event loop.
// Prints one JSON line with both URLs; on a line "memory" on stdin, prints heap samples.
import { createInterface } from 'node:readline';
import { loadGatewayConfig, startGateway } from '../src/index.js';
import { FakeBackend, faults } from '../src/testing/index.js';

const fake = new FakeBackend({ fallback: faults.ok('a short answer from the backend') });
const backend = await fake.start();
const config = loadGatewayConfig(`model: bench-model\nprovider: custom\nbase_url: ${backend.url}/v1\napi_mode: chat_completions\n`, { env: {} });
const gateway = await startGateway({ config, activeProbes: false });
const heap = () => {
  // The fake keeps every request it received (tests count them); forget them, so the heap is the gateway's.
  fake.reset();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};
const samples: number[] = [heap()];
const timer = setInterval(() => samples.push(heap()), 1_000);
console.log(JSON.stringify({ backend: backend.url, gateway: gateway.url }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'memory') console.log(JSON.stringify({ samples: [...samples, heap()] }));
  if (line === 'reset') samples.splice(0, samples.length, heap());
  if (line === 'stop') break;
}
clearInterval(timer);
await gateway.close();
await backend.close();
process.stdin.destroy();
