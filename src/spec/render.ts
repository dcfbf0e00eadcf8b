// The Project back to a compose document (what `compose config` prints).
import type { Project } from './types.js';

/** A plain compose document, accepted by the official schema; durations as Go-style strings. */
export function projectToDocument(project: Project): Record<string, unknown> {
  void project;
  throw new Error('not implemented');
}
