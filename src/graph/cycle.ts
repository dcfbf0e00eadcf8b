// Dependency cycles, reported in full and always the same way for the same
// file: depth-first in declaration order, the cycle rotated to start at its
// earliest-declared service, each edge named by the attribute that makes it.

import { GantryError } from '../common/errors.js';
import { describeEdge, type DependencyEdge } from './edges.js';

/**
 * Throws a `cycle` error for the first cycle found, if any.
 * `out` gives, per service, one edge per distinct dependency (in order).
 */
export function assertAcyclic(services: readonly string[], out: ReadonlyMap<string, readonly DependencyEdge[]>): void {
  const cycle = findCycle(services, out);
  if (cycle) throw cycleError(cycle, services);
}

function findCycle(services: readonly string[], out: ReadonlyMap<string, readonly DependencyEdge[]>): DependencyEdge[] | undefined {
  const state = new Map<string, 'open' | 'closed'>();
  // Iterative, so a long chain of services cannot overflow the call stack.
  const path: DependencyEdge[] = [];
  const frames: { node: string; next: number }[] = [];
  for (const start of services) {
    if (state.has(start)) continue;
    state.set(start, 'open');
    frames.push({ node: start, next: 0 });
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = out.get(frame.node) ?? [];
      if (frame.next === edges.length) {
        state.set(frame.node, 'closed');
        frames.pop();
        path.pop();
        continue;
      }
      const e = edges[frame.next++]!;
      const s = state.get(e.to);
      if (s === 'open') {
        const from = path.findIndex((p) => p.from === e.to);
        return [...path.slice(from === -1 ? path.length : from), e];
      }
      if (s === undefined) {
        state.set(e.to, 'open');
        path.push(e);
        frames.push({ node: e.to, next: 0 });
      }
    }
  }
  return undefined;
}

function cycleError(cycle: DependencyEdge[], services: readonly string[]): GantryError {
  const members = new Set(cycle.map((e) => e.from));
  const earliest = services.find((s) => members.has(s));
  const first = Math.max(0, cycle.findIndex((e) => e.from === earliest));
  const edges = [...cycle.slice(first), ...cycle.slice(0, first)];

  const names = [...edges.map((e) => e.from), edges[0]!.from].join(' -> ');
  const attributes = [...new Set(edges.map((e) => e.via))];
  const how = attributes.length > 1 ? ` (${edges.map(describeEdge).join(', ')})` : '';
  const which = attributes.length > 1 ? `references (${attributes.join(', ')})` : `${attributes[0]} references`;
  const hint = `services cannot wait for each other; remove one of these ${which}`;
  return new GantryError('cycle', `dependency cycle: ${names}${how}`, { path: edges[0]!.path, hint });
}
