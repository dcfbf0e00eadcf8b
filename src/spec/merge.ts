// Stage 6: several compose files become one, by the Compose Specification's
// merge rules (spec 13-merge.md) applied to canonical long forms; `extends`
// lays a service over its base by the same rules. How each attribute merges
// is the table in merge-rules.ts; this file walks two trees by it.
//
// Merge tags: in the later document, a key tagged `!reset` takes the key out
// of the result and `!override` replaces the earlier value without merging.
// A document's own tags also act on itself (`settleTags`), as compose-go's
// ResetProcessor drops `!reset` nodes while it decodes a file.
//
// The result is a new tree: the inputs stay as they were (an extends base
// may serve many services), and every value keeps the position of the side
// that supplied it.

import { childTrie, compileMergeRules, MERGE_RULES, type ItemKey, type MergeRule, type RuleTrie } from './merge-rules.js';
import {
  carry,
  childPosition,
  clearTag,
  hasTags,
  isMapping,
  keyPosition,
  selfPosition,
  setChildPosition,
  setKeyPosition,
  setSelfPosition,
  setTag,
  stillUntagged,
  tagOf,
  type Mapping,
  type Node,
} from './tree.js';

const RULES = compileMergeRules(MERGE_RULES);
const SERVICE_RULES = childTrie(RULES, 'services')?.any;

/** Lay `override` over `base` (a later `-f` file over the earlier ones). The result carries no tags. */
export function mergeDocuments(base: Mapping, override: Mapping): Mapping {
  return new Merge(false).mapping(base, override, RULES, false);
}

/**
 * Lay a service over the service it extends. The extending service's own
 * `!reset`/`!override` act on the base and stay on the result, so they act
 * again when this file is merged over an earlier one.
 */
export function extendService(base: Mapping, local: Mapping): Mapping {
  return new Merge(true).mapping(base, local, SERVICE_RULES, false);
}

/**
 * A document's own tags applied in place: `!reset` keys (and list items)
 * removed, `!override` values kept, the tags forgotten. Sequences that hold
 * unique items lose repeats, as compose-go's EnforceUnicity does at the same
 * point (after each file). Returns `doc`.
 */
export function settleTags(doc: Mapping): Mapping {
  if (stillUntagged(doc)) settleUntagged(doc, RULES);
  else settle(doc, RULES);
  return doc;
}

/** settle where no node has a tag: only the places the rule table names can change. */
function settleUntagged(n: Node, trie: RuleTrie): Node {
  if (Array.isArray(n)) {
    const rule = trie.rule;
    return rule?.kind === 'unique' && !rule.mergeSame ? withoutRepeats(n, rule.key) : n;
  }
  if (isMapping(n) && (trie.keys !== undefined || trie.any !== undefined)) {
    for (const k of Object.keys(n)) {
      const child = childTrie(trie, k);
      const v = n[k]!;
      if (child === undefined || typeof v !== 'object' || v === null) continue;
      const next = settleUntagged(v, child);
      if (next !== v) n[k] = next;
    }
  }
  return n;
}

class Merge {
  /** keepTags: the override's tags stay on the result (extends); otherwise they are spent. */
  constructor(private readonly keepTags: boolean) {}

  node(base: Node, over: Node, trie: RuleTrie | undefined): Node {
    const rule = trie?.rule;
    if (rule) return this.byRule(rule, base, over, trie);
    if (isMapping(base) && isMapping(over)) return this.mapping(base, over, trie, false);
    if (Array.isArray(base) && Array.isArray(over)) return this.append(base, over);
    return this.over(over);
  }

  private byRule(rule: MergeRule, base: Node, over: Node, trie: RuleTrie | undefined): Node {
    switch (rule.kind) {
      case 'replace':
        return this.over(over);
      case 'entries':
        return isMapping(base) && isMapping(over) ? this.mapping(base, over, undefined, true) : this.over(over);
      case 'unique':
        return Array.isArray(base) && Array.isArray(over) ? this.unique(base, over, rule.key, rule.mergeSame === true) : this.over(over);
      case 'logging': {
        if (!isMapping(base) || !isMapping(over)) return this.over(over);
        const differ = base.driver !== undefined && over.driver !== undefined && base.driver !== over.driver;
        return differ ? this.over(over) : this.mapping(base, over, trie, false);
      }
    }
  }

  /**
   * Keys of both, in base order then the new ones. `nullWins`: a later null
   * replaces (KEY → value maps); otherwise a key written with no value adds
   * nothing, as compose-go's merge keeps the earlier value for a nil.
   */
  mapping(base: Mapping, over: Mapping, trie: RuleTrie | undefined, nullWins: boolean): Mapping {
    const out: Mapping = {};
    carry(base, out);
    // Base order first; a key the override also writes is copied (or merged) below.
    for (const k of Object.keys(base)) {
      if (tagOf(base, k) === 'reset') continue;
      out[k] = Object.hasOwn(over, k) ? base[k]! : copySettled(base[k]!);
    }
    for (const k of Object.keys(over)) {
      const v = over[k]!;
      const tag = tagOf(over, k);
      const had = Object.hasOwn(out, k);
      if (tag === 'reset' && !this.keepTags) {
        delete out[k];
        continue;
      }
      if (tag !== undefined) {
        // An override, or a reset kept for the next merge: the base value is not consulted.
        out[k] = this.over(v);
        if (this.keepTags) setTag(out, k, tag);
      } else if (had && out[k] !== null) {
        if (v === null && !nullWins) {
          out[k] = copySettled(out[k]!);
          continue;
        }
        out[k] = this.node(out[k]!, v, childTrie(trie, k));
      } else {
        out[k] = this.over(v);
      }
      setChildPosition(out, k, childPosition(over, k));
      setKeyPosition(out, k, keyPosition(over, k));
    }
    return out;
  }

