import type { ChartBox } from './statechartLayout.js';

/**
 * A point on the chart canvas.
 *
 * @example
 * ```ts
 * const p: Point = { x: 10, y: 20 };
 * ```
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Where a label may go: its anchor point and text alignment.
 *
 * @example
 * ```ts
 * const spot: LabelSpot = { x: 100, y: 40, anchor: 'middle' };
 * ```
 */
export interface LabelSpot extends Point {
  readonly anchor: 'start' | 'middle' | 'end';
}

/**
 * An arrow's SVG path and the places its label may go, best first.
 *
 * @example
 * ```ts
 * const { d, spots } = arrowGeometry(healthyBox, cooldownBox);
 * ```
 */
export interface ArrowGeometry {
  readonly d: string;
  readonly spots: readonly LabelSpot[];
}

/**
 * A self-loop, an arrow between a state and one it contains (straight, vertical), or a curve
 * between two others, bent to the left of its direction so A→B and B→A never overlap.
 *
 * @example
 * ```ts
 * arrowGeometry({ id: 'a', name: 'a', compound: false, x: 0, y: 0, w: 100, h: 40 }, { id: 'b', name: 'b', compound: false, x: 300, y: 0, w: 100, h: 40 }).d; // 'M… Q… …'
 * ```
 */
export function arrowGeometry(source: ChartBox, target: ChartBox): ArrowGeometry {
  if (source.id === target.id) {
    const right = source.x + source.w;
    const d = `M${right - 26},${source.y} C${right - 26},${source.y - 30} ${right + 30},${source.y + 12} ${right},${source.y + 12}`;
    const spots: LabelSpot[] = [
      { x: right - 30, y: source.y - 8, anchor: 'end' },
      { x: right + 18, y: source.y - 12, anchor: 'start' },
      { x: right + 8, y: source.y + 30, anchor: 'start' },
      { x: right - 10, y: source.y + source.h + 13, anchor: 'end' },
      { x: source.x - 6, y: source.y + source.h / 2 + 4, anchor: 'end' },
    ];
    return { d, spots };
  }
  if (target.id.startsWith(`${source.id}.`) || source.id.startsWith(`${target.id}.`)) {
    const intoChild = target.id.startsWith(`${source.id}.`);
    const child = intoChild ? target : source;
    const parent = intoChild ? source : target;
    // Into a child from the parent's top border; out of a child down to the parent's bottom border, clear of the siblings above it.
    const x = child.x + child.w * (intoChild ? 0.75 : 0.25);
    const [y0, y1] = intoChild ? [parent.y, child.y] : [child.y + child.h, parent.y + parent.h];
    const along = (t: number): LabelSpot => ({ x: x + 4, y: y0 + (y1 - y0) * t + 4, anchor: 'start' });
    return { d: `M${x},${y0} L${x},${y1}`, spots: [along(0.5), along(0.3), along(0.7)] };
  }
  const a = centre(source);
  const b = centre(target);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  const bend = Math.min(60, length * 0.12);
  const control = { x: (a.x + b.x) / 2 + (dy / length) * bend, y: (a.y + b.y) / 2 - (dx / length) * bend };
  const p0 = borderPoint(source, control);
  const p2 = borderPoint(target, control);
  const at = (t: number): LabelSpot => ({
    x: (1 - t) ** 2 * p0.x + 2 * (1 - t) * t * control.x + t ** 2 * p2.x,
    y: (1 - t) ** 2 * p0.y + 2 * (1 - t) * t * control.y + t ** 2 * p2.y + 3,
    anchor: 'middle',
  });
  return { d: `M${round(p0.x)},${round(p0.y)} Q${round(control.x)},${round(control.y)} ${round(p2.x)},${round(p2.y)}`, spots: [0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75].map(at) };
}

/**
 * An axis-aligned rectangle a label or a box takes up.
 *
 * @example
 * ```ts
 * const r: Area = { x: 0, y: 0, w: 10, h: 10 };
 * ```
 */
export interface Area {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * The first spot where a label of `text` overlaps nothing already `taken` (where every spot
 * overlaps something, the one that overlaps least), which it then takes: dense charts keep their
 * labels readable without a layout engine.
 *
 * @example
 * ```ts
 * const taken: Area[] = [];
 * placeLabel('call.failed', arrowGeometry(a, b).spots, taken); // { x, y, anchor }
 * ```
 */
export function placeLabel(text: string, spots: readonly LabelSpot[], taken: Area[]): LabelSpot {
  const area = (s: LabelSpot): Area => {
    const w = text.length * 6 + 4; // 10px sans-serif averages about 0.6 em per character
    const x = s.anchor === 'start' ? s.x : s.anchor === 'end' ? s.x - w : s.x - w / 2;
    return { x, y: s.y - 10, w, h: 13 };
  };
  const clash = (s: LabelSpot) => taken.reduce((sum, t) => sum + overlap(area(s), t), 0);
  const chosen = spots.find((s) => clash(s) === 0) ?? [...spots].sort((a, b) => clash(a) - clash(b))[0]!;
  taken.push(area(chosen));
  return chosen;
}

function overlap(a: Area, b: Area): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function centre(box: ChartBox): Point {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

/** Where the ray from the box's centre towards `toward` leaves the box. */
function borderPoint(box: ChartBox, toward: Point): Point {
  const c = centre(box);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  const t = Math.min(dx === 0 ? Infinity : box.w / 2 / Math.abs(dx), dy === 0 ? Infinity : box.h / 2 / Math.abs(dy));
  return Number.isFinite(t) ? { x: c.x + dx * t, y: c.y + dy * t } : c;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
