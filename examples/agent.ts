// Embedding the router in an agent: the config users already have, real SDK transports, health
// kept in a file across restarts. Each user message is a turn; its title never goes to a backend
// that failed in that turn, and a dead primary is left alone until it has recovered.
//   ROUTER_CONFIG=router.yaml npx tsx examples/agent.ts
import { createHealthRouter, defaultJournalPath, fileJournal, readRouterConfig, sdkTransport, type NeutralRequest } from 'llm-health-router';

const config = await readRouterConfig(process.env.ROUTER_CONFIG ?? 'router.yaml');
for (const dropped of config.dropped) console.log(`config: ${dropped.path} dropped (${dropped.reason})`);
const journal = fileJournal(process.env.HEALTH_JOURNAL ?? defaultJournalPath());
const router = await createHealthRouter({ config, transport: sdkTransport(), registry: { journal } });
router.notices$.subscribe((n) => console.log(`notice: ${n.type}${'to' in n ? ` (${n.from} -> ${n.to})` : ''}`));

const say = (text: string, maxTokens: number): NeutralRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], maxTokens });

for (const message of ['Hello!', 'What can you do?']) {
  const turn = router.startTurn();
  const reply = await turn.main(say(message, 512)); // throws RoutingError when nothing can answer (RequestLimitError: a request over the limits, before anything is sent)
  const title = await turn.title(say(`A 3-word title for: ${message}`, 16)); // never throws, never warns
  console.log(`[${reply.servedBy}] ${reply.text}`);
  console.log('text' in title ? `title: ${title.text}` : `title: (none: ${'skipped' in title ? title.skipped : title.failed.reason})`);
  turn.end();
}
await router.close();
await journal.close();
