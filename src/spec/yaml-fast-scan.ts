// The fast reader's cursor over the text: lines, indentation, comments and
// the tokens compose files are written with (plain, quoted and block
// scalars, node properties, flow punctuation). yaml-fast-read.ts builds the
// tree on top of it (through yaml-fast-more.ts: block scalars and flow tokens). Anything the cursor is not sure the `yaml` package
// would read the same way throws UNSURE: the caller then reads the file
// with yaml-full.ts.

import { doubleQuotedBody, UNSURE } from './yaml-fast-scalars.js';
import type { MergeTag } from './tree.js';

export const NL = 10;
export const SPACE = 32;
export const HASH = 35;
export const DASH = 45;
export const COLON = 58;
/** Longest implicit key the `yaml` package accepts (it counts 1024). */
export const MAX_KEY = 1000;

export function isFlowIndicator(c: number): boolean {
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

export interface Props {
  anchor?: string;
  tag?: MergeTag;
}

export class Cursor {
  protected pos = 0;
  protected line = 1;
  protected lineStart = 0;
  /** Indentation of the content line the scanner stands on; -1 at the end. */
  protected indent = -1;
  protected readonly s: string;
  protected readonly n: number;
  /** The last line start keyAhead looked at, and the `: ` it found there (-1: none). */
  private aheadFrom = -1;
  private aheadColon = -1;
  /** Set by valueIndicator: where the ` #` of a comment is on the line it scanned, or -1. */
  protected commentAt = -1;

  constructor(text: string) {
    this.s = text;
    this.n = text.length;
  }

  protected code(i = this.pos): number {
    return i < this.n ? this.s.charCodeAt(i) : -1;
  }

  protected col(i = this.pos): number {
    return i - this.lineStart + 1;
  }

  protected isMarker(m: string): boolean {
    if (!this.s.startsWith(m, this.pos)) return false;
    const c = this.code(this.pos + 3);
    return c === -1 || c === SPACE || c === NL;
  }

  /**
   * From the start of a line (or the end of a finished one), skip blank and
   * comment-only lines; stand on the first character of the next content
   * line and record its indentation (-1 at the end of the text).
   */
  protected nextContentLine(atDocumentStart = false): void {
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
  protected finishLine(): void {
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
  protected endInline(parentCol: number): void {
    this.finishLine();
    this.nextContentLine();
    if (this.indent > parentCol) throw UNSURE;
  }

  protected skipSpaces(): void {
    while (this.pos < this.n && this.s.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** Is the rest of this line `key: …` (a plain or quoted key and a value indicator)? */
  protected keyAhead(): boolean {
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
    this.aheadFrom = i;
    this.aheadColon = this.valueIndicator(i, this.lineEnd(i));
    return this.aheadColon !== -1;
  }

  /** An alias's name; the cursor ends after it. */
  protected aliasName(): string {
    let i = this.pos + 1;
    while (i < this.n && isAnchorChar(this.s.charCodeAt(i))) i++;
    if (i === this.pos + 1) throw UNSURE;
    const name = this.s.slice(this.pos + 1, i);
    this.pos = i;
    const after = this.code();
    if (after !== SPACE && after !== NL && after !== -1 && after !== 44 && after !== 93 && after !== 125) throw UNSURE;
    return name;
  }

  protected lineEnd(from: number): number {
    const e = this.s.indexOf('\n', from);
    return e === -1 ? this.n : e;
  }

  /**
   * Where `: ` (or `:` at the line's end) is on this line of plain text,
   * before any ` #` comment; -1 when there is none. Leaves in `commentAt`
   * where a ` #` comment starts when the scan met one (else -1).
   */
  protected valueIndicator(from: number, eol: number): number {
    // One pass over the line's characters: slicing the line to search it
    // made a string per line, and the reader looks at every line twice.
    const s = this.s;
    this.commentAt = -1;
    for (let i = from; i < eol; i++) {
      const c = s.charCodeAt(i);
      if (c === COLON) {
        const after = i + 1 < eol ? s.charCodeAt(i + 1) : -1;
        if (after === SPACE || after === -1) return i;
      } else if (c === HASH && i > from && s.charCodeAt(i - 1) === SPACE) {
        this.commentAt = i - 1;
        return -1;
      }
    }
    return -1;
  }

  protected atSeqEntry(): boolean {
    if (this.code() !== DASH) return false;
    const c = this.code(this.pos + 1);
    return c === SPACE || c === NL || c === -1;
  }

  /** A mapping key and its `:` (plain or quoted, one line); the cursor ends after the colon. */
  protected key(): string {
    const s = this.s;
    const start = this.pos;
    const c = this.code();
    let text: string;
    if (c === 34 || c === 39) {
      text = this.quoted();
      this.skipSpaces();
      if (this.code() !== COLON) throw UNSURE;
    } else {
      this.checkPlainStart(c);
      // keyAhead has mostly just looked for this colon.
      const colon = this.aheadFrom === start ? this.aheadColon : this.valueIndicator(start, this.lineEnd(start));
      if (colon === -1) throw UNSURE;
      let end = colon;
      while (end > start && s.charCodeAt(end - 1) === SPACE) end--;
      text = s.slice(start, end);
      this.pos = colon;
    }
    if (this.pos - start > MAX_KEY) throw UNSURE;
    this.pos++; // the colon
    const after = this.code();
    if (after !== SPACE && after !== NL && after !== -1) throw UNSURE;
    return text;
  }

  protected checkPlainStart(c: number): void {
    if (c === -1 || isIndicatorStart(c)) throw UNSURE;
    if (c === DASH || c === 63 || c === COLON) {
      const next = this.code(this.pos + 1);
      if (next === -1 || next === SPACE || next === NL || isFlowIndicator(next)) throw UNSURE;
    }
  }

  /** `&anchor` and `!reset`/`!override` before a node, in either order. */
  protected props(): Props | undefined {
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

  /** A one-line plain scalar in block context. */
  protected blockPlain(): string {
    const s = this.s;
    const start = this.pos;
    this.checkPlainStart(this.code());
    const eol = this.lineEnd(start);
    if (this.valueIndicator(start, eol) !== -1) throw UNSURE; // `a: b: c`
    let end = this.commentAt === -1 ? eol : this.commentAt;
    while (s.charCodeAt(end - 1) === SPACE) end--;
    this.pos = end;
    return s.slice(start, end);
  }

  /** A quoted scalar on one line; the scanner ends after the closing quote. */
  protected quoted(): string {
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
}
