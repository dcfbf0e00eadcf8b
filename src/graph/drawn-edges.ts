// What a picture of the graph shows: one arrow per pair of services (from
// the dependent to what it needs), labelled with what is not the default, in
// a fixed order so that renderings can be compared as text.

import type { DependencyEdge, EdgeAttribute } from './edges.js';
import type { ServiceGraph } from './service-graph.js';

export interface DrawnEdge {
  from: string;
  to: string;
  /** e.g. `healthy`, `links`, `healthy, network`; empty for a plain depends_on. */
  label: string;
  /** Dashed: every reference between the two is `required: false`. */
  optional: boolean;
}

const CONDITION_LABELS: Record<DependencyEdge['condition'], string> = {
  service_started: '',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

const ATTRIBUTE_LABELS: Record<Exclude<EdgeAttribute, 'depends_on'>, string> = {
  links: 'links',
  network_mode: 'network',
  ipc: 'ipc',
  pid: 'pid',
  uts: 'uts',
  cgroup: 'cgroup',
  volumes_from: 'volumes_from',
};

const LABEL_ORDER = ['healthy', 'completed', ...Object.values(ATTRIBUTE_LABELS)];

export function sortedNames(graph: ServiceGraph): string[] {
  return [...graph.services].sort(byCodeUnits);
}

export function drawnEdges(graph: ServiceGraph): DrawnEdge[] {
  const pairs = new Map<string, DependencyEdge[]>();
  for (const e of graph.edges) {
    // JSON keeps the pair key unambiguous whatever the names contain.
    const key = JSON.stringify([e.from, e.to]);
    const list = pairs.get(key);
    if (list) list.push(e);
    else pairs.set(key, [e]);
  }
  const drawn: DrawnEdge[] = [];
  for (const edges of pairs.values()) {
    const labels = new Set<string>();
    for (const e of edges) {
      const label = e.via === 'depends_on' ? CONDITION_LABELS[e.condition] : ATTRIBUTE_LABELS[e.via];
      if (label) labels.add(label);
    }
    drawn.push({
      from: edges[0]!.from,
      to: edges[0]!.to,
      label: LABEL_ORDER.filter((l) => labels.has(l)).join(', '),
      optional: edges.every((e) => !e.required),
    });
  }
  return drawn.sort((a, b) => byCodeUnits(a.from, b.from) || byCodeUnits(a.to, b.to));
}

/** Locale-independent, so output is the same on every machine. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
