// Stage 2: `${VAR}` interpolation over values (never keys), per file.
import type { Lookup, WarningSink } from './context.js';
import type { Mapping } from './tree.js';

/** Interpolate every string value of `tree` in place. Errors carry the position. */
export function interpolateTree(tree: Mapping, lookup: Lookup, warn: WarningSink): void {
  void tree; void lookup; void warn;
  throw new Error('not implemented');
}
