// The fast reader's scanner: compose-file YAML text → a small syntax tree
// (yaml-fast-ast.ts) in one pass over the characters. It knows the block
// structure compose files are written in (indented mappings and sequences,
// compact `- key: v` items), one-line flow collections and quoted scalars,
// block scalars, comments, anchors, aliases and the two merge tags. Anything
// else, or anything it is not sure the `yaml` package would accept in the
// same way, throws UNSURE: the caller then reads the file with yaml-full.ts.

import { blockScalarValue, doubleQuotedBody, UNSURE, type BlockLine } from './yaml-fast-scalars.js';
import { Kind, type Ast, type KeyAst, type MapAst, type Props, type ScalarAst, type SeqAst } from './yaml-fast-ast.js';

const NL = 10;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
/** Longest implicit key the `yaml` package accepts (it counts 1024). */
const MAX_KEY = 1000;

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
}

/** Characters that cannot start a plain scalar (YAML c-indicator), `-?:` handled apart. */
function isIndicatorStart(c: number): boolean {
  return (
    c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === HASH || c === 38 || c === 42 || c === 33 ||
    c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96
  );
}

function isAnchorChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === DASH || c === 46;
}

export class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Indentation of the content line the scanner stands on; -1 at the end. */
  private indent = -1;
  private readonly s: string;
  private readonly n: number;

  constructor(text: string) {
    this.s = text;
    this.n = text.length;
  }

  /** The document's root node, or null for an empty document. */
  document(): Ast | null {
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

  private code(i = this.pos): number {
    return i < this.n ? this.s.charCodeAt(i) : -1;
  }

  private col(i = this.pos): number {
    return i - this.lineStart + 1;
  }

  private isMarker(m: string): boolean {
    if (!this.s.startsWith(m, this.pos)) return false;
    const c = this.code(this.pos + 3);
    return c === -1 || c === SPACE || c === NL;
  }

  /**
   * From the start of a line (or the end of a finished one), skip blank and
   * comment-only lines; stand on the first character of the next content
   * line and record its indentation (-1 at the end of the text).
   */
  private nextContentLine(atDocumentStart = false): void {
    const s = this.s;
    for (;;) {
      let i = this.pos;
      while (i < this.n && s.charCodeAt(i) === SPACE) i++;
      if (i >= this.n) {
        this.pos = this.n;
        this.indent = -1;
        return;
      }
      const c = s.charCodeAt(i);
      if (c === NL || c === HASH) {
        const end = c === NL ? i : s.indexOf('\n', i);
        if (end === -1) {
          this.pos = this.n;
          this.indent = -1;
          return;
        }
        this.pos = end + 1;
        this.line++;
        this.lineStart = end + 1;
        continue;
      }
      this.pos = i;
      this.indent = i - this.lineStart;
      if (this.indent === 0 && (c === 37 || ((c === DASH || c === 46) && (this.isMarker('---') || this.isMarker('...'))))) {
        // Directives and document markers: only a leading `---` is ours.
        if (!(atDocumentStart && this.isMarker('---'))) throw UNSURE;
      }
      return;
    }
  }

  /** After a value: only spaces and a comment may follow on its line. */
  private finishLine(): void {
    const s = this.s;
    let i = this.pos;
    while (i < this.n && s.charCodeAt(i) === SPACE) i++;
    if (i >= this.n) {
      this.pos = this.n;
      return;
    }
    let c = s.charCodeAt(i);
    if (c === HASH) {
      if (i > this.lineStart && s.charCodeAt(i - 1) !== SPACE) throw UNSURE; // a comment needs a space before it
      const end = s.indexOf('\n', i);
      i = end === -1 ? this.n : end;
      c = i < this.n ? NL : -1;
    }
    if (c === -1) {
      this.pos = this.n;
      return;
    }
    if (c !== NL) throw UNSURE;
    this.pos = i + 1;
    this.line++;
    this.lineStart = i + 1;
  }

  /** The value ended on its line: the next content line must not continue it. */
  private endInline(parentCol: number): void {
    this.finishLine();
    this.nextContentLine();
    if (this.indent > parentCol) throw UNSURE;
  }

  private skipSpaces(): void {
    while (this.pos < this.n && this.s.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** Is the rest of this line `key: …` (a plain or quoted key and a value indicator)? */
  private keyAhead(): boolean {
    const s = this.s;
    let i = this.pos;
    const c = this.code(i);
    if (c === 34 || c === 39) {
      i++;
      for (;;) {
        const d = this.code(i);
        if (d === -1 || d === NL) return false;
        if (d === 92 && c === 34) i += 2;
        else if (d === c) {
          if (c === 39 && this.code(i + 1) === 39) i += 2;
          else break;
        } else i++;
      }
      i++;
      while (this.code(i) === SPACE) i++;
      const after = this.code(i + 1);
      return this.code(i) === COLON && (after === SPACE || after === NL || after === -1);
    }
    if (isIndicatorStart(c)) return false; // flow collections, aliases, properties, block scalars
    for (; i < this.n; i++) {
      const d = s.charCodeAt(i);
      if (d === NL) return false;
      if (d === COLON) {
        const after = this.code(i + 1);
        if (after === SPACE || after === NL || after === -1) return true;
      } else if (d === HASH && i > this.pos && s.charCodeAt(i - 1) === SPACE) return false;
    }
    return false;
  }

  private atSeqEntry(): boolean {
    if (this.code() !== DASH) return false;
    const c = this.code(this.pos + 1);
    return c === SPACE || c === NL || c === -1;
  }

  private blockMap(col: number): MapAst {
    const map: MapAst = { kind: Kind.Map, line: this.line, col: col + 1, keys: [], values: [] };
    for (;;) {
      map.keys.push(this.key());
      map.values.push(this.blockValue(col, false));
      if (this.indent < col) return map;
      if (this.indent > col) throw UNSURE;
    }
  }

  private blockSeq(col: number): SeqAst {
    const seq: SeqAst = { kind: Kind.Seq, line: this.line, col: col + 1, items: [] };
    for (;;) {
      this.pos++; // the dash
      seq.items.push(this.seqItem(col));
      if (this.indent < col) return seq;
      if (this.indent > col) throw UNSURE;
      if (!this.atSeqEntry()) return seq;
    }
  }

  private seqItem(dashCol: number): Ast {
    this.skipSpaces();
    const c = this.code();
    if (c !== NL && c !== -1 && c !== HASH) {
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

  /** A mapping key and its `:`; leaves the scanner after the colon. */
  private key(): KeyAst {
    const s = this.s;
    const start = this.pos;
    const line = this.line;
    const c = this.code();
    let text: string;
    let plain = true;
    if (c === 34 || c === 39) {
      text = this.quoted();
      plain = false;
      this.skipSpaces();
      if (this.code() !== COLON) throw UNSURE;
    } else {
      this.checkPlainStart(c);
      let i = start;
      let end = -1;
      for (; i < this.n; i++) {
        const d = s.charCodeAt(i);
        if (d === NL) throw UNSURE;
        if (d === COLON) {
          const after = this.code(i + 1);
          if (after === SPACE || after === NL || after === -1) {
            end = i;
            break;
          }
        } else if (d === HASH && s.charCodeAt(i - 1) === SPACE) throw UNSURE;
      }
      if (end === -1) throw UNSURE;
      while (end > start && s.charCodeAt(end - 1) === SPACE) end--;
      text = s.slice(start, end);
      this.pos = i;
    }
    if (this.pos - start > MAX_KEY) throw UNSURE;
    this.pos++; // the colon
    const after = this.code();
    if (after !== SPACE && after !== NL && after !== -1) throw UNSURE;
    return { text, plain, line, col: start - this.lineStart + 1 };
  }

  private checkPlainStart(c: number): void {
    if (c === -1 || isIndicatorStart(c)) throw UNSURE;
    if (c === DASH || c === 63 || c === COLON) {
      const next = this.code(this.pos + 1);
      if (next === -1 || next === SPACE || next === NL || isFlowIndicator(next)) throw UNSURE;
    }
  }

  /** `&anchor` and `!reset`/`!override` before a node, in either order. */
  private props(): Props | undefined {
    let props: Props | undefined;
    for (;;) {
      const c = this.code();
      if (c === 38) {
        if (props?.anchor !== undefined) throw UNSURE;
        let i = this.pos + 1;
        while (i < this.n && isAnchorChar(this.s.charCodeAt(i))) i++;
        if (i === this.pos + 1) throw UNSURE;
        (props ??= {}).anchor = this.s.slice(this.pos + 1, i);
        this.pos = i;
      } else if (c === 33) {
        if (props?.tag !== undefined) throw UNSURE;
        if (this.s.startsWith('!reset', this.pos)) {
          (props ??= {}).tag = 'reset';
          this.pos += 6;
        } else if (this.s.startsWith('!override', this.pos)) {
          (props ??= {}).tag = 'override';
          this.pos += 9;
        } else throw UNSURE;
      } else return props;
      const after = this.code();
      if (after !== SPACE && after !== NL && after !== -1) throw UNSURE;
      this.skipSpaces();
    }
  }

  /** The value after `key:` or `-` (parentCol: the key's or dash's column). */
  private blockValue(parentCol: number, inSeq: boolean): Ast {
    this.skipSpaces();
    const props = this.props();
    const c = this.code();
    if (c === NL || c === -1 || c === HASH) {
      const empty: ScalarAst = { kind: Kind.Scalar, line: this.line, col: this.col(), source: '', style: 'plain' };
      this.finishLine();
      this.nextContentLine();
      let node: Ast = empty;
      if (this.indent > parentCol) {
        node = this.atSeqEntry() ? this.blockSeq(this.indent) : this.keyAhead() ? this.blockMap(this.indent) : fail();
      } else if (this.indent === parentCol && !inSeq && this.atSeqEntry()) {
        node = this.blockSeq(this.indent);
      }
      return withProps(node, props);
    }
    if (c === 42) {
      if (props) throw UNSURE;
      const node = this.alias();
      this.endInline(parentCol);
      return node;
    }
    if (c === 124 || c === 62) return withProps(this.blockScalar(parentCol), props);
    let node: Ast;
    if (c === 91 || c === 123) node = this.flowNode(parentCol);
    else if (c === 34 || c === 39) {
      const line = this.line;
      const col = this.col();
      node = { kind: Kind.Scalar, line, col, source: this.quoted(), style: 'quoted' };
    } else node = this.blockPlain();
    this.endInline(parentCol);
    return withProps(node, props);
  }

  private alias(): Ast {
    const line = this.line;
    const col = this.col();
    let i = this.pos + 1;
    while (i < this.n && isAnchorChar(this.s.charCodeAt(i))) i++;
    if (i === this.pos + 1) throw UNSURE;
    const name = this.s.slice(this.pos + 1, i);
    this.pos = i;
    const after = this.code();
    if (after !== SPACE && after !== NL && after !== -1 && after !== 44 && after !== 93 && after !== 125) throw UNSURE;
    return { kind: Kind.Alias, line, col, name };
  }

  /** A one-line plain scalar in block context. */
  private blockPlain(): ScalarAst {
    const s = this.s;
    const start = this.pos;
    this.checkPlainStart(this.code());
    let i = start;
    let end = start;
    for (; i < this.n; i++) {
      const d = s.charCodeAt(i);
      if (d === NL) break;
      if (d === SPACE) {
        if (this.code(i + 1) === HASH) break;
        continue;
      }
      if (d === COLON) {
        const after = this.code(i + 1);
        if (after === SPACE || after === NL || after === -1) throw UNSURE;
      }
      end = i + 1;
    }
    this.pos = end;
    return { kind: Kind.Scalar, line: this.line, col: start - this.lineStart + 1, source: s.slice(start, end), style: 'plain' };
  }

  /** A quoted scalar on one line; the scanner ends after the closing quote. */
  private quoted(): string {
    const s = this.s;
    const q = s.charCodeAt(this.pos);
    let i = this.pos + 1;
    if (q === 39) {
      let out = '';
      let from = i;
      for (;;) {
        const d = this.code(i);
        if (d === -1 || d === NL) throw UNSURE;
        if (d === 39) {
          out += s.slice(from, i);
          if (this.code(i + 1) !== 39) break;
          out += "'";
          i += 2;
          from = i;
        } else i++;
      }
      this.pos = i + 1;
      return out;
    }
    for (;;) {
      const d = this.code(i);
      if (d === -1 || d === NL) throw UNSURE;
      if (d === 92) i += 2;
      else if (d === 34) break;
      else i++;
    }
    const body = s.slice(this.pos + 1, i);
    this.pos = i + 1;
    return doubleQuotedBody(body);
  }

  /** `|` or `>` with an optional chomping indicator; its lines follow. */
  private blockScalar(parentCol: number): ScalarAst {
    const s = this.s;
    const node: ScalarAst = { kind: Kind.Scalar, line: this.line, col: this.col(), source: '', style: 'block' };
    const folded = this.code() === 62;
    this.pos++;
    let chomp: '' | '-' | '+' = '';
    const c = this.code();
    if (c === DASH || c === 43) {
      chomp = c === DASH ? '-' : '+';
      this.pos++;
    }
    const after = this.code();
    if (after !== SPACE && after !== NL) throw UNSURE; // indentation indicators, EOF right after the header
    this.finishLine();
    const lines: BlockLine[] = [];
    let contentIndent = -1;
    let lastText = -1;
    let maxLeadingBlank = 0;
    for (;;) {
      let i = this.pos;
      while (i < this.n && s.charCodeAt(i) === SPACE) i++;
      const spaces = i - this.pos;
      if (i >= this.n) {
        if (spaces > 0 && (contentIndent === -1 || spaces > contentIndent)) throw UNSURE;
        break;
      }
      if (s.charCodeAt(i) === NL) {
        if (contentIndent === -1) maxLeadingBlank = Math.max(maxLeadingBlank, spaces);
        else if (spaces > contentIndent) throw UNSURE; // whitespace that may be content
        lines.push({ indent: spaces, text: '' });
      } else {
        if (contentIndent === -1) {
          if (spaces <= parentCol) break;
          if (maxLeadingBlank > spaces) throw UNSURE;
          contentIndent = spaces;
        } else if (spaces < contentIndent) break;
        let end = s.indexOf('\n', i);
        if (end === -1) end = this.n;
        lines.push({ indent: spaces, text: s.slice(i, end) });
        lastText = lines.length - 1;
        i = end;
        if (i >= this.n) {
          this.pos = this.n;
          break;
        }
      }
      this.pos = i + 1;
      this.line++;
      this.lineStart = i + 1;
    }
    if (contentIndent === -1) {
      if (chomp === '+') throw UNSURE;
    } else {
      node.source = blockScalarValue(folded, chomp, lines.slice(0, lastText + 1), contentIndent, lines.length - lastText - 1);
    }
    // The scanner stands at the start of the line that ended the scalar.
    if (this.pos < this.n && this.pos === this.lineStart) {
      let i = this.pos;
      while (i < this.n && s.charCodeAt(i) === SPACE) i++;
      if (i - this.pos > parentCol) throw UNSURE;
    }
    this.nextContentLine();
    return node;
  }

  // ----- flow collections ([…] and {…}), on one line or continued on lines indented past parentCol

  private flowNode(parentCol: number): Ast {
    const props = this.props();
    const c = this.code();
    const line = this.line;
    const col = this.col();
    let node: Ast;
    if (c === 91) {
      const seq: SeqAst = { kind: Kind.Seq, line, col, items: [] };
      this.pos++;
      this.flowSpace(parentCol);
      while (this.code() !== 93) {
        seq.items.push(this.flowNode(parentCol));
        this.flowSpace(parentCol);
        if (!this.flowComma(93, parentCol)) break;
      }
      this.pos++;
      node = seq;
    } else if (c === 123) {
      const map: MapAst = { kind: Kind.Map, line, col, keys: [], values: [] };
      this.pos++;
      this.flowSpace(parentCol);
      while (this.code() !== 125) {
        map.keys.push(this.flowKey());
        this.flowSpace(parentCol);
        const v = this.code();
        if (v === 44 || v === 125) throw UNSURE; // a key without a value
        map.values.push(this.flowNode(parentCol));
        this.flowSpace(parentCol);
        if (!this.flowComma(125, parentCol)) break;
      }
      this.pos++;
      node = map;
    } else if (c === 42) {
      if (props) throw UNSURE;
      return this.alias();
    } else if (c === 34 || c === 39) {
      node = { kind: Kind.Scalar, line, col, source: this.quoted(), style: 'quoted' };
    } else node = this.flowPlain();
    return withProps(node, props);
  }

  /** After an entry: `,` (then maybe the close) or the close itself. */
  private flowComma(close: number, parentCol: number): boolean {
    const c = this.code();
    if (c === close) return false;
    if (c !== 44) throw UNSURE;
    this.pos++;
    this.flowSpace(parentCol);
    return this.code() !== close;
  }

  private flowKey(): KeyAst {
    const start = this.pos;
    const line = this.line;
    const c = this.code();
    let text: string;
    let plain = true;
    if (c === 34 || c === 39) {
      text = this.quoted();
      plain = false;
      this.skipSpaces();
      if (this.code() !== COLON) throw UNSURE;
      this.pos++;
    } else {
      const k = this.flowPlain();
      text = k.source;
      this.skipSpaces();
      if (this.code() !== COLON) throw UNSURE;
      this.pos++;
      const after = this.code();
      if (after !== SPACE && after !== NL) throw UNSURE;
    }
    if (this.pos - start > MAX_KEY) throw UNSURE;
    return { text, plain, line, col: start - this.lineStart + 1 };
  }

  /** A plain scalar inside a flow collection: it ends at a flow indicator, `: `, ` #` or the line's end. */
  private flowPlain(): ScalarAst {
    const s = this.s;
    const start = this.pos;
    this.checkPlainStart(this.code());
    let i = start;
    let end = start;
    for (; i < this.n; i++) {
      const d = s.charCodeAt(i);
      if (d === NL || isFlowIndicator(d)) break;
      if (d === SPACE) {
        if (this.code(i + 1) === HASH) break;
        continue;
      }
      if (d === COLON) {
        const after = this.code(i + 1);
        if (after === SPACE || after === NL || after === -1 || isFlowIndicator(after)) break;
      }
      end = i + 1;
    }
    if (end === start) throw UNSURE;
    this.pos = end;
    return { kind: Kind.Scalar, line: this.line, col: start - this.lineStart + 1, source: s.slice(start, end), style: 'plain' };
  }

  /** Spaces, comments and line breaks between flow tokens; continuation lines must be indented past parentCol. */
  private flowSpace(parentCol: number): void {
    const s = this.s;
    for (;;) {
      const c = this.code();
      if (c === SPACE) this.pos++;
      else if (c === HASH) {
        const prev = s.charCodeAt(this.pos - 1);
        if (prev !== SPACE && prev !== NL) throw UNSURE;
        const end = s.indexOf('\n', this.pos);
        if (end === -1) throw UNSURE;
        this.pos = end;
      } else if (c === NL) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
        let i = this.pos;
        while (i < this.n && s.charCodeAt(i) === SPACE) i++;
        const d = this.code(i);
        if (d !== NL && d !== HASH && i - this.pos <= parentCol) throw UNSURE;
        this.pos = i;
      } else if (c === -1) throw UNSURE;
      else return;
    }
  }
}

function withProps<T extends Ast>(node: T, props: Props | undefined): T {
  if (props === undefined) return node;
  if (node.kind === Kind.Alias) throw UNSURE;
  if (props.anchor !== undefined) node.anchor = props.anchor;
  if (props.tag !== undefined) node.tag = props.tag;
  return node;
}

function fail(): never {
  throw UNSURE;
}
