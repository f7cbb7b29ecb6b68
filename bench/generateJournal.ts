import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../src/clock/virtualClock.js';
import { fileJournal } from '../src/journal/fileJournal.js';
import { openHealthRegistry, type FactInput } from '../src/index.js';

/**
 * Writes a large, realistic journal for the CLI benchmarks: the real registry on a simulated
 * clock records a deterministic mix of what a long-running gateway journals (crashes, 503s, 429s
 * with a hint, probes claimed and answered, recoveries, now and then a reset) over `backends`
 * keys, into a real JSONL file. Only facts the registry actually journals count (a success on a
 * healthy backend is not one), so the file holds exactly `facts` lines.
 *
 * Like a live registry it compacts as it goes (every 100,000 facts here rather than the default
 * 1,000: only the last snapshot is kept, and each compaction folds just the facts since the one
 * before, so this costs one fold of the file instead of a thousand restores), waiting for each so
 * the snapshot lands exactly there; the last `tail` facts (default 1,000) follow the last
 * snapshot, as in a journal a registry is still writing (it compacts every 1,000).
 *
 * Run alone: `node --import tsx bench/generateJournal.ts out.jsonl [facts] [backends]`.
 */

export const GENERATED_T0 = Date.parse('2026-11-01T00:00:00Z');

const crash = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 } as const;
const overloaded = { kind: 'backend_fault', reason: 'http_503', message: '503 {"error":{"type":"overloaded_error","message":"Overloaded"}}', status: 503 } as const;
const limited = { kind: 'rate_limited', reason: 'http_429', message: '429 Rate limit reached for requests', status: 429, cooldownHintMs: 20_000 } as const;

function keyOf(i: number): string {
  return i % 3 === 0
    ? `anthropic|anthropic_messages|http://127.0.0.1:${8000 + i}|claude-sonnet-4-6`
    : i % 3 === 1
      ? `openai|chat_completions|https://api.openai.com/v1|gpt-4o-mini-${i}`
      : `custom|chat_completions|http://127.0.0.1:${11_000 + i}/v1|qwen2.5-coder-${i}`;
}

/** Writes the journal and returns the time of its last fact. */
export async function generateJournal(path: string, facts: number, backends = 200, tail = 1_000): Promise<{ end: number }> {
  const journal = fileJournal(path, { fsync: 'never' });
  const clock = new VirtualClock(GENERATED_T0);
  const registry = await openHealthRegistry({ journal, clock, random: () => 0.37, compactEvery: 0 });
  let recorded = 0;
  for (let i = 0; recorded < facts; i++) {
    const key = keyOf(i % backends);
    clock.advanceBy(211);
    const turnId = `t-${Math.floor(i / 4)}`;
    const step = Math.floor(i / backends) % 9;
    const input: FactInput =
      step === 0 || step === 4
        ? { type: 'call.failed', backend: key, failure: crash, purpose: 'main', turnId }
        : step === 2
          ? { type: 'probe.started', backend: key, purpose: 'probe' }
          : step === 3
            ? { type: 'call.succeeded', backend: key, purpose: 'probe' }
            : step === 5
              ? { type: 'call.failed', backend: key, failure: overloaded, purpose: 'title', turnId }
              : step === 7
                ? { type: 'call.failed', backend: key, failure: limited, purpose: 'auxiliary:compression', turnId }
                : step === 8 && Math.floor(i / backends) % 90 === 8
                  ? { type: 'backend.reset', backend: key, reason: 'config changed', purpose: 'manual' }
                  : { type: 'call.succeeded', backend: key, purpose: 'main', turnId };
    if (!registry.record(input)) continue;
    recorded += 1;
    if ((recorded % 100_000 === 0 && recorded < facts - tail) || recorded === facts - tail) await registry.compact();
  }
  await registry.close();
  await journal.close();
  return { end: clock.now() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [path, facts = '1000000', backends = '200'] = process.argv.slice(2);
  if (!path) throw new Error('usage: generateJournal.ts out.jsonl [facts] [backends]');
  if (existsSync(path)) throw new Error(`${path} exists; refusing to append to it`);
  const started = performance.now();
  const { end } = await generateJournal(path, Number(facts), Number(backends));
  console.log(`${path}: ${facts} facts, ${statSync(path).size} bytes, last fact at ${new Date(end).toISOString()}, in ${Math.round(performance.now() - started)} ms`);
}
