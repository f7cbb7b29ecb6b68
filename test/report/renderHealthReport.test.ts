import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { backendHealthMachine, renderHealthReport, renderStatechartSvg, reportHistory, statechartTransitions } from '../../src/index.js';
import { CRASH, FACADE, FALLBACK, OUTAGE, segmentsIn, T0, tempDir, writeJournal } from './fixtures.js';

const dir = tempDir('lhr-report-unit-');
afterAll(() => dir.remove());
let n = 0;
const journalFile = () => join(dir.path, `journal-${++n}.jsonl`);

const attrs = (html: string, selector: RegExp) => [...html.matchAll(selector)].map((m) => m.slice(1));

describe('renderHealthReport: lanes and segments', () => {
  it('draws one lane per backend, each state from the fact or timer that began it to the one that ended it', async () => {
    const facts = await writeJournal(journalFile(), OUTAGE);
    const history = await reportHistory(facts);
    // The last fact is at +41 s; nothing is left pending, so the timeline gets its short tail (5 % of 41 s).
    const end = T0 + 41_000 + 2_050;
    expect(history.end).toBe(end);
    const html = renderHealthReport({ history });
    const lanes = segmentsIn(html);
    expect([...lanes.keys()]).toEqual([FACADE, FALLBACK]);
    expect(lanes.get(FACADE)).toEqual([
      ['cooldown', T0, T0 + 30_000, null], // a crash: the default policy's 30 s (jitter 0)
      ['recovering', T0 + 30_000, T0 + 40_000, null],
      ['recovering', T0 + 40_000, T0 + 41_000, 'in-flight'],
      ['healthy', T0 + 41_000, end, null],
    ]);
    expect(lanes.get(FALLBACK)).toEqual([
      ['cooldown', T0 + 12_000, T0 + 32_000, null], // the 429's 20 s hint
      ['recovering', T0 + 32_000, end, null],
    ]);
    expect(html).toContain(`<main id="health-report" data-start="${T0}" data-end="${end}">`);
  });

  it('draws a cooldown the journal left open to its end, and escalated cooldowns at their own length', async () => {
    const open = await reportHistory(await writeJournal(journalFile(), [[0, { type: 'call.failed', backend: FACADE, failure: CRASH }]]));
    expect(segmentsIn(renderHealthReport({ history: open })).get(FACADE)).toEqual([['cooldown', T0, T0 + 30_000, null]]);

    const escalated = await writeJournal(journalFile(), [
      [0, { type: 'call.failed', backend: FACADE, failure: CRASH }],
      [31, { type: 'probe.started', backend: FACADE, purpose: 'probe' }],
      [32, { type: 'call.failed', backend: FACADE, failure: CRASH, purpose: 'probe' }],
    ]);
    const lane = segmentsIn(renderHealthReport({ history: await reportHistory(escalated) })).get(FACADE);
    expect(lane).toEqual([
      ['cooldown', T0, T0 + 30_000, null],
      ['recovering', T0 + 30_000, T0 + 31_000, null],
      ['recovering', T0 + 31_000, T0 + 32_000, 'in-flight'],
      ['cooldown', T0 + 32_000, T0 + 92_000, null], // level 2: 60 s
    ]);
  });

  it('with until, stops there: the open cooldown is cut and later facts are left out', async () => {
    const facts = await writeJournal(journalFile(), OUTAGE);
    const html = renderHealthReport({ history: await reportHistory(facts, { until: T0 + 10_000 }) });
    expect(segmentsIn(html)).toEqual(new Map([[FACADE, [['cooldown', T0, T0 + 10_000, null]]]]));
    expect(attrs(html, /<i class="m" data-mark="(\w+)"/g).flat()).toEqual(['failure']);
  });
});

