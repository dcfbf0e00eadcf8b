// The fast reader's tree builder: block mappings and sequences (with compact
// `- key: v` and `- - x` items), flow collections, anchors, aliases and merge
// keys, read straight into the loader's tree with positions and merge tags,
// step for step as yaml-full.ts's walker records them:
//   * an alias is expanded into a fresh copy by reading the anchored node's
//     text again (its aliases then mean the anchors known at that point, as
//     in the walker); anchors met inside an expansion are not registered;
//   * a mapping value's position is where the value starts; an empty value
//     is where its line's comment or end is; a merge key's entries carry none.

import type { Position } from '../common/errors.js';
import { FlowCursor } from './yaml-fast-more.js';
import type { Props } from './yaml-fast-scan.js';
import { plainKey, plainValue, taggedValue, UNSURE } from './yaml-fast-scalars.js';
import { copyWithFacts, setChildPosition, setKeyPosition, setSelfPosition, setTag, type Mapping, type MergeTag, type Node } from './tree.js';

const enum Shape {
  Scalar,
  BlockMap,
  BlockSeq,
  Flow,
}

/** Enough to read an anchored node again where an alias names it. */
interface Anchor {
  shape: Shape;
  value: Node;
  pos: number;
  line: number;
  lineStart: number;
  col: number;
  open: boolean;
  /** No alias inside: an alias to it may copy the node read rather than read its text again (same tree, same facts). */
  selfContained: boolean;
}

export class Reader extends FlowCursor {
  private readonly anchors = new Map<string, Anchor>();
  private depth = 0;
  /** Facts of the value just read, for its parent to record. */
  private nodeAt: Position | undefined;
  private nodeTag: MergeTag | undefined;
  private nodeIsAlias = false;
  private nodeAnchored = false;
  /** Aliases read so far, to tell whether an anchored node held any. */
  private aliasCount = 0;

  constructor(
    text: string,
    private readonly file: string,
    /** Off for the loader's first pass: positions are only read again when something is reported. */
    private readonly positions = true,
  ) {
    super(text);
  }

  /** The document's root mapping, or null for an empty document. */
  document(): Mapping | null {
    this.nextContentLine(true);
    if (this.indent === 0 && this.isMarker('---')) {
      this.pos += 3;
      this.finishLine();
      this.nextContentLine(false);
    }
    if (this.indent === -1) return null;
    if (!this.keyAhead()) throw UNSURE;
    const root = this.blockMap(this.indent);
    if (this.indent !== -1) throw UNSURE;
    return root;
  }

  private here(line = this.line, col = this.col()): Position | undefined {
    return this.positions ? { file: this.file, line, col } : undefined;
  }

  private blockMap(col: number): Mapping {
    const out: Mapping = {};
    const self = this.here(this.line, col + 1);
    setSelfPosition(out, self);
    let merged: Mapping[] | undefined;
    for (;;) {
      const keyAt = this.here();
      const plain = this.code() !== 34 && this.code() !== 39;
      const text = this.key();
      const value = this.blockValue(col, false);
      merged = this.entry(out, plain, text, keyAt, value, merged);
      if (this.indent < col) break;
      if (this.indent > col) throw UNSURE;
    }
    if (merged) mergeInto(out, merged);
    this.nodeAt = self;
    this.nodeTag = undefined;
    this.nodeIsAlias = false;
    return out;
  }

  /** Record one `key: value` of a mapping (value facts in nodeAt/nodeTag); collects `<<` sources. */
  private entry(out: Mapping, plain: boolean, text: string, keyAt: Position | undefined, value: Node, merged: Mapping[] | undefined): Mapping[] | undefined {
    if (plain && text === '<<') {
      if (merged) throw UNSURE; // a second << is a duplicate key
      return this.mergeSources(value);
    }
    const key = plain ? plainKey(text) : text;
    if (key === '__proto__' || Object.hasOwn(out, key)) throw UNSURE;
    out[key] = value;
    setKeyPosition(out, key, keyAt);
    setChildPosition(out, key, this.nodeAt);
    if (this.nodeTag !== undefined) setTag(out, key, this.nodeTag);
    return merged;
  }

