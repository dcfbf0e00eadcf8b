// The graph in Graphviz DOT (`compose graph --format dot | dot -Tsvg`), the
// format docker compose's `alpha viz` prints.

import { drawnEdges, sortedNames } from './drawn-edges.js';
import type { ServiceGraph } from './service-graph.js';

export function toDot(graph: ServiceGraph): string {
  const lines = [`digraph ${quote(graph.project)} {`, '  node [shape=box];'];
  for (const name of sortedNames(graph)) lines.push(`  ${quote(name)};`);
  for (const e of drawnEdges(graph)) {
    const attrs: string[] = [];
    if (e.label) attrs.push(`label=${quote(e.label)}`);
    if (e.optional) attrs.push('style=dashed');
    const tail = attrs.length > 0 ? ` [${attrs.join(', ')}]` : '';
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)}${tail};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}
