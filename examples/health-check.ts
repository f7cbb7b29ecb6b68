// One backend, one health actor: ask before calling, report every outcome, and a crashed facade is
// left alone for its cooldown instead of being hit again. Run it against any Anthropic-compatible
// server: FACADE_URL=http://127.0.0.1:8082 npx tsx examples/health-check.ts
import Anthropic from '@anthropic-ai/sdk';
import { createActor } from 'xstate';
import {
  backendHealthMachine,
  captureErrorBodies,
  classifierOptionsFrom,
  classifyError,
  endpointKey,
  identify,
  resolveHealthPolicy,
  routability,
  sdkBaseUrl,
} from 'llm-health-router';

const facade = identify({ provider: 'anthropic', baseUrl: process.env.FACADE_URL ?? 'http://127.0.0.1:8082' });
const policy = resolveHealthPolicy(); // 30 s first cooldown, doubling to 300 s; a crash ejects at once
const health = createActor(backendHealthMachine, { input: { key: endpointKey(facade), policy, at: Date.now() } }).start();
health.on('health.changed', (e) => console.log(`health: ${e.from} -> ${e.to} (${e.cause})`));

// The router owns retries (maxRetries: 0); captureErrorBodies keeps error bodies readable for the classifier.
const client = new Anthropic({ apiKey: 'unused', baseURL: sdkBaseUrl(facade), maxRetries: 0, fetch: captureErrorBodies() });

async function ask(text: string): Promise<void> {
  const startedAt = Date.now();
  const route = routability(health.getSnapshot(), startedAt);
  if (!route.routable) {
    console.log(`skipped: ${route.status} for ${Math.ceil((route.until - startedAt) / 1000)} s more`);
    return;
  }
  if (route.as === 'probe') health.send({ type: 'probe.started', at: startedAt });
  try {
    const reply = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: text }] });
    health.send({ type: 'call.succeeded', at: Date.now(), startedAt });
    console.log(`reply: ${reply.content.map((b) => (b.type === 'text' ? b.text : '')).join('')}`);
  } catch (error) {
    const failure = classifyError(error, classifierOptionsFrom(policy));
    console.log(`failed: ${failure.kind} (${failure.reason})`);
    health.send({ type: 'call.failed', at: Date.now(), startedAt, failure, jitterSample: Math.random() });
  }
}

await ask('Hello');
await ask('Hello again');
health.stop();
