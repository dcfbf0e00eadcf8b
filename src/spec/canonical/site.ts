// What an attribute rule sees: where the value sits (root + path, for error
// positions) and the document's context. Rules are small functions
// `(value, site) => newValue`; the walker puts the result back in place.

import { GantryError } from '../../common/errors.js';
import type { CanonicalContext } from '../canonical.js';
import { formatPath, positionAt, type Mapping, type Node, type PathSegment } from '../tree.js';

export interface Site {
  /** The whole document, still holding the value being rewritten (for positions). */
  readonly root: Mapping;
  /** Path of the value being rewritten. Owned by the walker: read it, never keep it. */
  readonly path: PathSegment[];
  readonly ctx: CanonicalContext;
}

/** Rewrite one value into its long form; return the same value when nothing changes. */
export type Rule = (value: Node, site: Site) => Node;

/** One row of the attribute table: a path pattern (`services.*.ports`, `x[]`) and its rule. */
export type Row = readonly [pattern: string, rule: Rule];

/** A GantryError('value') at the site (or below it), with file:line:col. */
export function valueError(site: Site, message: string, hint: string, ...below: PathSegment[]): GantryError {
  const path = below.length ? [...site.path, ...below] : site.path;
  return new GantryError('value', message, {
    path: formatPath(path),
    position: positionAt(site.root, path),
    hint,
  });
}

export function warnAt(site: Site, message: string, ...below: PathSegment[]): void {
  const path = below.length ? [...site.path, ...below] : site.path;
  site.ctx.warn({ message, path: formatPath(path), position: positionAt(site.root, path) });
}

/**
 * True when `s` may still hold a `${VAR}` because interpolation was skipped
 * (`config --no-interpolate`): such a string is passed through, not parsed.
 */
export function unresolved(site: Site, s: string): boolean {
  return site.ctx.interpolated === false && s.includes('$');
}
