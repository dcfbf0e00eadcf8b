// Scalar values for the fast YAML reader, resolved exactly as the `yaml`
// package's core schema (YAML 1.2) resolves them and as yaml-full.ts then
// adjusts them, so both readers give the same tree. Anything these helpers
// are not sure of is reported as UNSURE and the caller falls back.

import type { Node } from './tree.js';

/** Thrown (never escapes yaml-fast.ts) when the fast reader steps aside. */
export const UNSURE: unique symbol = Symbol('yaml-fast: unsure');

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** go-yaml reads 0440 as octal (file modes); yaml-full.ts does too. */
const OCTAL_LIKE = /^0[0-7]+$/;

/** The core schema's reading of a plain scalar, tried in the schema's tag order. */
function coreValue(s: string): string | number | boolean | null {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  // Most scalars are words: only these first characters can start a non-string.
  const digit = c >= 48 && c <= 57;
  if (!digit && c !== 43 && c !== 45 && c !== 46 && c !== 126 && c !== 110 && c !== 78 && c !== 116 && c !== 84 && c !== 102 && c !== 70) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return c === 116 || c === 84;
  if (INT_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : c === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** An untagged plain scalar in value position. */
export function plainValue(s: string): Node {
  const v = coreValue(s);
  if (typeof v === 'number' && OCTAL_LIKE.test(s)) return parseInt(s, 8);
  return v;
}

/** A plain mapping key, as the full reader spells it (String of the value). */
export function plainKey(s: string): string {
  const v = coreValue(s);
  return v === null ? 'null' : String(v);
}

/** A `!reset`/`!override` scalar: its text read as the core schema would (yaml-full.ts's coreScalar). */
export function taggedValue(source: string): Node {
  if (/^(?:null|Null|NULL|~|)$/.test(source)) return null;
  if (/^(?:true|True|TRUE)$/.test(source)) return true;
  if (/^(?:false|False|FALSE)$/.test(source)) return false;
  if (/^[-+]?(?:\d+|\d*\.\d+)(?:[eE][-+]?\d+)?$/.test(source)) return Number(source);
  return source;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * The body of a one-line double-quoted scalar (between the quotes, escapes
 * still in). Unknown or malformed escapes are the full reader's to report.
 */
export function doubleQuotedBody(body: string): string {
  if (body.indexOf('\\') === -1) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) throw UNSURE;
    const simple = ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const length = HEX_LENGTH[next];
    if (length === undefined) throw UNSURE;
    const hex = body.substr(i + 1, length);
    if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) throw UNSURE;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) throw UNSURE;
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}

/** One line of a block scalar: its leading spaces and the rest (empty for blank lines). */
export interface BlockLine {
  indent: number;
  text: string;
}

/**
 * The value of a `|` or `>` block scalar whose lines are known: `lines` are
 * the content lines up to the last non-blank one (blank lines inside are
 * `text: ''`), `trailing` the count of blank lines after it. `indent` is the
 * content indentation (that of the first non-blank line).
 */
export function blockScalarValue(folded: boolean, chomp: '' | '-' | '+', lines: BlockLine[], indent: number, trailing: number): string {
  let value = '';
  let i = 0;
  // Blank lines before the first text stay line breaks in both styles.
  while (i < lines.length && lines[i]!.text === '') {
    value += '\n';
    i++;
  }
  let sep = '';
  let prevMoreIndented = false;
  for (; i < lines.length; i++) {
    const { indent: n, text } = lines[i]!;
    if (!folded) {
      value += sep + (text === '' ? '' : ' '.repeat(n - indent) + text);
      sep = '\n';
    } else if (text !== '' && n > indent) {
      // More-indented lines of a folded scalar keep their line breaks.
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + ' '.repeat(n - indent) + text;
      sep = '\n';
      prevMoreIndented = true;
    } else if (text === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + text;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === '+') return value + '\n'.repeat(trailing + 1);
  if (chomp === '-') return value;
  return value + '\n';
}
