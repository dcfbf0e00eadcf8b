// Stage 5a: `include` of other compose projects.
import type { WarningSink } from './context.js';
import type { Mapping } from './tree.js';

export interface IncludeRequest {
  /** Absolute compose file paths of the included project, in merge order. */
  files: string[];
  /** Absolute project directory of the included project. */
  projectDirectory: string;
  /** Absolute env files for its interpolation (empty: its own `.env`). */
  envFiles: string[];
}

export interface IncludeContext {
  file: string;
  baseDir: string;
  /** Loads a whole sub-project (its own env, include, extends, merge) into one canonical document. */
  loadProject(req: IncludeRequest, chain: string[]): Promise<Mapping>;
  /** Files already being included above this one (for cycle errors). */
  chain: string[];
  warn: WarningSink;
}

/** Replace `doc.include` by the resources it brings; conflicts and cycles are errors. */
export async function applyInclude(doc: Mapping, ctx: IncludeContext): Promise<void> {
  void doc; void ctx;
}
