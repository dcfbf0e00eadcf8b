// Stage 5b: `extends` within a file and across files.
import type { WarningSink } from './context.js';
import type { Mapping } from './tree.js';

export interface ExtendsContext {
  /** Absolute path of the document being processed ('-' for stdin). */
  file: string;
  /** Directory `extends.file` is relative to. */
  baseDir: string;
  /** Loads another compose file up to canonical form (cached, extends not applied). */
  loadDocument(absPath: string): Promise<Mapping>;
  warn: WarningSink;
}

/** Resolve every `extends` in `doc.services` in place; cycles are GantryError('cycle'). */
export async function applyExtends(doc: Mapping, ctx: ExtendsContext): Promise<void> {
  void doc; void ctx;
}
