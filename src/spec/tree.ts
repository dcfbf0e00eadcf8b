// The compose model travels through the loader as a plain JSON-like tree
// (objects, arrays, strings, numbers, booleans, null). Where each node was
// written is kept beside the tree, on each containing object under a hidden
// symbol, so stages can transform plain data and errors can still name
// file:line:col. A stage that builds a new object from an old one calls
// `carry` so positions follow the data.

import type { Position } from '../common/errors.js';

export type Scalar = string | number | boolean | null;
export type Node = Scalar | Node[] | Mapping;
export interface Mapping {
  [key: string]: Node;
}
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** Tags that steer the multi-file merge (`!reset`, `!override`). */
export type MergeTag = 'reset' | 'override';

interface Meta {
  /** Where the object/array itself starts. */
  self?: Position;
  /** Where each child value starts (keys of a mapping, indexes of a sequence). */
  children: Map<PathSegment, Position>;
  /** Where each mapping key itself is written (for "unknown key" errors). */
  keys?: Map<string, Position>;
  tags?: Map<PathSegment, MergeTag>;
}

/**
 * The facts ride on the object itself under a symbol, not enumerable: spread,
 * Object.keys, JSON and ajv never see them, and a copy starts without them,
 * as with a side table. A WeakMap holding one entry per node made a big
 * file's read spend most of its time in WeakMap upkeep and the collector's
 * ephemeron passes.
 */
const META: unique symbol = Symbol('gantry.tree.meta');

interface Carrier {
  [META]?: Meta;
}

function metaOf(obj: object): Meta | undefined {
  return (obj as Carrier)[META];
}

function meta(obj: object): Meta {
  let m = (obj as Carrier)[META];
  if (!m) {
    m = { children: new Map() };
    Object.defineProperty(obj, META, { value: m, enumerable: false, writable: true, configurable: true });
  }
  return m;
}

export function isMapping(n: unknown): n is Mapping {
  return typeof n === 'object' && n !== null && !Array.isArray(n);
}

export function setSelfPosition(obj: object, pos: Position | undefined): void {
  if (pos) meta(obj).self = pos;
}

export function setChildPosition(obj: object, key: PathSegment, pos: Position | undefined): void {
  if (pos) meta(obj).children.set(key, pos);
}

export function setKeyPosition(obj: object, key: string, pos: Position | undefined): void {
  if (!pos) return;
  const m = meta(obj);
  (m.keys ??= new Map()).set(key, pos);
}

export function selfPosition(obj: object): Position | undefined {
  return metaOf(obj)?.self;
}

export function childPosition(obj: object, key: PathSegment): Position | undefined {
  const m = metaOf(obj);
  return m?.children.get(key) ?? m?.keys?.get(String(key));
}

export function keyPosition(obj: object, key: string): Position | undefined {
  const m = metaOf(obj);
  return m?.keys?.get(key) ?? m?.children.get(key);
}

/** Tags recorded in this process so far (only ever counts up). */
let tagsRecorded = 0;
/** Trees read without a tag, and the count of tags recorded at that moment. */
const untaggedAt = new WeakMap<object, number>();

/** `root` holds no tag now; it still holds none as long as no tag is recorded anywhere (stillUntagged). */
export function noteUntagged(root: object): void {
  untaggedAt.set(root, tagsRecorded);
}

/** True when `root` was noted untagged and no tag has been recorded since: passes over tags may skip it. */
export function stillUntagged(root: object): boolean {
  return untaggedAt.get(root) === tagsRecorded;
}

export function tagCount(): number {
  return tagsRecorded;
}

export function setTag(obj: object, key: PathSegment, tag: MergeTag): void {
  tagsRecorded++;
  const m = meta(obj);
  (m.tags ??= new Map()).set(key, tag);
}

export function tagOf(obj: object, key: PathSegment): MergeTag | undefined {
  return metaOf(obj)?.tags?.get(key);
}

/** Whether any child of `obj` carries a merge tag (most nodes carry none). */
export function hasTags(obj: object): boolean {
  const tags = metaOf(obj)?.tags;
  return tags !== undefined && tags.size > 0;
}

