import type { AnyStateMachine, InspectionEvent } from 'xstate';
import { transitionCoverage } from './transitionCoverage.js';

interface Edge {
  readonly id: string;
  readonly transition: unknown;
}

type NodeLike = {
  readonly id: string;
  readonly always?: readonly { readonly guard?: unknown; readonly target?: readonly { readonly id: string }[] }[];
  readonly states: Record<string, NodeLike>;
};

const guardName = (guard: unknown): string =>
  guard === undefined ? '' : typeof guard === 'string' ? ` [${guard}]` : ` [${(guard as { type?: string }).type ?? 'inline guard'}]`;

/**
 * Transition coverage over every transition definition of a machine: the edges `toDirectedGraph`
 * lists (see `transitionCoverage`) plus the eventless (`always`) ones, which `toDirectedGraph`
 * leaves out. A guarded chain of `always` alternatives is one edge per alternative, targetless
 * ones included. Feed it the inspection events of real actors of exactly this machine (a
 * `.provide()`d machine has its own transition objects).
 */
export function chartCoverage(machine: AnyStateMachine) {
  const graph = transitionCoverage(machine);
  const eventless: Edge[] = [];
  const walk = (node: NodeLike) => {
    (node.always ?? []).forEach((t, i) => {
      const target = t.target?.map((n) => n.id).join(',') ?? '(stays)';
      eventless.push({ id: `${node.id} --always#${i}${guardName(t.guard)}--> ${target}`, transition: t });
    });
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root as unknown as NodeLike);
  const covered = new Set<unknown>();
  const edges = [...graph.edges.map((e) => ({ id: e.id, transition: e.transition })), ...eventless];
  return {
    edges,
    inspect(event: InspectionEvent) {
      graph.inspect(event);
      if (event.type === '@xstate.microstep') for (const t of event._transitions) covered.add(t);
    },
    uncovered: () => edges.filter((e) => !covered.has(e.transition)).map((e) => e.id),
    unvisitedStates: () => graph.unvisitedStates(),
    coveredCount: () => edges.filter((e) => covered.has(e.transition)).length,
  };
}
