import { toDirectedGraph, type DirectedGraphNode } from '@xstate/graph';
import type { AnyStateMachine, InspectionEvent } from 'xstate';

interface Edge {
  readonly id: string;
  readonly label: string;
  readonly transition: unknown;
}

/**
 * Transition coverage measured against the machine's own graph: every edge `toDirectedGraph` lists
 * (one per transition definition, guarded alternatives and targetless ones included) must be taken
 * by some replayed path. Feed it the inspection events of real actors; it matches the transition
 * definitions they report by identity.
 */
export function transitionCoverage(machine: AnyStateMachine) {
  const edges: Edge[] = [];
  const stateIds: string[] = [];
  const walk = (node: DirectedGraphNode) => {
    stateIds.push(node.id);
    for (const e of node.edges) edges.push({ id: `${e.source.id} --${e.label.text}--> ${e.target.id} [${e.id}]`, label: e.label.text, transition: e.transition });
    node.children.forEach(walk);
  };
  walk(toDirectedGraph(machine));
  const covered = new Set<unknown>();
  const visitedStates = new Set<string>();
  return {
    edges,
    stateIds,
    inspect(event: InspectionEvent) {
      if (event.type !== '@xstate.microstep') return;
      for (const t of event._transitions) covered.add(t);
      const snapshot = event.snapshot as { _nodes?: { id: string }[] };
      for (const n of snapshot._nodes ?? []) visitedStates.add(n.id);
    },
    uncovered: () => edges.filter((e) => !covered.has(e.transition)).map((e) => e.id),
    unvisitedStates: () => stateIds.filter((id) => !visitedStates.has(id)),
    coveredCount: () => edges.filter((e) => covered.has(e.transition)).length,
  };
}