  /** `<<: *a`, `<<: {…}` or `<<: [*a, *b]`: mappings only (the walker takes a literal list's items). */
  private mergeSources(value: Node): Mapping[] {
    if (Array.isArray(value)) {
      // The walker reads a literal list's items; it neither expands an alias to a list nor registers the list's anchor.
      if (this.nodeIsAlias || this.nodeAnchored) throw UNSURE;
      for (const m of value) if (typeof m !== 'object' || m === null || Array.isArray(m)) throw UNSURE;
      return value as Mapping[];
    }
    if (typeof value !== 'object' || value === null) throw UNSURE;
    return [value];
  }

  private blockSeq(col: number): Node[] {
    const out: Node[] = [];
    const self = this.here(this.line, col + 1);
    setSelfPosition(out, self);
    for (;;) {
      this.pos++; // the dash
      out.push(this.seqItem(col));
      this.record(out, out.length - 1);
      if (this.indent < col) break;
      if (this.indent > col) throw UNSURE;
      if (!this.atSeqEntry()) break;
    }
    this.nodeAt = self;
    this.nodeTag = undefined;
    this.nodeIsAlias = false;
    return out;
  }

  private record(out: Node[], i: number): void {
    setChildPosition(out, i, this.nodeAt);
    if (this.nodeTag !== undefined) setTag(out, i, this.nodeTag);
  }

  private seqItem(dashCol: number): Node {
    this.skipSpaces();
    const c = this.code();
    if (c !== 10 && c !== -1 && c !== 35) {
      const col = this.pos - this.lineStart;
      // Compact forms: `- - x` and `- key: v` open a collection at this column.
      if (this.atSeqEntry()) {
        this.indent = col;
        return this.blockSeq(col);
      }
      if (this.keyAhead()) {
        this.indent = col;
        return this.blockMap(col);
      }
    }
    return this.blockValue(dashCol, true);
  }

  /** The value after `key:` or `-` (parentCol: the key's or dash's column). */
  private blockValue(parentCol: number, inSeq: boolean): Node {
    this.skipSpaces();
    const props = this.props();
    const c = this.code();
    const line = this.line;
    const col = this.col();
    if (c === 10 || c === -1 || c === 35) {
      this.finishLine();
      this.nextContentLine();
      if (this.indent > parentCol) {
        if (this.atSeqEntry()) return this.collection(Shape.BlockSeq, props, this.indent);
        if (this.keyAhead()) return this.collection(Shape.BlockMap, props, this.indent);
        throw UNSURE;
      }
      if (this.indent === parentCol && !inSeq && this.atSeqEntry()) return this.collection(Shape.BlockSeq, props, this.indent);
      return this.scalar(null, line, col, props);
    }
    if (c === 42) {
      if (props) throw UNSURE;
      const value = this.alias();
      this.endInline(parentCol);
      return value;
    }
    if (c === 124 || c === 62) {
      const text = this.blockScalar(parentCol);
      return this.scalar(props?.tag ? taggedValue(text) : text, line, col, props);
    }
    let value: Node;
    if (c === 91 || c === 123) value = this.collection(Shape.Flow, props, parentCol);
    else if (c === 34 || c === 39) {
      const text = this.quoted();
      value = this.scalar(props?.tag ? taggedValue(text) : text, line, col, props);
    } else {
      const text = this.blockPlain();
      value = this.scalar(props?.tag ? taggedValue(text) : plainValue(text), line, col, props);
    }
    const { nodeAt, nodeTag } = this;
    this.endInline(parentCol);
    this.nodeAt = nodeAt;
    this.nodeTag = nodeTag;
    return value;
  }

  private scalar(value: Node, line: number, col: number, props: Props | undefined): Node {
    if (props?.anchor !== undefined && this.depth === 0) {
      this.anchors.set(props.anchor, { shape: Shape.Scalar, value, pos: 0, line: 0, lineStart: 0, col: 0, open: false, selfContained: true });
    }
    this.nodeAt = this.positions ? { file: this.file, line, col } : undefined;
    this.nodeTag = props?.tag;
    this.nodeIsAlias = false;
    return value;
  }

