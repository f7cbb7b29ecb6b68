import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { VirtualClock } from '../src/clock/virtualClock.js';
import { backendHealthMachine, compactJournal, memoryJournal, openHealthRegistry, type FactInput, type Journal } from '../src/index.js';
import { fileJournal } from '../src/journal/fileJournal.js';
import { bestMs, gc, nsPerOp, round } from './measure.js';

/**
 * Registry benchmarks (issue 3): replay throughput, rehydration of 10,000 backends from a
 * snapshot plus a tail, memory per health actor, journal append cost per fsync policy, and the
 * hot path of a healthy success, each next to a baseline or a peer measured in the same run.
 */

const T0 = 1_700_000_000_000;
const crash = { kind: 'crash', reason: 'crash_signature' } as const;
const fault = { kind: 'backend_fault', reason: 'http_500' } as const;
const keyOf = (i: number) => `custom|chat_completions|http://127.0.0.1:${10_000 + (i % 50_000)}/v1|model-${i}`;

/** A deterministic history over `backends` keys: failures, probes, recoveries, a reset now and then. */
async function history(journal: Journal, backends: number, facts: number): Promise<number> {
  const clock = new VirtualClock(T0);
  // No background compaction: the benchmarks below decide when a snapshot exists.
  const registry = await openHealthRegistry({ journal, clock, random: () => 0.5, compactEvery: 0 });
  let recorded = 0;
  for (let i = 0; recorded < facts; i++) {
    const key = keyOf(i % backends);
    clock.advanceBy(97);
    const step = i % 7;
    const input: FactInput =
      step === 0 || step === 3
        ? { type: 'call.failed', backend: key, failure: step === 0 ? crash : fault }
        : step === 5
          ? { type: 'probe.started', backend: key }
          : step === 6 && i % 70 === 6
            ? { type: 'backend.reset', backend: key }
            : { type: 'call.succeeded', backend: key };
    if (registry.record(input)) recorded += 1;
  }
  await registry.close();
  return clock.now();
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'lhr-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function registryBench() {
  // 1. Full replay throughput: 100,000 facts over 1,000 backends, no snapshot.
  const replayJournal = memoryJournal();
  const replayEnd = await history(replayJournal, 1_000, 100_000);
  const replayMs = await bestMs(3, () => null, async () => void (await openHealthRegistry({ journal: replayJournal, clock: new VirtualClock(replayEnd), compactEvery: 0 })).close());

  // The floor under replay: the same kind of facts sent straight to one XState health actor.
  const floorActor = createActor(backendHealthMachine, { clock: new VirtualClock(T0), input: { key: keyOf(0), at: T0 } }).start();
  let floorAt = T0;
  const actorSendNs = nsPerOp(20_000, (n) => {
    for (let i = 0; i < n; i += 2) {
      floorAt += 97;
      floorActor.send({ type: 'call.failed', at: floorAt, startedAt: floorAt, failure: fault, jitterSample: 0.5 });
      floorActor.send({ type: 'call.succeeded', at: floorAt, startedAt: floorAt });
    }
  }, 3);
  floorActor.stop();

  // 2. Rehydration of 10,000 backends from a snapshot plus a 1,000-fact tail, from a real file.
  const rehydration = await withTempDir(async (dir) => {
    const path = join(dir, 'journal.jsonl');
    const writer = fileJournal(path, { fsync: 'never' });
    const end = await history(writer, 10_000, 30_000);
    await compactJournal(writer);
    const tailClock = new VirtualClock(end);
    const tail = await openHealthRegistry({ journal: writer, clock: tailClock, random: () => 0.5, compactEvery: 0 });
    for (let i = 0; i < 1_000; i++) {
      tailClock.advanceBy(50);
      tail.record({ type: 'call.failed', backend: keyOf(i * 7), failure: i % 2 ? crash : fault });
    }
    await tail.close();
    await writer.close();
    const at = tailClock.now() + 10_000;
    let known = 0;
    const opened: Awaited<ReturnType<typeof openHealthRegistry>>[] = [];
    const ms = await bestMs(
      5,
      () => fileJournal(path, { fsync: 'never' }),
      async (journal) => {
        const registry = await openHealthRegistry({ journal, clock: new VirtualClock(at), compactEvery: 0 });
        opened.push(registry);
        await journal.close();
      },
    );
    // Outside the timing: a query that resolves every backend, to check the rehydration is complete.
    known = opened.at(-1)!.all().length;
    for (const r of opened) await r.close();
    return { backends: known, tailFacts: 1_000, ms: round(ms, 1) };
  });

  // 3. Memory per live health actor (10,000 actors, heap after GC).
  gc();
  const before = process.memoryUsage().heapUsed;
  const actors = Array.from({ length: 10_000 }, (_, i) => createActor(backendHealthMachine, { input: { key: keyOf(i), at: T0 } }).start());
  gc();
  const bytesPerActor = (process.memoryUsage().heapUsed - before) / actors.length;
  for (const a of actors) a.stop();

  // 4. Append cost per fact, per fsync policy, next to a bare appendFileSync of the same line.
  const appendCost = await withTempDir(async (dir) => {
    const fact = { v: 1, type: 'call.failed', at: T0, backend: keyOf(1), startedAt: T0, failure: crash, jitterSample: 0.5 } as const;
    const out: Record<string, number> = {};
    for (const [name, fsync, n] of [
      ['always', 'always', 300],
      ['interval_1000ms', { intervalMs: 1000 }, 5_000],
      ['never', 'never', 5_000],
    ] as const) {
      const journal = fileJournal(join(dir, `${name}.jsonl`), { fsync });
      out[name] = round(nsPerOp(n, (k) => {
        for (let i = 0; i < k; i++) journal.append(fact);
      }, 3) / 1000, 2);
      await journal.close();
    }
    const { appendFileSync } = await import('node:fs');
    const line = `${JSON.stringify(fact)}\n`;
    out['baseline_appendFileSync'] = round(nsPerOp(5_000, (k) => {
      for (let i = 0; i < k; i++) appendFileSync(join(dir, 'baseline.jsonl'), line);
    }, 3) / 1000, 2);
    return out;
  });

  // 5. Hot path: a success on a healthy backend, next to a bare Map lookup and cockatiel's breaker.
  let actorEvents = 0;
  const hot = await openHealthRegistry({
    journal: memoryJournal(),
    clock: new VirtualClock(T0),
    compactEvery: 0,
    inspect: (e) => void (e.type === '@xstate.event' && (actorEvents += 1)),
  });
  const healthyKey = keyOf(42);
  hot.record({ type: 'call.failed', backend: healthyKey, failure: fault });
  hot.record({ type: 'call.succeeded', backend: healthyKey }); // known, healthy again
  const journaledBefore = (await hot.journal.load()).facts.length;
  const actorEventsBefore = actorEvents;
  let events = 0;
  hot.events$.subscribe(() => (events += 1));
  const success = { type: 'call.succeeded', backend: healthyKey } as const;
  const registryNs = nsPerOp(200_000, (n) => {
    for (let i = 0; i < n; i++) hot.record(success);
  });
  const journaledAfter = (await hot.journal.load()).facts.length;
  const actorEventsDuring = actorEvents - actorEventsBefore;
  await hot.close();
  const map = new Map([[healthyKey, 1]]);
  let sink = 0;
  const mapNs = nsPerOp(200_000, (n) => {
    for (let i = 0; i < n; i++) sink += map.get(healthyKey) ?? 0;
  });
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(2) });
  const noop = () => 1;
  const cockatielNs = nsPerOp(50_000, (n) => {
    for (let i = 0; i < n; i++) void breaker.execute(noop);
  });

  return {
    replay: {
      facts: 100_000,
      backends: 1_000,
      ms: round(replayMs, 1),
      factsPerSecond: Math.round(100_000 / (replayMs / 1000)),
      bareActorSendMicroseconds: round(actorSendNs / 1000, 1),
      ratioToBareActorSend: round(replayMs * 1e6 / 100_000 / actorSendNs, 2),
    },
    rehydration10k: { ...rehydration, targetMs: 500 },
    memory: { actors: 10_000, bytesPerActor: Math.round(bytesPerActor) },
    appendMicrosecondsPerFact: appendCost,
    hotPath: {
      registryHealthySuccessNs: round(registryNs, 1),
      baselineMapGetNs: round(mapNs, 1),
      cockatielBreakerExecuteNs: round(cockatielNs, 1),
      ratioToCockatiel: round(registryNs / cockatielNs, 4),
      journalWrites: journaledAfter - journaledBefore,
      events,
      actorEvents: actorEventsDuring,
      sink: sink > 0,
    },
  };
}
