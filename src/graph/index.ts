// graph/ owns the service dependency graph of a loaded project: the edges that
// depends_on, links, `network_mode: service:x` (and the other shared
// namespaces) and volumes_from make, cycle errors that name the whole cycle,
// dependency order, traversal with bounded parallelism (reverse for stop and
// down), and Mermaid/DOT pictures of it. It reads the Project; it runs nothing.

export { buildGraph, ServiceGraph } from './service-graph.js';
export type { DependencyCondition, DependencyEdge, EdgeAttribute } from './edges.js';
export { traverse, type TraversalOptions, type TraversalResult, type Visit } from './traverse.js';
export { parallelLimit, PARALLEL_LIMIT_VARIABLE } from './parallel-limit.js';
export { toMermaid } from './mermaid.js';
export { toDot } from './dot.js';
