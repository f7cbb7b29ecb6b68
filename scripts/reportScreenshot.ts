// Builds a small, realistic health journal, renders its HTML report and writes
// docs/images/report.png through headless Chromium, so docs/report.md shows the real thing.
// Run: npx tsx scripts/reportScreenshot.ts   (needs /usr/bin/chromium, or CHROMIUM=/path/to/it)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fileJournal, openHealthRegistry, renderHealthReport, reportHistory, VirtualClock, type ReportTurn } from '../src/index.js';

const FACADE = 'anthropic|anthropic_messages|http://127.0.0.1:8082';
const FALLBACK = 'custom|chat_completions|http://127.0.0.1:11434/v1';
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const crash = { kind: 'crash', reason: 'crash_signature', message: '500 Claude Code process exited with code 1', status: 500 } as const;

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lhr-report-shot-'));
try {
  const journalPath = join(dir, 'health.jsonl');
  const journal = fileJournal(journalPath);
  const clock = new VirtualClock(T0);
  // Jitter 0: the cooldowns are the policy's round numbers (30 s, 60 s, 120 s), easy to check on the picture.
  const registry = await openHealthRegistry({ journal, clock, random: () => 0 });
  const at = (seconds: number) => clock.advanceTo(T0 + seconds * 1000);
  const turns: ReportTurn[] = [];
  const labels = ['plan the refactor', 'read the parser', 'title', 'split lexer', 'run tests', 'fix failing test', 'summarise diff', 'compress context', 'write docs', 'review', 'delegate lint', 'final answer'];
  labels.forEach((label, i) => turns.push({ id: `t${i + 1}`, at: T0 + i * 35_000 + 2_000, label }));

  // t2: the facade's Claude Code process crashes: 30 s cooldown (level 1); the fallback answers.
  at(37);
  registry.record({ type: 'call.failed', backend: FACADE, failure: crash, purpose: 'main', turnId: 't2', startedAt: T0 + 36_500 });
  // t3: the cooldown is over; the turn's call is the probe, and it crashes again: 60 s (level 2).
  at(72);
  registry.record({ type: 'probe.started', backend: FACADE, purpose: 'probe', turnId: 't3' });
  at(73);
  registry.record({ type: 'call.failed', backend: FACADE, failure: crash, purpose: 'probe', turnId: 't3' });
  // An early probe 30 s into the facade's cooldown: still crashing (the cooldown lasts one more interval).
  at(104);
  registry.record({ type: 'probe.started', backend: FACADE, purpose: 'probe' });
  at(105);
  registry.record({ type: 'call.failed', backend: FACADE, failure: crash, purpose: 'probe' });
  // The fallback is throttled during t4's title call: a 20 s rate-limit cooldown.
  at(107);
  registry.record({ type: 'call.failed', backend: FALLBACK, failure: { kind: 'rate_limited', reason: 'http_429', message: '429 Too Many Requests', status: 429, cooldownHintMs: 20_000 }, purpose: 'title', turnId: 't4' });
  // t5: the fallback's slot is free again and its first call (the probe) succeeds.
  at(142);
  registry.record({ type: 'probe.started', backend: FALLBACK, purpose: 'probe', turnId: 't5' });
  at(144);
  registry.record({ type: 'call.succeeded', backend: FALLBACK, purpose: 'probe', turnId: 't5' });
  // t5/t6: the facade's cooldown has ended; its probe crashes: 120 s (level 3).
  at(147);
  registry.record({ type: 'probe.started', backend: FACADE, purpose: 'probe', turnId: 't5' });
  at(148);
  registry.record({ type: 'call.failed', backend: FACADE, failure: crash, purpose: 'probe', turnId: 't5' });
  // 30 s later an early probe succeeds: the facade is back long before its 120 s were up.
  at(180);
  registry.record({ type: 'probe.started', backend: FACADE, purpose: 'probe' });
  at(181);
  registry.record({ type: 'call.succeeded', backend: FACADE, purpose: 'probe' });
  // t9: one 502 from the fallback makes it suspect; a success two turns later clears it.
  at(283);
  registry.record({ type: 'call.failed', backend: FALLBACK, failure: { kind: 'backend_fault', reason: 'http_502', message: '502 Bad Gateway', status: 502 }, purpose: 'auxiliary:compression', turnId: 't9' });
  at(355);
  registry.record({ type: 'call.succeeded', backend: FALLBACK, purpose: 'delegate', turnId: 't11' });
  at(392);
  await registry.close();
  await journal.close();

  const { facts } = await fileJournal(journalPath).load({ ignoreSnapshot: true });
  const history = await reportHistory(facts, { until: T0 + 400_000 });
  const html = renderHealthReport({ history, turns, title: 'Backend health: a crashing facade and its fallback', note: 'A generated example: scripts/reportScreenshot.ts. Times are UTC.' });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.setContent(html);
    mkdirSync(join(root, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: join(root, 'docs', 'images', 'report.png'), fullPage: true });
    console.log(`wrote docs/images/report.png (${facts.length} facts, ${history.backends.length} backends)`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
