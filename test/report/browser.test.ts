import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHealthReport, reportHistory, type FactInput } from '../../src/index.js';
import { CRASH, FACADE, FALLBACK, OUTAGE, T0, tempDir, writeJournal } from './fixtures.js';

// The page's globals, for the callbacks that run inside it (the project compiles without the DOM lib).
declare const window: { scrollX: number; scrollY: number; scrollTo(x: number, y: number): void; scrollBy(x: number, y: number): void };
declare function getComputedStyle(element: unknown): { backgroundColor: string; backgroundImage: string };

const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

const dir = tempDir('lhr-report-browser-');
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  browser = await chromium.launch(LAUNCH);
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  dir.remove();
});

/** Opens the page from disk as a user would, recording every request it makes (and refusing all but itself). */
async function open(html: string, name: string, viewport = { width: 1360, height: 900 }): Promise<{ page: Page; url: string; requests: string[] }> {
  const file = join(dir.path, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport });
  pages.push(page);
  const requests: string[] = [];
  page.on('request', (request) => void requests.push(request.url()));
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, requests };
}

const lane = (key: string) => `[data-backend="${key}"]`;

describe('the report in a real browser', () => {
  it('shows a lane per backend, the cooldown from the crash to its end, marks, turns and the statechart, and requests nothing', async () => {
    const history = await reportHistory(await writeJournal(join(dir.path, 'outage.jsonl'), OUTAGE));
    const { page, url, requests } = await open(renderHealthReport({ history, title: 'Outage' }), 'outage.html');

    await expect(page.locator('#health-report').isVisible()).resolves.toBe(true);
    expect(await page.locator('.lane').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-backend')))).toEqual([FACADE, FALLBACK]);

    // The crash at T0 opened a 30 s cooldown (default policy, jitter 0); the probe slot opened at its end.
    const cooldown = page.locator(`${lane(FACADE)} [data-state="cooldown"]`);
    await expect(cooldown.count()).resolves.toBe(1);
    expect([await cooldown.getAttribute('data-start'), await cooldown.getAttribute('data-end')]).toEqual([String(T0), String(T0 + 30_000)]);
    const awaiting = page.locator(`${lane(FACADE)} [data-state="recovering"]:not([data-probe])`);
    const probing = page.locator(`${lane(FACADE)} [data-state="recovering"][data-probe="in-flight"]`);
    const [c, a, p] = [await cooldown.boundingBox(), await awaiting.boundingBox(), await probing.boundingBox()];
    // Drawn to scale: 30 s of cooldown is three times the 10 s of waiting for a probe, and they touch.
    expect(c!.width / a!.width).toBeCloseTo(3, 1);
    expect(Math.abs(c!.x + c!.width - a!.x)).toBeLessThan(1);
    expect(Math.abs(a!.x + a!.width - p!.x)).toBeLessThan(1);
    expect(await cooldown.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(232, 116, 59)');
    expect(await probing.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('repeating-linear-gradient');

    const failures = page.locator('[data-mark="failure"]');
    await expect(failures.count()).resolves.toBe(2);
    for (const mark of await failures.all()) await expect(mark.isVisible()).resolves.toBe(true);
    expect(await failures.first().getAttribute('title')).toBe('10:00:00 failure: crash (crash_signature), HTTP 500, "500 Claude Code process exited with code 1" — purpose main, turn t1');
    await expect(page.locator(`${lane(FACADE)} [data-mark="probe"]`).count()).resolves.toBe(2);

    expect(await page.locator('[data-turn]').allInnerTexts()).toEqual(['t1', 't2', 't3']);
    await expect(page.locator('#statechart').isVisible()).resolves.toBe(true);
    await expect(page.locator('#statechart .sc-box').count()).resolves.toBe(11);
    expect(await page.locator('[data-summary="cooldowns"]').innerText()).toBe('2');

    // The filter box keeps the lanes whose key contains what is typed.
    await page.locator('#lane-filter').fill('11434');
    expect(await page.locator('.lane:visible').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-backend')))).toEqual([FALLBACK]);
    expect(await page.locator('#lane-count').innerText()).toBe('1 of 2 backends');
    await page.locator('#lane-filter').fill('');
    await expect(page.locator('.lane:visible').count()).resolves.toBe(2);

    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(requests).toEqual([url]);
  });

  it('stays small and readable with 200 backends: compact lanes, sticky axis and labels, nothing requested', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `custom|chat_completions|http://10.0.${Math.floor(i / 100)}.${i % 100}:8000/v1`);
    const steps: [number, FactInput][] = keys.flatMap((backend, i): [number, FactInput][] => {
      const at = i * 3;
      switch (i % 4) {
        case 0:
          return [[at, { type: 'call.failed', backend, failure: CRASH, turnId: `t${i}` }], [at + 31, { type: 'probe.started', backend, purpose: 'probe' }], [at + 32, { type: 'call.succeeded', backend, purpose: 'probe' }]];
        case 1:
          return [[at, { type: 'call.failed', backend, failure: { kind: 'backend_fault', reason: 'http_502', status: 502 } }]];
        case 2:
          return [[at, { type: 'call.failed', backend, failure: { kind: 'rate_limited', reason: 'http_429', status: 429, cooldownHintMs: 45_000 } }]];
        default:
          return [[at, { type: 'call.failed', backend, failure: { kind: 'auth_config', reason: 'http_401', status: 401, message: 'invalid x-api-key' } }]];
      }
    });
    steps.sort((x, y) => x[0] - y[0]);
    const history = await reportHistory(await writeJournal(join(dir.path, 'many.jsonl'), steps));
    const html = renderHealthReport({ history });
    expect(html.length).toBeLessThan(400_000); // about 250 kB today (1.1 kB a lane, plus the chart and styles): linear, with room

    const { page, url, requests } = await open(html, 'many.html', { width: 900, height: 700 });
    await expect(page.locator('.lane').count()).resolves.toBe(200);
    const heights = await page.locator('.lane').evaluateAll((lanes) => lanes.map((l) => l.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThanOrEqual(14);
    expect(Math.min(...heights)).toBeGreaterThan(10);
    await expect(page.locator('[data-state="down"]').count()).resolves.toBe(50);

    // Scrolled to the last lane and to the right: the axis stays on top, the labels on the left.
    const last = page.locator(lane(keys.at(-1)!));
    await page.evaluate(() => window.scrollTo(400, 0));
    await last.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(400, 0));
    expect(await page.evaluate(() => window.scrollX)).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    expect((await page.locator('.axis').first().boundingBox())!.y).toBe(0);
    const label = (await last.locator('.key').boundingBox())!;
    expect(label.x).toBe(0);
    expect(label.y).toBeGreaterThan(40);
    expect(label.y + label.height).toBeLessThanOrEqual(700);

    await page.screenshot({ path: join(ARTIFACTS, 'report-200.png') });

    await page.locator('#lane-filter').fill('10.0.1.9');
    expect(await page.locator('.lane:visible').count()).toBe(keys.filter((k) => k.includes('10.0.1.9')).length);
    expect(requests).toEqual([url]);
  });
});
