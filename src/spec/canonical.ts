// Stage 4: short syntax → canonical long forms, relative paths → absolute.
import type { Lookup, WarningSink } from './context.js';
import type { Mapping } from './tree.js';

export interface CanonicalContext {
  /** Directory that relative paths in this document resolve against. */
  baseDir: string;
  lookup: Lookup;
  warn: WarningSink;
}

/** Rewrite one validated document in place into long forms. Keeps positions and merge tags. */
export function canonicalize(doc: Mapping, ctx: CanonicalContext): Mapping {
  void ctx;
  return doc;
}
