// More of the fast reader's cursor: block scalars (`|`, `>`) and the tokens
// of flow collections. Split from yaml-fast-scan.ts only to keep files small.

import { blockScalarValue, UNSURE, type BlockLine } from './yaml-fast-scalars.js';
import { COLON, Cursor, DASH, HASH, isFlowIndicator, MAX_KEY, NL, SPACE } from './yaml-fast-scan.js';

export class FlowCursor extends Cursor {
  /** `|` or `>` with an optional chomping indicator; its lines follow. */
  protected blockScalar(parentCol: number): string {
    const s = this.s;
    let value = '';
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
      value = blockScalarValue(folded, chomp, lines.slice(0, lastText + 1), contentIndent, lines.length - lastText - 1);
    }
    // The scanner stands at the start of the line that ended the scalar.
    if (this.pos < this.n && this.pos === this.lineStart) {
      let i = this.pos;
      while (i < this.n && s.charCodeAt(i) === SPACE) i++;
      if (i - this.pos > parentCol) throw UNSURE;
    }
    this.nextContentLine();
    return value;
  }


  /** A key in a flow mapping and its `:`. */
  protected flowKey(): string {
    const start = this.pos;
    const c = this.code();
    let text: string;
    if (c === 34 || c === 39) {
      text = this.quoted();
      this.skipSpaces();
      if (this.code() !== COLON) throw UNSURE;
      this.pos++;
    } else {
      text = this.flowPlain();
      this.skipSpaces();
      if (this.code() !== COLON) throw UNSURE;
      this.pos++;
      const after = this.code();
      if (after !== SPACE && after !== NL) throw UNSURE;
    }
    if (this.pos - start > MAX_KEY) throw UNSURE;
    return text;
  }


  /** After an entry: `,` (then maybe the close) or the close itself. */
  protected flowComma(close: number, parentCol: number): boolean {
    const c = this.code();
    if (c === close) return false;
    if (c !== 44) throw UNSURE;
    this.pos++;
    this.flowSpace(parentCol);
    return this.code() !== close;
  }

  /** A plain scalar inside a flow collection: it ends at a flow indicator, `: `, ` #` or the line's end. */
  protected flowPlain(): string {
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
    return s.slice(start, end);
  }

  /** Spaces, comments and line breaks between flow tokens; continuation lines must be indented past parentCol. */
  protected flowSpace(parentCol: number): void {
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