describe('renderHealthReport: marks, turns, summary', () => {
  it('marks failures with kind, reason and message, and probes (claims and probe calls)', async () => {
    const html = renderHealthReport({ history: await reportHistory(await writeJournal(journalFile(), OUTAGE)) });
    const marks = attrs(html, /<i class="m" data-mark="(\w+)" data-at="(\d+)" style="[^"]*" title="([^"]*)"/g);
    // Lane by lane: the facade's, then the fallback's.
    expect(marks.map(([kind, at]) => [kind, Number(at) - T0])).toEqual([
      ['failure', 0],
      ['probe', 40_000],
      ['probe', 41_000],
      ['failure', 12_000],
    ]);
    expect(marks[0]![2]).toBe('10:00:00 failure: crash (crash_signature), HTTP 500, &quot;500 Claude Code process exited with code 1&quot; — purpose main, turn t1');
    expect(marks[1]![2]).toBe('10:00:40 probe started — purpose probe, turn t3');
    expect(marks[2]![2]).toBe('10:00:41 probe succeeded — purpose probe, turn t3');
    expect(marks[3]![2]).toBe('10:00:12 failure: rate_limited (http_429), HTTP 429, &quot;429 Too Many Requests&quot;, retry after 20000 ms — purpose title, turn t2');
  });

  it('takes the turns from the facts (first fact of each turnId), or from the caller when given', async () => {
    const history = await reportHistory(await writeJournal(journalFile(), OUTAGE));
    const derived = renderHealthReport({ history });
    expect(attrs(derived, /data-turn="([^"]*)" data-at="(\d+)"/g)).toEqual([
      ['t1', String(T0)],
      ['t2', String(T0 + 12_000)],
      ['t3', String(T0 + 40_000)],
    ]);
    const given = renderHealthReport({ history, turns: [{ id: 'turn-b', at: T0 + 20_000, label: 'run tests' }, { id: 'turn-a', at: T0 - 5_000 }, { id: 'later', at: T0 + 999_000 }] });
    // Sorted by time; one before the first fact is kept (the axis starts there), one after the end is not.
    expect(attrs(given, /data-turn="([^"]*)" data-at="\d+" style="[^"]*" title="([^"]*)">([^<]*)</g)).toEqual([
      ['turn-a', 'turn turn-a began 09:59:55', 'turn-a'],
      ['turn-b', 'turn turn-b (run tests) began 10:00:20', 'run tests'],
    ]);
    expect(given).toContain('turns (2)');
  });

  it('summarises the range, backends, failures, cooldowns and probes', async () => {
    const html = renderHealthReport({ history: await reportHistory(await writeJournal(journalFile(), OUTAGE)) });
    const summary = Object.fromEntries(attrs(html, /data-summary="([\w-]+)">([^<]*)</g) as [string, string][]);
    expect(summary).toEqual({
      range: '2026-11-27 10:00:00 UTC – 2026-11-27 10:00:43.050 UTC (43 s)',
      backends: '2',
      facts: '4',
      failures: '2',
      cooldowns: '2',
      downs: '0',
      probes: '1',
      turns: '3',
      'most-closed': `${FACADE} (31 s)`,
    });
  });

  it('says so when the journal holds no facts, and still draws the chart', async () => {
    const html = renderHealthReport({ history: await reportHistory([]) });
    expect(html).toContain('The journal holds no facts');
    expect(html).not.toContain('class="lane"');
    expect(html).toContain('<svg id="statechart"');
  });
});

describe('renderHealthReport: safety', () => {
  it('escapes hostile reasons, messages, keys, turn labels and titles: the only script is the page’s own', async () => {
    const hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const facts = await writeJournal(journalFile(), [
      [0, { type: 'call.failed', backend: `custom|chat_completions|http://evil/${hostile}`, failure: { kind: 'crash', reason: hostile, message: hostile }, turnId: hostile }],
      [1, { type: 'backend.reset', backend: FACADE, reason: hostile }],
    ]);
    const html = renderHealthReport({ history: await reportHistory(facts), title: hostile, note: hostile });
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/"\s*onerror=/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    // The key survives the round trip through the attribute.
    expect([...segmentsIn(html).keys()]).toContain(`custom|chat_completions|http://evil/${hostile}`);
  });

  it('forbids every request in the page itself and needs nothing from outside', async () => {
    const html = renderHealthReport({ history: await reportHistory(await writeJournal(journalFile(), OUTAGE)) });
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\b(src|href)="(?!data:)/);
    expect(html).not.toMatch(/@import|url\((?!#)/);
  });
});

describe('renderStatechartSvg', () => {
  it('draws every state of the health machine and an arrow for each source and target of its transitions', () => {
    const svg = renderStatechartSvg(backendHealthMachine);
    const states = attrs(svg, /<g class="sc-box" data-state-id="([^"]+)"/g).flat();
    expect(states.sort()).toEqual(
      [
        'cooldown',
        'cooldown.probeDue',
        'cooldown.probing',
        'cooldown.resting',
        'degraded',
        'degraded.recovering',
        'degraded.recovering.awaitingProbe',
        'degraded.recovering.probing',
        'degraded.suspect',
        'down',
        'healthy',
      ].sort(),
    );
    const expected = new Set(statechartTransitions(backendHealthMachine).filter((r) => !r.target.startsWith('(')).map((r) => `${r.source}>${r.target}`));
    const drawn = attrs(svg, /<g class="sc-arrow[^"]*" data-source="([^"]+)" data-target="([^"]+)"/g).map(([s, t]) => `${s}>${t}`);
    expect(new Set(drawn)).toEqual(expected);
    expect(drawn).toHaveLength(expected.size);
    expect(svg).toMatch(/healthy → cooldown\n[^<]*call\.failed \[isCrash\] \/ startEjection/);
  });

  it('places the states of an unknown machine in a grid inside the canvas, none overlapping', () => {
    const machine = createMachine({ id: 'door', initial: 'closed', states: { closed: { on: { OPEN: 'open' } }, open: { on: { CLOSE: 'closed' } }, jammed: {} } });
    const svg = renderStatechartSvg(machine);
    const [width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.slice(1).map(Number) as [number, number];
    const boxes = attrs(svg, /data-state-id="(\w+)"><title>\w+<\/title><rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/g).map(([id, ...n]) => ({ id, ...(([x, y, w, h]) => ({ x, y, w, h }))(n.map(Number) as [number, number, number, number]) }));
    expect(boxes.map((b) => b.id)).toEqual(['closed', 'open', 'jammed']);
    for (const b of boxes) expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= width && b.y + b.h <= height).toBe(true);
    for (const a of boxes) for (const b of boxes) if (a !== b) expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
    expect(attrs(svg, /data-source="(\w+)" data-target="(\w+)"/g).map(([s, t]) => `${s}>${t}`)).toEqual(expect.arrayContaining(['closed>open', 'open>closed']));
  });
});
