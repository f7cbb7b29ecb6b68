import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';

type Edge = DirectedGraphNode['edges'][number];

/**
 * Renders a machine as a Mermaid `stateDiagram-v2`, from the machine's own graph: every transition
 * definition becomes one arrow labelled `event [guard] / actions`, so the diagram cannot drift from
 * the statechart (the docs test regenerates it and compares).
 *
 * @example
 * ```ts
 * import { backendHealthMachine, statechartToMermaid } from 'llm-health-router';
 * console.log(statechartToMermaid(backendHealthMachine)); // stateDiagram-v2 …
 * ```
 */
export function statechartToMermaid(machine: AnyStateMachine): string {
  const graph = toDirectedGraph(machine);
  const lines = ['stateDiagram-v2', ...declare(graph, 1)];
  const edges: Edge[] = [];
  const collect = (node: DirectedGraphNode) => {
    edges.push(...edgesOf(node));
    node.children.forEach(collect);
  };
  collect(graph);
  for (const edge of edges) lines.push(`  ${mermaidId(edge.source)} --> ${mermaidId(edge.target)}: ${transitionLabel(edge)}`);
  return lines.join('\n');
}

/**
 * The statechart's transitions as rows (source, event, guard, target, actions), in definition
 * order, for a Markdown table or a report.
 *
 * @example
 * ```ts
 * import { backendHealthMachine, statechartTransitions } from 'llm-health-router';
 * statechartTransitions(backendHealthMachine).length; // one row per transition definition
 * ```
 */
export function statechartTransitions(machine: AnyStateMachine): TransitionRow[] {
  const rows: TransitionRow[] = [];
  const walk = (node: DirectedGraphNode) => {
    for (const edge of edgesOf(node)) {
      const t = edge.transition;
      rows.push({
        source: statePath(edge.source),
        event: eventLabel(t.eventType),
        guard: guardName(t.guard),
        target: t.target ? statePath(edge.target) : t.actions.length ? '(stays; actions run)' : '(stays, nothing happens)',
        actions: t.actions.map(actionName).filter(Boolean).join(', '),
      });
    }
    node.children.forEach(walk);
  };
  walk(toDirectedGraph(machine));
  return rows;
}

/**
 * One transition of a statechart in plain words.
 *
 * @example
 * ```ts
 * import type { TransitionRow } from 'llm-health-router';
 * const line = (r: TransitionRow) => `${r.source} --${r.event}--> ${r.target}`;
 * ```
 */
export interface TransitionRow {
  readonly source: string;
  readonly event: string;
  readonly guard: string;
  readonly target: string;
  readonly actions: string;
}

/**
 * A node's transitions: the graph's edges plus its eventless (`always`) transitions, which
 * `toDirectedGraph` leaves out but which are as much a part of the chart.
 */
function edgesOf(node: DirectedGraphNode): Edge[] {
  const stateNode = node.stateNode as AnyStateNode;
  const always = (stateNode.always ?? []) as Edge['transition'][];
  const eventless = always.flatMap((t) =>
    (t.target ?? [stateNode]).map((target) => ({ ...node.edges[0], id: `${stateNode.id}:always`, source: stateNode, target, transition: t, label: { text: 'always', toJSON: () => ({ text: 'always' }) } }) as Edge),
  );
  return [...node.edges, ...eventless];
}

function declare(node: DirectedGraphNode, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const out: string[] = [];
  const stateNode = node.stateNode as AnyStateNode;
  const initial = stateNode.config.initial;
  if (typeof initial === 'string' && node.children.length > 0) {
    const first = node.children.find((c) => (c.stateNode as AnyStateNode).key === initial);
    if (first) out.push(`${pad}[*] --> ${mermaidId(first.stateNode as AnyStateNode)}`);
  }
  for (const child of node.children) {
    const childNode = child.stateNode as AnyStateNode;
    const id = mermaidId(childNode);
    if (child.children.length > 0) {
      out.push(`${pad}state "${childNode.key}" as ${id} {`, ...declare(child, depth + 1), `${pad}}`);
    } else {
      out.push(`${pad}state "${childNode.key}" as ${id}`);
    }
  }
  return out;
}

function mermaidId(node: AnyStateNode): string {
  return node.path.length === 0 ? '[*]' : node.path.join('_');
}

function statePath(node: AnyStateNode): string {
  return node.path.join('.') || node.id;
}

function transitionLabel(edge: Edge): string {
  const t = edge.transition;
  const guard = guardName(t.guard);
  const actions = t.actions.map(actionName).filter(Boolean);
  return [eventLabel(t.eventType), guard ? `[${guard}]` : '', actions.length ? `/ ${actions.join(', ')}` : '', t.target || actions.length ? '' : '(ignored)']
    .filter(Boolean)
    .join(' ');
}

function eventLabel(eventType: string): string {
  if (eventType === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  return after ? `after ${after[1]}` : eventType;
}

function guardName(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return guard;
  // Higher-order guards (and/or/not) are functions carrying the guards they combine.
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    const parts = guard.guards.map(guardName);
    if (guard.name === 'not') return `not ${parts.join('')}`;
    return parts.join(guard.name === 'or' ? ' or ' : ' and ');
  }
  // stateIn('#machine.a.b') carries the state it tests.
  if (typeof guard === 'function' && 'stateValue' in guard && typeof guard.stateValue === 'string') return `in ${guard.stateValue.replace(/^#[^.]+\./, '')}`;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'inline guard';
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action && typeof action.type === 'string') return action.type;
  return '';
}
