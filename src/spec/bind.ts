// Stage 10: the checked tree → typed Project (durations, sizes as numbers).
import type { Mapping } from './tree.js';
import type { Project } from './types.js';

export interface BindInput {
  doc: Mapping;
  disabled: Mapping;
  name: string;
  workingDir: string;
  configFiles: string[];
  environment: Record<string, string>;
  profiles: string[];
}

export function bindProject(input: BindInput): Project {
  void input;
  throw new Error('not implemented');
}
