// Building long forms out of short ones without losing where things were
// written: every new list item or mapping entry keeps the position of the
// source item it came from.

import type { Position } from '../../common/errors.js';
import {
  childPosition,
  selfPosition,
  setChildPosition,
  setSelfPosition,
  type Mapping,
  type Node,
} from '../tree.js';

/**
 * A new mapping made from one written scalar starts where the scalar was;
 * its fields have no positions of their own, so errors on them resolve to it.
 */
export function madeFrom<T extends Mapping>(pos: Position | undefined, obj: T): T {
  if (pos && !selfPosition(obj)) setSelfPosition(obj, pos);
  return obj;
}

/** Collects the items of a rewritten sequence, each remembering the source index it came from. */
export class ListBuilder {
  readonly out: Node[] = [];
  constructor(private readonly source: Node[]) {
    setSelfPosition(this.out, selfPosition(source));
  }
  /** Keep an item (written or rewritten in place) that stood at index `from`. */
  push(value: Node, from: number): void {
    setChildPosition(this.out, this.out.length, childPosition(this.source, from));
    this.out.push(value);
  }
  /** Add a long form made from the short item at index `from`. */
  pushMade(value: Mapping, from: number): void {
    const pos = childPosition(this.source, from);
    setChildPosition(this.out, this.out.length, pos);
    this.out.push(madeFrom(pos, value));
  }
}

/** Collects the entries of a mapping made from a sequence (`- K=V` → `K: V`). */
export class MappingBuilder {
  readonly out: Mapping = {};
  constructor(private readonly source: Node[]) {
    setSelfPosition(this.out, selfPosition(source));
  }
  set(key: string, value: Node, from: number): void {
    const pos = childPosition(this.source, from);
    // A repeated key moves to where it was last written, as a later line wins.
    if (Object.hasOwn(this.out, key)) delete this.out[key];
    this.out[key] = value;
    // One position serves for the key and its value (keyPosition falls back to it).
    setChildPosition(this.out, key, pos);
  }
}

/**
 * Put the keys of `obj` in `order` (others keep their relative order after
 * them), in place, so positions and merge tags stay with the object.
 */
export function reorder(obj: Mapping, order: readonly string[]): Mapping {
  const keys = Object.keys(obj);
  let sorted = true;
  let last = -1;
  for (const k of keys) {
    const i = order.indexOf(k);
    const rank = i < 0 ? order.length : i;
    if (rank < last) {
      sorted = false;
      break;
    }
    last = rank;
  }
  if (sorted) return obj;
  const entries = keys.map((k) => [k, obj[k]!] as const);
  for (const k of keys) delete obj[k];
  for (const k of order) {
    const e = entries.find(([ek]) => ek === k);
    if (e) obj[k] = e[1];
  }
  for (const [k, v] of entries) if (!order.includes(k)) obj[k] = v;
  return obj;
}