  private append(base: Node[], over: Node[]): Node[] {
    const out: Node[] = [];
    setSelfPosition(out, selfPosition(over) ?? selfPosition(base));
    for (let i = 0; i < base.length; i++) {
      if (tagOf(base, i) === 'reset') continue;
      setChildPosition(out, out.length, childPosition(base, i));
      out.push(copySettled(base[i]!));
    }
    for (let i = 0; i < over.length; i++) {
      if (tagOf(over, i) === 'reset') continue;
      setChildPosition(out, out.length, childPosition(over, i));
      out.push(this.over(over[i]!));
    }
    return out;
  }

  private unique(base: Node[], over: Node[], key: ItemKey, mergeSame: boolean): Node[] {
    const out: Node[] = [];
    setSelfPosition(out, selfPosition(over) ?? selfPosition(base));
    const at = new Map<string, number>();
    const add = (item: Node, from: Node[], i: number, later: boolean) => {
      if (tagOf(from, i) === 'reset') return;
      const k = key(item);
      const j = at.get(k);
      if (j === undefined) {
        at.set(k, out.length);
        setChildPosition(out, out.length, childPosition(from, i));
        out.push(later ? this.over(item) : copySettled(item));
        return;
      }
      const earlier = out[j]!;
      out[j] = mergeSame && isMapping(earlier) && isMapping(item) ? this.mapping(earlier, item, undefined, false) : later ? this.over(item) : copySettled(item);
      setChildPosition(out, j, childPosition(from, i));
    };
    for (let i = 0; i < base.length; i++) add(base[i]!, base, i, false);
    for (let i = 0; i < over.length; i++) add(over[i]!, over, i, true);
    return out;
  }

  /** A value taken from the later side. */
  private over(n: Node): Node {
    return this.keepTags ? copyTagged(n) : copySettled(n);
  }
}

/** A deep copy with positions, without `!reset` entries and without tags. */
function copySettled(n: Node): Node {
  if (Array.isArray(n)) {
    const out: Node[] = [];
    setSelfPosition(out, selfPosition(n));
    for (let i = 0; i < n.length; i++) {
      if (tagOf(n, i) === 'reset') continue;
      setChildPosition(out, out.length, childPosition(n, i));
      out.push(copySettled(n[i]!));
    }
    return out;
  }
  if (isMapping(n)) {
    const out: Mapping = {};
    carry(n, out);
    for (const k of Object.keys(n)) {
      if (tagOf(n, k) === 'reset') continue;
      out[k] = copySettled(n[k]!);
    }
    return out;
  }
  return n;
}

/** A deep copy with positions and tags. */
function copyTagged(n: Node): Node {
  if (Array.isArray(n)) {
    const out = carry(n, n.map(copyTagged));
    for (let i = 0; i < n.length; i++) {
      const tag = tagOf(n, i);
      if (tag) setTag(out, i, tag);
    }
    return out;
  }
  if (isMapping(n)) {
    const out: Mapping = {};
    carry(n, out);
    for (const k of Object.keys(n)) {
      out[k] = copyTagged(n[k]!);
      const tag = tagOf(n, k);
      if (tag) setTag(out, k, tag);
    }
    return out;
  }
  return n;
}

/** Applies tags in place and drops repeats from unique sequences; returns the node to keep. */
function settle(n: Node, trie: RuleTrie | undefined): Node {
  if (Array.isArray(n)) {
    let list = n;
    if (hasTags(n)) list = withoutResetItems(n);
    for (let i = 0; i < list.length; i++) {
      const item = list[i]!;
      if (typeof item === 'object' && item !== null) {
        const next = settle(item, undefined);
        if (next !== item) list[i] = next;
      }
    }
    const rule = trie?.rule;
    if (rule?.kind === 'unique' && !rule.mergeSame) list = withoutRepeats(list, rule.key);
    return list;
  }
  if (isMapping(n)) {
    const tagged = hasTags(n);
    for (const k of Object.keys(n)) {
      const tag = tagged ? tagOf(n, k) : undefined;
      if (tag !== undefined) {
        clearTag(n, k);
        if (tag === 'reset') {
          delete n[k];
          continue;
        }
      }
      const v = n[k]!;
      if (typeof v === 'object' && v !== null) {
        const next = settle(v, childTrie(trie, k));
        if (next !== v) n[k] = next;
      }
    }
  }
  return n;
}

function withoutResetItems(list: Node[]): Node[] {
  const out: Node[] = [];
  setSelfPosition(out, selfPosition(list));
  for (let i = 0; i < list.length; i++) {
    if (tagOf(list, i) === 'reset') continue;
    setChildPosition(out, out.length, childPosition(list, i));
    out.push(list[i]!);
  }
  return out;
}

/** A later item with the key of an earlier one takes its place; the list is kept when nothing repeats. */
function withoutRepeats(list: Node[], key: ItemKey): Node[] {
  if (list.length < 2) return list;
  const keys = list.map(key);
  if (new Set(keys).size === keys.length) return list;
  const out: Node[] = [];
  setSelfPosition(out, selfPosition(list));
  const at = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const j = at.get(keys[i]!);
    if (j === undefined) {
      at.set(keys[i]!, out.length);
      setChildPosition(out, out.length, childPosition(list, i));
      out.push(list[i]!);
    } else {
      out[j] = list[i]!;
      setChildPosition(out, j, childPosition(list, i));
    }
  }
  return out;
}
