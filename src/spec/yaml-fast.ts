// The fast reader: compose-file YAML → the loader's tree in one pass, for
// the YAML that compose files are written in. It gives exactly what
// yaml-full.ts gives (same tree, positions and merge tags: the builder below
// follows yaml-full.ts's walker step by step), or undefined when the text
// holds anything it is not sure of; then yaml-full.ts reads the file and
// words any error. The fast reader never reports a syntax error itself.

import type { Position } from '../common/errors.js';
import { Kind, type Ast, type KeyAst, type MapAst } from './yaml-fast-ast.js';
import { plainKey, plainValue, taggedValue, UNSURE } from './yaml-fast-scalars.js';
import { Scanner } from './yaml-fast-scan.js';
import { setChildPosition, setKeyPosition, setSelfPosition, setTag, type Mapping, type Node } from './tree.js';

/**
 * Characters the fast reader leaves to the full one: tabs (YAML forbids them
 * in indentation and the rules around them are subtle), carriage returns,
 * other control characters, byte-order marks and Unicode line separators.
 */
const ODD_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

export function parseComposeYamlFast(text: string, file: string): Mapping | undefined {
  if (ODD_CHARACTERS.test(text)) return undefined;
  try {
    const root = new Scanner(text).document();
    if (root === null) return {};
    return new Builder(file).mapping(root as MapAst);
  } catch (e) {
    if (e === UNSURE) return undefined;
    throw e;
  }
}

type Located = Ast | KeyAst;

class Builder {
  /** Anchors in document order; an alias means the latest before it (as yaml-full.ts reads them). */
  private readonly anchors = new Map<string, Ast>();
  /** Anchored nodes being built: an alias to one of them is a recursive alias. */
  private readonly open = new Set<Ast>();
  private readonly positions = new WeakMap<Located, Position>();
  private depth = 0;

  constructor(private readonly file: string) {}

  private at(n: Located): Position {
    let p = this.positions.get(n);
    if (!p) {
      p = { file: this.file, line: n.line, col: n.col };
      this.positions.set(n, p);
    }
    return p;
  }

  node(n: Ast): Node {
    if (n.kind === Kind.Alias) {
      const target = this.anchors.get(n.name);
      if (!target || this.open.has(target)) throw UNSURE;
      this.depth++;
      try {
        return this.build(target);
      } finally {
        this.depth--;
      }
    }
    if (n.anchor !== undefined && this.depth === 0) this.anchors.set(n.anchor, n);
    return this.build(n);
  }

  private build(n: Ast): Node {
    switch (n.kind) {
      case Kind.Scalar:
        if (n.tag !== undefined) return taggedValue(n.source);
        return n.style === 'plain' ? plainValue(n.source) : n.source;
      case Kind.Seq: {
        this.open.add(n);
        const out: Node[] = [];
        setSelfPosition(out, this.at(n));
        const items = n.items;
        for (let i = 0; i < items.length; i++) {
          const item = items[i]!;
          out.push(this.node(item));
          this.record(out, i, item);
        }
        this.open.delete(n);
        return out;
      }
      case Kind.Map:
        return this.mapping(n);
      default:
        return this.node(n);
    }
  }

  mapping(n: MapAst): Mapping {
    this.open.add(n);
    const out: Mapping = {};
    setSelfPosition(out, this.at(n));
    let merged: Mapping[] | undefined;
    const { keys, values } = n;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = values[i]!;
      if (k.plain && k.text === '<<') {
        if (merged) throw UNSURE; // a second << is a duplicate key
        merged = this.mergeSources(v);
        continue;
      }
      const key = k.plain ? plainKey(k.text) : k.text;
      if (key === '__proto__' || Object.hasOwn(out, key)) throw UNSURE;
      out[key] = this.node(v);
      setKeyPosition(out, key, this.at(k));
      this.record(out, key, v);
    }
    // YAML 1.1 merge keys: explicit keys win; earlier merged maps win over later ones.
    if (merged) {
      for (const source of merged) {
        for (const k of Object.keys(source)) {
          if (Object.hasOwn(out, k)) continue;
          out[k] = source[k]!;
        }
      }
    }
    this.open.delete(n);
    return out;
  }

  private mergeSources(value: Ast): Mapping[] {
    const one = (v: Ast): Mapping => {
      const m = this.node(v);
      if (typeof m !== 'object' || m === null || Array.isArray(m)) throw UNSURE;
      return m;
    };
    if (value.kind === Kind.Seq) {
      return value.items.map(one);
    }
    return [one(value)];
  }

  private record(parent: object, key: string | number, value: Ast): void {
    setChildPosition(parent, key, this.at(value));
    if (value.tag !== undefined) setTag(parent, key, value.tag);
  }
}