  /** A mapping or sequence, registered under its anchor first (as the walker does) so it can be read again. */
  private collection(shape: Shape, props: Props | undefined, col: number): Node {
    let anchor: Anchor | undefined;
    if (props?.anchor !== undefined && this.depth === 0) {
      anchor = { shape, value: null, pos: this.pos, line: this.line, lineStart: this.lineStart, col, open: true, selfContained: false };
      this.anchors.set(props.anchor, anchor);
    }
    const aliasesBefore = this.aliasCount;
    const value = this.read(shape, col);
    if (anchor) {
      anchor.open = false;
      if (this.aliasCount === aliasesBefore) {
        anchor.selfContained = true;
        anchor.value = value;
      }
    }
    this.nodeTag = props?.tag;
    this.nodeAnchored = props?.anchor !== undefined;
    return value;
  }

  private read(shape: Shape, col: number): Node {
    if (shape === Shape.BlockMap) return this.blockMap(col);
    if (shape === Shape.BlockSeq) return this.blockSeq(col);
    return this.flowCollection(col);
  }

  private alias(): Node {
    const at = this.here();
    const name = this.aliasName();
    const anchor = this.anchors.get(name);
    if (!anchor || anchor.open) throw UNSURE;
    this.aliasCount++;
    let value = anchor.value;
    if (anchor.shape !== Shape.Scalar && anchor.selfContained) {
      // Copied before any stage rewrites the tree in place: the anchored node is still as read.
      value = copyWithFacts(value);
    } else if (anchor.shape !== Shape.Scalar) {
      const { pos, line, lineStart, indent } = this;
      this.pos = anchor.pos;
      this.line = anchor.line;
      this.lineStart = anchor.lineStart;
      this.indent = anchor.col;
      this.depth++;
      value = this.read(anchor.shape, anchor.col);
      this.depth--;
      this.pos = pos;
      this.line = line;
      this.lineStart = lineStart;
      this.indent = indent;
    }
    this.nodeAt = at;
    this.nodeTag = undefined;
    this.nodeIsAlias = true;
    return value;
  }

  // ----- flow collections ([…] and {…}), on one line or continued on lines indented past parentCol

  private flowCollection(parentCol: number): Node {
    const self = this.here();
    const seq = this.code() === 91;
    this.pos++;
    this.flowSpace(parentCol);
    let out: Node[] | Mapping;
    if (seq) {
      const items: Node[] = (out = []);
      setSelfPosition(items, self);
      while (this.code() !== 93) {
        items.push(this.flowNode(parentCol));
        this.record(items, items.length - 1);
        this.flowSpace(parentCol);
        if (!this.flowComma(93, parentCol)) break;
      }
    } else {
      const map: Mapping = (out = {});
      setSelfPosition(map, self);
      let merged: Mapping[] | undefined;
      while (this.code() !== 125) {
        const keyAt = this.here();
        const plain = this.code() !== 34 && this.code() !== 39;
        const text = this.flowKey();
        this.flowSpace(parentCol);
        const v = this.code();
        if (v === 44 || v === 125) throw UNSURE; // a key without a value
        const value = this.flowNode(parentCol);
        merged = this.entry(map, plain, text, keyAt, value, merged);
        this.flowSpace(parentCol);
        if (!this.flowComma(125, parentCol)) break;
      }
      if (merged) mergeInto(map, merged);
    }
    this.pos++;
    this.nodeAt = self;
    this.nodeTag = undefined;
    this.nodeIsAlias = false;
    return out;
  }

  private flowNode(parentCol: number): Node {
    const props = this.props();
    const c = this.code();
    const line = this.line;
    const col = this.col();
    if (c === 91 || c === 123) return this.collection(Shape.Flow, props, parentCol);
    if (c === 42) {
      if (props) throw UNSURE;
      return this.alias();
    }
    if (c === 34 || c === 39) {
      const text = this.quoted();
      return this.scalar(props?.tag ? taggedValue(text) : text, line, col, props);
    }
    const text = this.flowPlain();
    return this.scalar(props?.tag ? taggedValue(text) : plainValue(text), line, col, props);
  }
}

/** YAML 1.1 merge keys: explicit keys win; earlier merged maps win over later ones. */
function mergeInto(out: Mapping, sources: Mapping[]): void {
  for (const source of sources) {
    for (const k of Object.keys(source)) {
      if (Object.hasOwn(out, k)) continue;
      out[k] = source[k]!;
    }
  }
}
