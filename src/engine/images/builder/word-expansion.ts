// Dockerfile words the way docker's shell lexer reads them: quotes removed,
// the escape character honoured, and `$VAR`, `${VAR}`, `${VAR:-word}`,
// `${VAR:+word}` (and their `-`/`+` forms without the colon) replaced from
// the build's ARG/ENV values. RUN, CMD and ENTRYPOINT are never expanded
// here: their shell does that in the container.

import { badRequest } from '../../api/api-error.js';

export type Lookup = (name: string) => string | undefined;

interface Word {
  text: string;
  /** A word of only quotes (`""`) still counts as a word. */
  quoted: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

class Lexer {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly lookup: Lookup,
    private readonly escape: string,
  ) {}

  private peek(): string | undefined {
    return this.src[this.i];
  }

  /** Every word, split on unquoted blanks when `split`, else the whole text as one. */
  words(split: boolean): Word[] {
    const out: Word[] = [];
    let cur: Word | undefined;
    const word = () => (cur ??= { text: '', quoted: false });
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (split && /\s/.test(c)) {
        if (cur) out.push(cur);
        cur = undefined;
        this.i++;
        continue;
      }
      if (c === this.escape) {
        this.i++;
        const next = this.src[this.i];
        if (next !== undefined) {
          word().text += next;
          this.i++;
        } else word().text += c;
        continue;
      }
      if (c === "'") {
        word().quoted = true;
        this.i++;
        const end = this.src.indexOf("'", this.i);
        if (end < 0) throw badRequest(`unexpected end of statement while looking for matching single-quote in ${JSON.stringify(this.src)}`);
        word().text += this.src.slice(this.i, end);
        this.i = end + 1;
        continue;
      }
      if (c === '"') {
        word().quoted = true;
        this.i++;
        word().text += this.doubleQuoted();
        continue;
      }
      if (c === '$') {
        word().text += this.dollar();
        continue;
      }
      word().text += c;
      this.i++;
    }
    if (cur) out.push(cur);
    return out;
  }

  private doubleQuoted(): string {
    let s = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw badRequest(`unexpected end of statement while looking for matching double-quote in ${JSON.stringify(this.src)}`);
      if (c === '"') {
        this.i++;
        return s;
      }
      if (c === this.escape) {
        const next = this.src[this.i + 1];
        // Inside double quotes only these are escaped; the escape stays otherwise.
        if (next === '"' || next === '$' || next === this.escape) {
          s += next;
          this.i += 2;
          continue;
        }
      }
      if (c === '$') {
        s += this.dollar();
        continue;
      }
      s += c;
      this.i++;
    }
  }

  /** At a `$`: the expansion it starts, or a literal `$`. */
  private dollar(): string {
    this.i++;
    const c = this.peek();
    if (c === '{') {
      this.i++;
      let name = '';
      while (this.peek() !== undefined && NAME_CHAR.test(this.peek()!)) name += this.src[this.i++];
      if (!name) throw badRequest(`bad substitution in ${JSON.stringify(this.src)}`);
      const value = this.lookup(name);
      if (this.peek() === '}') {
        this.i++;
        return value ?? '';
      }
      let op = '';
      if (this.peek() === ':') op = this.src[this.i++]!;
      const kind = this.peek();
      if (kind !== '-' && kind !== '+' && kind !== '?') throw badRequest(`unsupported modifier (${op}${kind ?? ''}) in substitution of ${JSON.stringify(this.src)}`);
      this.i++;
      const word = this.braceWord();
      const set = op ? value !== undefined && value !== '' : value !== undefined;
      if (kind === '-') return set ? value! : word;
      if (kind === '+') return set ? word : '';
      if (!set) throw badRequest(`${name}: ${word || 'is not allowed to be unset'}`);
      return value!;
    }
    if (c !== undefined && NAME_START.test(c)) {
      let name = '';
      while (this.peek() !== undefined && NAME_CHAR.test(this.peek()!)) name += this.src[this.i++];
      return this.lookup(name) ?? '';
    }
    return '$';
  }

  /** The word of `${VAR:-word}` up to its closing brace, itself expanded. */
  private braceWord(): string {
    let s = '';
    let depth = 0;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw badRequest(`missing '}' in ${JSON.stringify(this.src)}`);
      if (c === '}' && depth === 0) {
        this.i++;
        return s;
      }
      if (c === this.escape && this.src[this.i + 1] !== undefined) {
        s += this.src[this.i + 1];
        this.i += 2;
        continue;
      }
      if (c === '$') {
        s += this.dollar();
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') depth--;
      s += c;
      this.i++;
    }
  }
}

/** Blank-separated words, expanded and unquoted (COPY sources, ENV pairs, EXPOSE ports). */
export function expandWords(text: string, lookup: Lookup, escape = '\\'): string[] {
  // An unquoted word that expands to nothing is no word at all, as in a shell.
  return new Lexer(text, lookup, escape)
    .words(true)
    .filter((w) => w.text !== '' || w.quoted)
    .map((w) => w.text);
}

/** The whole text as one word, expanded and unquoted (WORKDIR, USER, FROM's image). */
export function expandWord(text: string, lookup: Lookup, escape = '\\'): string {
  return new Lexer(text.trim(), lookup, escape).words(false)[0]?.text ?? '';
}
