// The graph as a Mermaid flowchart, for READMEs and issue threads: each
// service a node, arrows from a service to what it needs.

import { drawnEdges, sortedNames } from './drawn-edges.js';
import type { ServiceGraph } from './service-graph.js';

// Words Mermaid reads as syntax when they stand alone as a node id.
const RESERVED = new Set(['end', 'graph', 'flowchart', 'subgraph', 'direction', 'click', 'call', 'callback', 'style', 'class', 'classDef', 'linkStyle', 'default']);

export function toMermaid(graph: ServiceGraph): string {
  const names = sortedNames(graph);
  const ids = nodeIds(names);
  const lines = ['flowchart TD'];
  for (const name of names) {
    const id = ids.get(name)!;
    lines.push(id === name ? `    ${id}` : `    ${id}["${name}"]`);
  }
  for (const e of drawnEdges(graph)) {
    const arrow = e.optional ? '-.->' : '-->';
    const label = e.label ? `|${e.label}|` : '';
    lines.push(`    ${ids.get(e.from)} ${arrow}${label} ${ids.get(e.to)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Plain names are their own ids. Service names may hold `.` and `-`, which
 * Mermaid ids may not: those get a sanitized id (unique, stable for the same
 * set of names) and keep their real name as the label.
 */
function nodeIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const plain = (n: string) => /^[A-Za-z][A-Za-z0-9_]*$/.test(n) && !RESERVED.has(n);
  for (const n of names) {
    if (plain(n)) {
      ids.set(n, n);
      taken.add(n);
    }
  }
  for (const n of names) {
    if (ids.has(n)) continue;
    let base = n.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(base) || RESERVED.has(base)) base = `s_${base}`;
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    ids.set(n, id);
    taken.add(id);
  }
  return ids;
}
