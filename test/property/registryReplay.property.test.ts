import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FailureKind } from '../../src/classify/failure.js';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { compactJournal, memoryJournal, openHealthRegistry, resolveHealthPolicy, type FactInput, type HealthFact } from '../../src/index.js';
import { fcSeed } from '../support/fcSeed.js';

/**
 * Health is the fold of the journal: after a random live run, replaying its journal gives every
 * backend exactly the live state, and so does a snapshot taken at any compaction point plus the
 * facts after it.
 */
const seed = fcSeed('registry replay', 'test/property/registryReplay.property.test.ts');
const T0 = 1_700_000_000_000;
const KEYS = ['anthropic|anthropic_messages|http://127.0.0.1:8082', 'custom|chat_completions|http://127.0.0.1:11434/v1', 'openrouter|chat_completions|https://openrouter.ai/api/v1|anthropic/claude-sonnet-4'];
const KINDS: FailureKind[] = ['backend_fault', 'unreachable', 'crash', 'rate_limited', 'auth_config', 'request_fault', 'aborted'];
const policy = resolveHealthPolicy({ thresholds: { backend_fault: 3 }, decayIntervalMs: 120_000, probe: { intervalMs: 20_000 } });

type Step =
  | { op: 'fail'; key: number; kind: FailureKind; hintMs?: number; staleByMs: number }
  | { op: 'succeed'; key: number; staleByMs: number }
  | { op: 'probe'; key: number }
  | { op: 'reset'; key: number }
  | { op: 'wait'; ms: number }
  | { op: 'restart'; compact: boolean };

const key = fc.integer({ min: 0, max: KEYS.length - 1 });
const stale = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 300_000 }));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('fail' as const), key, kind: fc.constantFrom(...KINDS), hintMs: fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: undefined }), staleByMs: stale }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('succeed' as const), key, staleByMs: stale }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('probe' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reset' as const), key }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 600_000 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), compact: fc.boolean() }) },
);

function input(step: Exclude<Step, { op: 'wait' } | { op: 'restart' }>, now: number): FactInput {
  const backend = KEYS[step.key]!;
  switch (step.op) {
    case 'fail':
      return { type: 'call.failed', backend, startedAt: now - step.staleByMs, failure: { kind: step.kind, reason: step.kind, ...(step.hintMs !== undefined ? { cooldownHintMs: step.hintMs } : {}) } };
    case 'succeed':
      return { type: 'call.succeeded', backend, startedAt: now - step.staleByMs };
    case 'probe':
      return { type: 'probe.started', backend };
    case 'reset':
      return { type: 'backend.reset', backend, reason: 'test' };
  }
}

/** Replays `facts` (optionally after a snapshot of the first `compactAt`) into a fresh registry whose clock reads `end`. */
async function replay(facts: readonly HealthFact[], end: number, compactAt?: number) {
  const journal = memoryJournal();
  const head = compactAt === undefined ? facts : facts.slice(0, compactAt);
  // (the journal under test may hold a snapshot from a live restart; replays start from its facts alone)
  for (const f of head) journal.append(f);
  if (compactAt !== undefined) {
    await compactJournal(journal, { policy });
    for (const f of facts.slice(compactAt)) journal.append(f);
  }
  const registry = await openHealthRegistry({ journal, policy, clock: new VirtualClock(end) });
  const state = registry.stored();
  await registry.close();
  return state;
}

describe('registry: health is the fold of the journal (fast-check)', () => {
  it('live state = full replay = snapshot + tail, at any compaction point', async () => {
    let compactions = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.nat(), async (steps, jitterSeed, cut) => {
        const clock = new VirtualClock(T0);
        let s = jitterSeed;
        const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
        const journal = memoryJournal();
        let live = await openHealthRegistry({ journal, policy, clock, random });
        for (const step of steps) {
          if (step.op === 'wait') clock.advanceBy(step.ms);
          else if (step.op === 'restart') {
            // The live run itself goes through a restart: snapshot adoption, wake-ups, the live hand-over.
            await live.close();
            if (step.compact) await compactJournal(journal, { policy });
            live = await openHealthRegistry({ journal, policy, clock, random });
          } else live.record(input(step, clock.now()));
        }
        const liveState = live.stored();
        const facts = journal.facts;
        const end = clock.now();
        // Replayed while the live registry still runs: its probe claims are a live process's, left alone.
        expect(await replay(facts, end)).toEqual(liveState);
        const compactAt = cut % (facts.length + 1);
        compactions += 1;
        expect(await replay(facts, end, compactAt)).toEqual(liveState);
        await live.close();
      }),
      { seed, numRuns: 300 },
    );
    expect(compactions).toBeGreaterThan(0);
  });
});
