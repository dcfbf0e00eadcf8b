// `compose graph`: the project's service dependency graph as text.

import { buildGraph, toDot, toMermaid } from '../graph/index.js';
import { loadProject, type LoadOptions } from '../spec/index.js';

export type GraphFormat = 'mermaid' | 'dot';

export async function graph(options: LoadOptions, format: GraphFormat): Promise<string> {
  const project = await loadProject(options);
  const g = buildGraph(project);
  return format === 'dot' ? toDot(g) : toMermaid(g);
}
