import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * A state of the chart placed on the canvas. `id` is the dotted path (`cooldown.probing`), the
 * same names `statechartTransitions` uses for sources and targets.
 *
 * @example
 * ```ts
 * const box: ChartBox = { id: 'down', name: 'down', compound: false, x: 420, y: 400, w: 130, h: 44 };
 * ```
 */
export interface ChartBox {
  readonly id: string;
  readonly name: string;
  readonly compound: boolean;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Where the chart's states go, plus the canvas size and the initial state.
 *
 * @example
 * ```ts
 * const layout: ChartLayout = layoutStatechart(backendHealthMachine);
 * layout.boxes.find((b) => b.id === 'healthy');
 * ```
 */
export interface ChartLayout {
  readonly boxes: readonly ChartBox[];
  readonly width: number;
  readonly height: number;
  readonly initial: string | null;
}

type Rect = Pick<ChartBox, 'x' | 'y' | 'w' | 'h'>;

/**
 * Hand-placed boxes for the health machine's states: healthy on top (it connects to everything),
 * the degraded states on the left, cooldown and its early probes on the right, down at the
 * bottom, so the main cycle healthy → cooldown → recovering → healthy reads clockwise and the
 * middle column stays free for the long arrows.
 */
const KNOWN: Readonly<Record<string, Rect>> = {
  healthy: { x: 465, y: 24, w: 150, h: 44 },
  degraded: { x: 20, y: 125, w: 380, h: 380 },
  'degraded.suspect': { x: 50, y: 170, w: 140, h: 42 },
  'degraded.recovering': { x: 45, y: 265, w: 330, h: 215 },
  'degraded.recovering.awaitingProbe': { x: 70, y: 315, w: 130, h: 42 },
  'degraded.recovering.probing': { x: 220, y: 415, w: 130, h: 42 },
  cooldown: { x: 690, y: 125, w: 370, h: 255 },
  'cooldown.resting': { x: 715, y: 180, w: 120, h: 42 },
  'cooldown.probeDue': { x: 915, y: 180, w: 120, h: 42 },
  'cooldown.probing': { x: 805, y: 300, w: 130, h: 42 },
  down: { x: 470, y: 550, w: 140, h: 44 },
};
const KNOWN_SIZE = { width: 1080, height: 620 };
const GRID = { columns: 5, cellW: 180, cellH: 64, boxW: 160, boxH: 42, margin: 20 };

/**
 * Every state of a machine on the canvas: the known health states where `KNOWN` puts them, any
 * other state in a grid below them, so a state added to the machine shows up (unplaced, but
 * with its arrows) until someone gives it a place.
 *
 * @example
 * ```ts
 * import { backendHealthMachine } from 'llm-health-router';
 * layoutStatechart(backendHealthMachine).boxes.length; // 11
 * ```
 */
export function layoutStatechart(machine: AnyStateMachine): ChartLayout {
  const states = chartStates(machine.root as AnyStateNode);
  const known = states.filter((s) => KNOWN[s.id]);
  const unknown = states.filter((s) => !KNOWN[s.id]);
  const top = known.length > 0 ? KNOWN_SIZE.height + GRID.margin : GRID.margin;
  const boxes: ChartBox[] = [
    ...known.map((s) => ({ ...s, ...KNOWN[s.id]! })),
    ...unknown.map((s, i) => ({
      ...s,
      compound: false, // drawn as plain boxes: the grid cannot nest them
      x: GRID.margin + (i % GRID.columns) * GRID.cellW,
      y: top + Math.floor(i / GRID.columns) * GRID.cellH,
      w: GRID.boxW,
      h: GRID.boxH,
    })),
  ];
  const rows = Math.ceil(unknown.length / GRID.columns);
  const width = Math.max(known.length > 0 ? KNOWN_SIZE.width : 0, unknown.length > 0 ? GRID.margin * 2 + Math.min(unknown.length, GRID.columns) * GRID.cellW : 0);
  const height = unknown.length > 0 ? top + rows * GRID.cellH + GRID.margin : KNOWN_SIZE.height;
  const initial = (machine.root as AnyStateNode).config.initial;
  return { boxes, width, height, initial: typeof initial === 'string' ? initial : null };
}

function chartStates(root: AnyStateNode): Omit<ChartBox, keyof Rect>[] {
  const out: Omit<ChartBox, keyof Rect>[] = [];
  const walk = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      const compound = Object.keys(child.states).length > 0;
      out.push({ id: child.path.join('.'), name: child.key, compound });
      walk(child);
    }
  };
  walk(root);
  return out;
}
