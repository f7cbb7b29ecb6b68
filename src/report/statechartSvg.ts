import type { AnyStateMachine } from 'xstate';
import { backendHealthMachine } from '../../machines/backendHealth.machine.js';
import { statechartTransitions, type TransitionRow } from '../visual/statechartMermaid.js';
import { arrowGeometry, placeLabel, type Area } from './chartGeometry.js';
import { escapeHtml } from './escapeHtml.js';
import { PALETTE } from './palette.js';
import { layoutStatechart, type ChartBox } from './statechartLayout.js';

/**
 * The statechart as an inline SVG (`id="statechart"`), generated from the machine's own
 * transitions, so the picture in a report is the chart that produced it. One arrow per source and
 * target, labelled with its events; hovering an arrow lists every transition it stands for with
 * its guard and actions. Arrows that only re-arm timers after a restore are dashed.
 *
 * @example
 * ```ts
 * import { backendHealthMachine, renderStatechartSvg } from 'llm-health-router';
 * const svg = renderStatechartSvg(backendHealthMachine); // '<svg id="statechart" …'
 * ```
 */
export function renderStatechartSvg(machine: AnyStateMachine = backendHealthMachine): string {
  const layout = layoutStatechart(machine);
  const boxes = new Map(layout.boxes.map((b) => [b.id, b]));
  const groups = new Map<string, { source: ChartBox; target: ChartBox; rows: TransitionRow[] }>();
  for (const row of statechartTransitions(machine)) {
    const source = boxes.get(row.source);
    const target = boxes.get(row.target);
    if (!source || !target) continue; // a transition that stays put has no arrow
    const id = `${row.source}>${row.target}`;
    const group = groups.get(id) ?? { source, target, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  const parts = [
    `<svg id="statechart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-labelledby="statechart-title">`,
    `<title id="statechart-title">The backend health statechart: ${layout.boxes.length} states, ${groups.size} arrows</title>`,
    '<defs><marker id="sc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    ...layout.boxes.filter((b) => b.compound).map(drawBox),
    ...layout.boxes.filter((b) => !b.compound).map(drawBox),
    ...(layout.initial && boxes.get(layout.initial) ? [drawInitial(boxes.get(layout.initial)!)] : []),
    ...drawArrows([...groups.values()], layout.boxes),
    '</svg>',
  ];
  return parts.join('\n');
}

/** The lane colour a state shows as, so the chart and the swimlanes read alike. */
function colourOf(id: string): string {
  if (id === 'degraded.recovering.probing' || id === 'cooldown.probing') return PALETTE.probing;
  for (const status of ['healthy', 'suspect', 'recovering', 'cooldown', 'down'] as const) {
    if (id === status || id.startsWith(`${status}.`) || id.endsWith(`.${status}`) || id.includes(`.${status}.`)) return PALETTE[status];
  }
  return '#888';
}

function drawBox(box: ChartBox): string {
  const colour = colourOf(box.id);
  const name = escapeHtml(box.name);
  const text = box.compound
    ? `<text x="${box.x + 12}" y="${box.y + 18}" class="sc-compound">${name}</text>`
    : `<text x="${box.x + box.w / 2}" y="${box.y + box.h / 2 + 4}" text-anchor="middle" class="sc-state">${name}</text>`;
  return `<g class="sc-box" data-state-id="${escapeHtml(box.id)}"><title>${escapeHtml(box.id)}</title><rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="${box.compound ? 14 : 10}" fill="${colour}" fill-opacity="${box.compound ? 0.07 : 0.2}" stroke="${colour}" stroke-width="${box.compound ? 1.5 : 2}"/>${text}</g>`;
}

function drawInitial(box: ChartBox): string {
  const y = box.y + box.h / 2;
  return `<g class="sc-initial"><title>initial state: ${escapeHtml(box.id)}</title><circle cx="${box.x - 34}" cy="${y}" r="6" fill="#222"/><path d="M${box.x - 28},${y} L${box.x - 2},${y}" stroke="#444" stroke-width="1.5" fill="none" marker-end="url(#sc-arrow)"/></g>`;
}

/** Arrows first, labels on top of every arrow, each label placed clear of the states and of the labels before it. */
function drawArrows(groups: readonly { source: ChartBox; target: ChartBox; rows: TransitionRow[] }[], boxes: readonly ChartBox[]): string[] {
  const taken: Area[] = boxes.map((b) => (b.compound ? { x: b.x, y: b.y, w: b.name.length * 7.5 + 24, h: 24 } : b));
  const arrows: string[] = [];
  const labels: string[] = [];
  for (const { source, target, rows } of groups) {
    const events = [...new Set(rows.map((r) => r.event))];
    const rearmOnly = events.every((e) => e === 'health.rearm');
    const { d, spots } = arrowGeometry(source, target);
    const detail = rows.map((r) => `${r.event}${r.guard ? ` [${r.guard}]` : ''}${r.actions ? ` / ${r.actions}` : ''}`).join('\n');
    const title = escapeHtml(`${source.id} → ${target.id}\n${detail}`);
    const data = `data-source="${escapeHtml(source.id)}" data-target="${escapeHtml(target.id)}"`;
    arrows.push(
      `<g class="sc-arrow${rearmOnly ? ' sc-rearm' : ''}" ${data}><title>${title}</title><path d="${d}" fill="none" stroke="#444" stroke-width="1.4"${rearmOnly ? ' stroke-dasharray="4 3" opacity="0.6"' : ''} marker-end="url(#sc-arrow)"/></g>`,
    );
    const text = events.join(', ');
    const spot = placeLabel(text, spots, taken);
    labels.push(`<text x="${Math.round(spot.x)}" y="${Math.round(spot.y)}" text-anchor="${spot.anchor}" class="sc-label" ${data}><title>${title}</title>${escapeHtml(text)}</text>`);
  }
  return [...arrows, ...labels];
}
