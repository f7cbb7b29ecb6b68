import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileJournal, openHealthRegistry, VirtualClock, type FactInput, type HealthFact, type HealthRegistry } from '../../src/index.js';

export const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
export const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';
export const FALLBACK = 'custom|chat_completions|http://127.0.0.1:11434/v1';
export const CRASH = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 } as const;

/** A temp folder per test file, removed afterwards. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Writes a journal the way a live agent does: a registry on a simulated clock (jitter 0, so a
 * crash gives exactly the policy's 30 s), facts recorded at `T0 + seconds`. Returns the facts as
 * loaded back from the file.
 */
export async function writeJournal(path: string, steps: readonly (readonly [seconds: number, fact: FactInput])[]): Promise<HealthFact[]> {
  const journal = fileJournal(path);
  const clock = new VirtualClock(T0);
  const registry: HealthRegistry = await openHealthRegistry({ journal, clock, random: () => 0 });
  for (const [seconds, fact] of steps) {
    clock.advanceTo(Math.max(clock.now(), T0 + seconds * 1000));
    registry.record(fact);
  }
  await registry.close();
  await journal.close();
  return [...(await fileJournal(path).load({ ignoreSnapshot: true })).facts];
}

/** The facade crashes at T0 (turn t1) and is probed back; the fallback is throttled once. */
export const OUTAGE: readonly (readonly [number, FactInput])[] = [
  [0, { type: 'call.failed', backend: FACADE, failure: CRASH, purpose: 'main', turnId: 't1' }],
  [12, { type: 'call.failed', backend: FALLBACK, failure: { kind: 'rate_limited', reason: 'http_429', message: '429 Too Many Requests', status: 429, cooldownHintMs: 20_000 }, purpose: 'title', turnId: 't2' }],
  [40, { type: 'probe.started', backend: FACADE, purpose: 'probe', turnId: 't3' }],
  [41, { type: 'call.succeeded', backend: FACADE, purpose: 'probe', turnId: 't3' }],
];

/** The segments the HTML declares, per lane, as `[state, start, end, probe]` (string parsing, no browser). */
export function segmentsIn(html: string): Map<string, [string, number, number, string | null][]> {
  const lanes = new Map<string, [string, number, number, string | null][]>();
  for (const lane of html.split('<div class="lane" ').slice(1)) {
    const key = /^data-backend="([^"]*)"/.exec(lane)![1]!;
    const segments = [...lane.matchAll(/<span class="s" data-state="(\w+)"( data-probe="in-flight")? data-start="(\d+)" data-end="(\d+)"/g)].map(
      (m) => [m[1]!, Number(m[3]), Number(m[4]), m[2] ? 'in-flight' : null] as [string, number, number, string | null],
    );
    lanes.set(unescape(key), segments);
  }
  return lanes;
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
