// Stage 8: project-level defaults docker compose fills in.
import type { Lookup, WarningSink } from './context.js';
import type { Mapping } from './tree.js';

export interface NormalizeContext {
  projectName: string;
  projectDir: string;
  lookup: Lookup;
  warn: WarningSink;
}

/** Default network, resource names, env_file contents, scale/replicas, build defaults. */
export async function normalize(doc: Mapping, ctx: NormalizeContext): Promise<void> {
  void doc; void ctx;
}
