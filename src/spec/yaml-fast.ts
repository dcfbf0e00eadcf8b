// The fast reader: compose-file YAML → the loader's tree in one pass, for
// the YAML that compose files are written in. It gives exactly what
// yaml-full.ts gives (same tree, positions and merge tags), or undefined
// when the text holds anything it is not sure of; then yaml-full.ts reads
// the file and words any error. The fast reader never reports a syntax
// error itself.

import { Reader } from './yaml-fast-read.js';
import { UNSURE } from './yaml-fast-scalars.js';
import type { Mapping } from './tree.js';

/**
 * Characters the fast reader leaves to the full one: tabs (YAML forbids them
 * in indentation and the rules around them are subtle), carriage returns,
 * other control characters, byte-order marks and Unicode line separators.
 */
const ODD_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

export function parseComposeYamlFast(text: string, file: string, positions = true): Mapping | undefined {
  if (ODD_CHARACTERS.test(text)) return undefined;
  try {
    return new Reader(text, file, positions).document() ?? {};
  } catch (e) {
    if (e === UNSURE) return undefined;
    throw e;
  }
}
