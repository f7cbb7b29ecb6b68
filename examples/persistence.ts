// Health that survives a restart: record facts in a file journal; the next process replays it.
// Run it twice within 30 s: HEALTH_JOURNAL=/tmp/health.jsonl npx tsx examples/persistence.ts
import { classifierOptionsFrom, classifyError, defaultJournalPath, fileJournal, openHealthRegistry, resolveHealthPolicy } from 'llm-health-router';

const policy = resolveHealthPolicy();
const journal = fileJournal(process.env.HEALTH_JOURNAL ?? defaultJournalPath()); // ~/.local/state/llm-health-router/journal.jsonl
const registry = await openHealthRegistry({ journal, policy }); // replays the journal, re-arms every deadline
const facade = 'anthropic|anthropic_messages|http://127.0.0.1:8082';

const route = registry.routability(facade);
if (route.routable) {
  // Pretend the call failed the way a crashed facade fails, and record it.
  const failure = classifyError(new Error('500 {"detail":"Claude Code process exited with code 1"}'), classifierOptionsFrom(policy));
  registry.record({ type: 'call.failed', backend: facade, purpose: 'main', failure });
  console.log(`recorded: ${registry.health(facade).status}`);
} else {
  console.log(`still ${route.status} for ${Math.ceil((route.until - Date.now()) / 1000)} s (remembered across the restart)`);
}
await registry.close(); // waits for a background compaction (one runs by itself every 1000 facts)
await journal.close(); // flushes
