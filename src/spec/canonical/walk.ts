// The attribute table compiled into a trie of path segments, and the walk
// that follows it. Only subtrees some pattern names are visited, so the cost
// is linear in the attributes that have rules, not in the whole document.

import { childPosition, isMapping, selfPosition, setSelfPosition, type Mapping, type Node } from '../tree.js';
import type { Row, Rule, Site } from './site.js';

export interface RuleTrie {
  rule?: Rule;
  keys?: Map<string, RuleTrie>;
  /** `*`: any key of a mapping (an explicit key wins over it). */
  anyKey?: RuleTrie;
  /** `[]`: every item of a sequence. */
  items?: RuleTrie;
}

function segmentsOf(pattern: string): string[] {
  const out: string[] = [];
  for (const part of pattern.split('.')) {
    let name = part;
    let items = 0;
    while (name.endsWith('[]')) {
      name = name.slice(0, -2);
      items++;
    }
    if (name) out.push(name);
    for (let i = 0; i < items; i++) out.push('[]');
  }
  return out;
}

export function compileRules(rows: readonly Row[]): RuleTrie {
  const root: RuleTrie = {};
  for (const [pattern, rule] of rows) {
    let node = root;
    for (const seg of segmentsOf(pattern)) {
      if (seg === '*') node = node.anyKey ??= {};
      else if (seg === '[]') node = node.items ??= {};
      else {
        node.keys ??= new Map();
        let next = node.keys.get(seg);
        if (!next) node.keys.set(seg, (next = {}));
        node = next;
      }
    }
    if (node.rule) throw new Error(`two canonical rules for ${pattern}`);
    node.rule = rule;
  }
  return root;
}

type Container = Mapping | Node[];

// The position under `key` lives in the container and stays. Rules that
// rebuild a list or mapping carry its inner positions themselves (reshape.ts);
// a long form made from a scalar starts where the scalar was written.
function put(container: Container, key: string | number, next: Node): void {
  (container as Record<string | number, Node>)[key] = next;
  if (typeof next === 'object' && next !== null && !selfPosition(next)) {
    setSelfPosition(next, childPosition(container, key));
  }
}

function visit(container: Container, key: string | number, trie: RuleTrie, site: Site): void {
  let value = (container as Record<string | number, Node>)[key] as Node;
  if (value === undefined) return;
  if (trie.rule) {
    const next = trie.rule(value, site);
    if (next !== value) {
      put(container, key, next);
      value = next;
    }
  }
  descend(value, trie, site);
}

function descend(value: Node, trie: RuleTrie, site: Site): void {
  if (Array.isArray(value)) {
    if (!trie.items) return;
    for (let i = 0; i < value.length; i++) {
      site.path.push(i);
      visit(value, i, trie.items, site);
      site.path.pop();
    }
    return;
  }
  if (!isMapping(value)) return;
  if (trie.anyKey) {
    for (const k of Object.keys(value)) {
      site.path.push(k);
      visit(value, k, trie.keys?.get(k) ?? trie.anyKey, site);
      site.path.pop();
    }
    return;
  }
  const keys = trie.keys;
  if (!keys) return;
  // A service has a dozen attributes and the table a hundred rows for them:
  // look the attributes up in the table rather than the other way round.
  for (const k of Object.keys(value)) {
    const child = keys.get(k);
    if (!child) continue;
    site.path.push(k);
    visit(value, k, child, site);
    site.path.pop();
  }
}

/** Apply every rule of `trie` to `root` in place; a parent's rule runs before its children's. */
export function walkRules(root: Mapping, trie: RuleTrie, site: Site): void {
  descend(root, trie, site);
}
