// Stage 1: YAML text → the loader's tree, with where every node was written
// and the `!reset` / `!override` merge tags recorded beside it.
//
// Two readers give the same result. yaml-fast.ts reads the YAML that compose
// files are made of in one pass over the text; when it meets anything it is
// not sure of (or any mistake) it steps aside, and yaml-full.ts reads the
// document with the `yaml` package, which also words every syntax error.

import { noteUntagged, tagCount, type Mapping } from './tree.js';
import { parseComposeYamlFast } from './yaml-fast.js';
import { parseComposeYamlFull } from './yaml-full.js';

/**
 * `positions: false` lets the fast reader skip recording where nodes are
 * written (the full reader always records them); see loadProject for when
 * that is safe.
 */
export function parseComposeYaml(text: string, file: string, positions = true): Mapping {
  const tags = tagCount();
  const tree = parseComposeYamlFast(text, file, positions) ?? parseComposeYamlFull(text, file);
  // Most files have no !reset/!override: settleTags can then skip the walk for them.
  if (tagCount() === tags) noteUntagged(tree);
  return tree;
}
