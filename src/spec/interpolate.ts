// Stage 2: `${VAR}` interpolation over values (never keys), per file, before
// anything else looks at the values: `$VAR`, `${VAR}`, `${VAR:-default}`,
// `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`,
// `${VAR+alt}`, nested expressions inside the default/alt/error words, and
// `$$` for a literal `$`.

import { GantryError } from '../common/errors.js';
import type { Lookup, WarningSink } from './context.js';
import { formatPath, positionAt, type Mapping, type Node, type Path, type PathSegment } from './tree.js';

const FORMS = 'use $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt} or ${VAR+alt}; write $$ for a literal $';

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Where a string sits, for messages; the root lets errors find file:line:col. */
interface Site {
  path: Path;
  root?: Node;
  warn?: WarningSink;
  /** Set when expanding warned: such a result is not reused for another site, which must warn too. */
  warned?: boolean;
}

/** Interpolate every string value of `tree` in place. */
export function interpolateTree(tree: Mapping, lookup: Lookup, warn: WarningSink): void {
  // Read only while a string expands (errors and warnings are worded then), so the one array serves every site.
  const path: PathSegment[] = [];
  const site: Site = { path, root: tree, warn };
  // The same written string (an anchor's `${TAG:-latest}` copied into every
  // service) expands the same way with the same variables: expand it once.
  const done = new Map<string, string>();
  const expand = (container: Mapping | Node[], key: PathSegment, value: string): void => {
    let out = done.get(value);
    if (out === undefined) {
      path.push(key);
      site.warned = false;
      out = new Scanner(value, lookup, site).expand(0, value.length);
      path.pop();
      if (!site.warned) done.set(value, out);
    }
    (container as Record<PathSegment, Node>)[key] = out;
  };
  // Leaves are tested in the loops: most are strings without `$`, and a call for each was most of this pass.
  const visit = (key: PathSegment, value: Mapping | Node[]): void => {
    path.push(key);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v = value[i]!;
        if (typeof v === 'string') {
          if (v.indexOf('$') >= 0) expand(value, i, v);
        } else if (typeof v === 'object' && v !== null) visit(i, v);
      }
    } else {
      for (const k in value) {
        const v = value[k]!;
        if (typeof v === 'string') {
          if (v.indexOf('$') >= 0) expand(value, k, v);
        } else if (typeof v === 'object' && v !== null) visit(k, v);
      }
    }
    path.pop();
  };
  for (const k in tree) {
    const v = tree[k]!;
    if (typeof v === 'string') {
      if (v.indexOf('$') >= 0) expand(tree, k, v);
    } else if (typeof v === 'object' && v !== null) visit(k, v);
  }
}

/** One string. `path`/`root` say where it is written, for errors and warnings. */
export function interpolateString(value: string, lookup: Lookup, path: Path = [], root?: Node, warn?: WarningSink): string {
  if (value.indexOf('$') < 0) return value;
  return new Scanner(value, lookup, { path, root, warn }).expand(0, value.length);
}

class Scanner {
  constructor(
    private readonly text: string,
    private readonly lookup: Lookup,
    private readonly site: Site,
  ) {}

  /** Expand text[from, to). */
  expand(from: number, to: number): string {
    const t = this.text;
    let out = '';
    let i = from;
    while (i < to) {
      const dollar = t.indexOf('$', i);
      if (dollar < 0 || dollar >= to) {
        out += t.slice(i, to);
        break;
      }
      out += t.slice(i, dollar);
      const next = t[dollar + 1];
      if (next === '$') {
        out += '$';
        i = dollar + 2;
      } else if (next === '{') {
        const end = this.closingBrace(dollar + 2, to);
        out += this.braced(dollar + 2, end);
        i = end + 1;
      } else if (next !== undefined && isNameStart(next.charCodeAt(0))) {
        let j = dollar + 2;
        while (j < to && isNameChar(t.charCodeAt(j))) j++;
        out += this.variable(t.slice(dollar + 1, j));
        i = j;
      } else {
        throw this.invalid();
      }
    }
    return out;
  }

  /** Index of the `}` that closes a `${` whose body starts at `from`, honouring nested `${…}`. */
  private closingBrace(from: number, to: number): number {
    const t = this.text;
    let depth = 0;
    for (let i = from; i < to; i++) {
      const c = t[i];
      if (c === '$' && t[i + 1] === '$') {
        i++;
      } else if (c === '$' && t[i + 1] === '{') {
        depth++;
        i++;
      } else if (c === '}') {
        if (depth === 0) return i;
        depth--;
      }
    }
    throw this.invalid('an unterminated ${');
  }

  private braced(from: number, end: number): string {
    const t = this.text;
    let j = from;
    if (j >= end || !isNameStart(t.charCodeAt(j))) throw this.invalid();
    while (j < end && isNameChar(t.charCodeAt(j))) j++;
    const name = t.slice(from, j);
    if (j === end) return this.variable(name);
    const colon = t[j] === ':';
    const op = t[colon ? j + 1 : j];
    const wordStart = colon ? j + 2 : j + 1;
    const value = this.lookup(name);
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const present = colon ? nonEmpty : set;
    switch (op) {
      case '-':
        return present ? value! : this.expand(wordStart, end);
      case '+':
        return present ? this.expand(wordStart, end) : '';
      case '?':
        if (present) return value!;
        throw this.required(name, this.expand(wordStart, end));
      default:
        throw this.invalid();
    }
  }

  private variable(name: string): string {
    const v = this.lookup(name);
    if (v !== undefined) return v;
    this.site.warned = true;
    this.site.warn?.({
      message: `The "${name}" variable is not set. Defaulting to a blank string.`,
      path: formatPath(this.site.path),
      position: this.site.root === undefined ? undefined : positionAt(this.site.root, this.site.path),
    });
    return '';
  }

  private required(name: string, message: string): GantryError {
    const where = formatPath(this.site.path);
    return new GantryError('interpolation', `required variable ${name} is missing a value${message ? `: ${message}` : ''}`, {
      path: where || undefined,
      position: this.site.root === undefined ? undefined : positionAt(this.site.root, this.site.path),
      hint: `set ${name} in the environment or in the project's .env file`,
    });
  }

  private invalid(what = 'a malformed expression'): GantryError {
    const where = formatPath(this.site.path);
    return new GantryError('interpolation', `invalid interpolation format${where ? ` for ${where}` : ''}: ${JSON.stringify(this.text)} (${what})`, {
      path: where || undefined,
      position: this.site.root === undefined ? undefined : positionAt(this.site.root, this.site.path),
      hint: FORMS,
    });
  }
}
