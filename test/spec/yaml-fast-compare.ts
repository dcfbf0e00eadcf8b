// Differential check shared by the yaml-fast tests: the fast reader must give
// what the yaml-package reader gives (tree, every position, every merge tag)
// or step aside with undefined.

import assert from 'node:assert/strict';
import { GantryError } from '../../src/common/errors.js';
import { childPosition, keyPosition, selfPosition, tagOf, type Node } from '../../src/spec/tree.js';
import { parseComposeYamlFast } from '../../src/spec/yaml-fast.js';
import { parseComposeYamlFull } from '../../src/spec/yaml-full.js';

export type Outcome = 'same' | 'fallback' | 'both-fail';

/** Compare the two readers on one text; throws an assertion error on any difference. */
export function compareReaders(text: string, file = 'compose.yaml'): Outcome {
  const fast = parseComposeYamlFast(text, file);
  let full: Node | undefined;
  try {
    full = parseComposeYamlFull(text, file);
  } catch (e) {
    if (!(e instanceof GantryError)) throw e;
    assert.equal(fast, undefined, `the fast reader accepted a text the full reader rejects (${e.message}):\n${text}`);
    return 'both-fail';
  }
  if (fast === undefined) return 'fallback';
  assert.deepStrictEqual(fast, full, `trees differ for:\n${text}`);
  comparePositions(fast, full, '', text);
  return 'same';
}

function show(p: unknown): string {
  return p === undefined ? 'none' : JSON.stringify(p);
}

function comparePositions(a: Node, b: Node, path: string, text: string): void {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return;
  const where = (what: string) => `${what} differs at ${path || '(root)'} for:\n${text}`;
  assert.deepStrictEqual(show(selfPosition(a)), show(selfPosition(b)), where('self position'));
  for (const k of Object.keys(a)) {
    const key: string | number = Array.isArray(a) ? Number(k) : k;
    assert.deepStrictEqual(show(childPosition(a, key)), show(childPosition(b, key)), where(`position of ${k}`));
    if (!Array.isArray(a)) assert.deepStrictEqual(show(keyPosition(a, k)), show(keyPosition(b, k)), where(`key position of ${k}`));
    assert.equal(tagOf(a, key), tagOf(b, key), where(`tag of ${k}`));
    comparePositions((a as Record<string, Node>)[k]!, (b as Record<string, Node>)[k]!, `${path}/${k}`, text);
  }
}
