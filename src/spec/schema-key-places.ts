// Where in a compose file each key is allowed, read from the schema, so an
// unknown key can be answered with "replicas belongs in services.web.deploy"
// when it is a real key written at the wrong level.

import { formatPath, type PathSegment } from './tree.js';
import { resolveRef, type SchemaNode } from './schema-validator.js';

/** A place in the document: `*` stands for any name, `[]` for any index. */
type Place = readonly string[];

const ANY_NAME = '*';
const ANY_INDEX = '[]';
/** Stands, in a suggested place, for a name the user has not written yet. */
const SOME_NAME = '<name>';

let places: Map<string, Place[]> | undefined;

/** The places where `key` is a known (non-extension) key. */
export function placesOfKey(schema: SchemaNode, key: string): readonly Place[] {
  places ??= indexPlaces(schema);
  return places.get(key) ?? [];
}

/**
 * The places of `key` within the node where it was written or above it (a key
 * one level too deep or too shallow), the nearest first, wildcards filled
 * from `at`. Several when they are equally near. Places elsewhere in the file
 * are left out: a key that merely shares a name (`path`, `driver`) with one
 * far away would make a misleading hint.
 */
export function nearestPlaces(schema: SchemaNode, key: string, at: readonly PathSegment[]): PathSegment[][] {
  let best: Place[] = [];
  let bestScore = [-Infinity, -Infinity];
  for (const place of placesOfKey(schema, key)) {
    const shared = sharedPrefix(place, at);
    if (shared < place.length && shared < at.length) continue;
    const score = [-Math.abs(place.length - at.length), -place.length];
    const cmp = score[0]! - bestScore[0]! || score[1]! - bestScore[1]!;
    if (cmp > 0) {
      best = [place];
      bestScore = score;
    } else if (cmp === 0) best.push(place);
  }
  const shared = Math.min(at.length, best[0]?.length ?? 0);
  return best.map((place) =>
    place.map((seg, i) => {
      const here = at[i];
      if (seg === ANY_INDEX) return typeof here === 'number' && i < shared ? here : 0;
      if (seg === ANY_NAME) return typeof here === 'string' && i < shared ? here : SOME_NAME;
      return seg;
    }),
  );
}

/** Like formatPath, with `<name>` left unquoted: `services.<name>.deploy`. */
export function formatPlace(place: readonly PathSegment[]): string {
  let out = '';
  for (const seg of place) {
    const one = seg === SOME_NAME ? seg : formatPath([seg]);
    out += out && !one.startsWith('[') ? `.${one}` : one;
  }
  return out || 'the top level';
}

function sharedPrefix(place: Place, at: readonly PathSegment[]): number {
  let n = 0;
  while (n < place.length && n < at.length && fits(place[n]!, at[n]!)) n++;
  return n;
}

function fits(seg: string, here: PathSegment): boolean {
  if (seg === ANY_INDEX) return typeof here === 'number';
  if (seg === ANY_NAME) return typeof here === 'string';
  return seg === here;
}

function indexPlaces(schema: SchemaNode): Map<string, Place[]> {
  const out = new Map<string, Place[]>();
  const walk = (node: SchemaNode | boolean | undefined, place: string[], refs: readonly string[]): void => {
    if (typeof node !== 'object') return;
    if (node.$ref) {
      // The schema has no recursive definitions today; the guard keeps it so.
      if (refs.includes(node.$ref)) return;
      walk(resolveRef(schema, node.$ref), place, [...refs, node.$ref]);
    }
    for (const branch of node.oneOf ?? node.anyOf ?? []) walk(branch, place, refs);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const list = out.get(key) ?? [];
      list.push(place);
      out.set(key, list);
      walk(child, [...place, key], refs);
    }
    for (const [pattern, child] of Object.entries(node.patternProperties ?? {})) {
      if (pattern !== '^x-') walk(child, [...place, ANY_NAME], refs);
    }
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, [...place, ANY_NAME], refs);
    if (node.items) walk(node.items, [...place, ANY_INDEX], refs);
  };
  walk(schema, [], []);
  return out;
}