export function clearTag(obj: object, key: PathSegment): void {
  metaOf(obj)?.tags?.delete(key);
}

/**
 * Copy the position facts of `from` onto `to` (self, and the positions of
 * children with the same key). Used when a stage replaces an object by a
 * rewritten one. `keyMap` renames children (old key → new key).
 */
export function carry<T extends object>(from: object | undefined, to: T, keyMap?: Record<string, PathSegment>): T {
  if (!from) return to;
  const src = metaOf(from);
  if (!src) return to;
  const dst = meta(to);
  dst.self ??= src.self;
  for (const [k, p] of src.children) {
    const nk = keyMap?.[String(k)] ?? k;
    if (!dst.children.has(nk)) dst.children.set(nk, p);
  }
  if (src.keys) for (const [k, p] of src.keys) {
    const nk = String(keyMap?.[k] ?? k);
    if (!(dst.keys ??= new Map()).has(nk)) dst.keys.set(nk, p);
  }
  return to;
}

/** Position of an object as seen from its parent, or its own start. */
export function positionOfValue(parent: object, key: PathSegment): Position | undefined {
  const child = (parent as Record<string, unknown>)[key as string];
  if (typeof child === 'object' && child !== null) {
    return childPosition(parent, key) ?? selfPosition(child);
  }
  return childPosition(parent, key);
}

/**
 * The position of the node at `path`, or of its nearest ancestor that has
 * one. `useKey` prefers where the mapping key is written (for unknown-key
 * errors the key is the offending node, not its value).
 */
export function positionAt(root: Node, path: Path, useKey = false): Position | undefined {
  let best: Position | undefined = typeof root === 'object' && root !== null ? selfPosition(root) : undefined;
  let cur: Node | undefined = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof cur !== 'object' || cur === null) break;
    const seg = path[i]!;
    const last = i === path.length - 1;
    const p = last && useKey && isMapping(cur) ? keyPosition(cur, String(seg)) : positionOfValue(cur, seg);
    if (p) best = p;
    cur = (cur as Record<string, Node>)[seg as string];
  }
  return best;
}

/** `services.web.ports[0]`; keys that are not identifiers are quoted. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_.-]+$/.test(seg) && !seg.includes('.')) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Parse an ajv-style JSON pointer (`/services/web/ports/0`) into a path. */
export function pathFromPointer(pointer: string, root: Node): PathSegment[] {
  if (!pointer) return [];
  const out: PathSegment[] = [];
  let cur: Node | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = isMapping(cur) ? cur[seg] : undefined;
    }
  }
  return out;
}

/** A deep copy that keeps every fact of every node: positions, key positions and merge tags. */
export function copyWithFacts<T extends Node>(n: T): T {
  if (typeof n !== 'object' || n === null) return n;
  let out: Node[] | Mapping;
  if (Array.isArray(n)) {
    out = new Array<Node>(n.length);
    for (let i = 0; i < n.length; i++) out[i] = copyWithFacts(n[i]!);
  } else {
    out = {};
    for (const k of Object.keys(n)) out[k] = copyWithFacts(n[k]!);
  }
  const m = metaOf(n);
  if (m) {
    const c: Meta = { children: new Map(m.children) };
    if (m.self) c.self = m.self;
    if (m.keys) c.keys = new Map(m.keys);
    if (m.tags) {
      c.tags = new Map(m.tags);
      tagsRecorded += c.tags.size;
    }
    Object.defineProperty(out, META, { value: c, enumerable: false, writable: true, configurable: true });
  }
  return out as T;
}

/** A JSON-like value without position facts, deep-copied. */
export function clone<T extends Node>(n: T): T {
  if (Array.isArray(n)) return carry(n, n.map((x) => clone(x))) as T;
  if (isMapping(n)) {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(n)) out[k] = clone(v);
    carry(n, out);
    const tags = metaOf(n)?.tags;
    if (tags) for (const [k, t] of tags) setTag(out, k, t);
    return out as T;
  }
  return n;
}
