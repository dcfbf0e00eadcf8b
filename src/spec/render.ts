// The Project back to a compose document (what `compose config` prints).
//
// The inverse of bind.ts, driven by the same SERVICE_FIELDS table: durations
// become Go-style strings (`1m30s`), sizes become numbers where the official
// schema takes a number and strings where it takes only strings, file modes
// octal text. Keys are sorted (services by name, then every mapping inside a
// service or resource) so the output is stable whatever order the files
// were written in; values under `x-*` keys stay as the user wrote them.

import { FieldCodec, SERVICE_FIELDS, type FieldRules } from './bind.js';
import type { Project, ServiceConfig } from './types.js';

function isPlainMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Keys in code-unit order, as Array.prototype.sort puts strings. Most
 * mappings have a handful of keys, often in order already: a check and an
 * insertion sort cost a third of the built-in sort for those.
 */
function sortKeys(keys: string[]): void {
  const n = keys.length;
  if (n > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    if (keys[j]! <= k) continue;
    do {
      keys[j + 1] = keys[j]!;
      j--;
    } while (j >= 0 && keys[j]! > k);
    keys[j + 1] = k;
  }
}

function isEmpty(m: Record<string, unknown>): boolean {
  for (const _ in m) return false;
  return true;
}

/**
 * Whether the copy being made writes each `$` of a string as `$$`. Set for
 * the length of one projectToDocument call (which calls nothing that renders
 * again), so the many calls of writeBack need not pass it along.
 */
let escaping = false;

function leaf(v: unknown): unknown {
  return escaping && typeof v === 'string' && v.indexOf('$') >= 0 ? v.replaceAll('$', '$$$$') : v;
}

/**
 * A deep copy that writes typed values back through `rules`, leaves out
 * undefined members, sorts keys when `sort` is set, and escapes `$` when
 * `escaping` is.
 */
function writeBack(value: unknown, rules: FieldRules | FieldCodec | undefined, sort: boolean, service = false): unknown {
  if (rules === undefined) return copyOf(value, sort);
  if (rules instanceof FieldCodec) return copyOf(rules.render(value), sort);
  if (typeof value !== 'object' || value === null) return leaf(value);
  if (Array.isArray(value)) {
    const each = rules['*'];
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = item === undefined ? null : writeBack(item, each, sort);
    }
    return out;
  }
  const keys = Object.keys(value);
  if (sort) sortKeys(keys);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    // A service's `name` is its key under `services:`. Binding fills in an
    // empty environment; a file without one is the same file.
    if (service && (key === 'name' || (key === 'environment' && isPlainMapping(v) && isEmpty(v)))) continue;
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    out[key] = rule === undefined ? copyOf(v, sort && !key.startsWith('x-')) : writeBack(v, rule, sort && !key.startsWith('x-'));
  }
  return out;
}

/** writeBack where no rule applies (most of a project): a copy, keys sorted when `sort` is set. */
function copyOf(value: unknown, sort: boolean): unknown {
  if (typeof value !== 'object' || value === null) return leaf(value);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // Scalars are their own copy: no call for each of the many list strings.
      out[i] = item === undefined ? null : typeof item !== 'object' || item === null ? leaf(item) : copyOf(item, sort);
    }
    return out;
  }
  const keys = Object.keys(value);
  if (sort) sortKeys(keys);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out[key] = typeof v !== 'object' || v === null ? leaf(v) : copyOf(v, sort && !key.startsWith('x-'));
  }
  return out;
}

/** One service as it is written under `services:` (its `name` is the key there). */
export function serviceToDocument(service: ServiceConfig): Record<string, unknown> {
  return writeBack(service, SERVICE_FIELDS, true, true) as Record<string, unknown>;
}

const RESOURCE_SECTIONS = ['networks', 'volumes', 'secrets', 'configs', 'models'] as const;

export interface DocumentOptions {
  /**
   * Write each `$` of a string as `$$`: interpolated values are final, and
   * the document is to be read again (as `compose config` output is) to the
   * same project.
   */
  escapeDollars?: boolean;
}

/** A plain compose document, accepted by the official schema; durations as Go-style strings. */
export function projectToDocument(project: Project, options: DocumentOptions = {}): Record<string, unknown> {
  escaping = options.escapeDollars === true;
  try {
    return documentOf(project);
  } finally {
    escaping = false;
  }
}

function documentOf(project: Project): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const name of Object.keys(project.services).sort()) {
    services[name] = serviceToDocument(project.services[name]!);
  }
  const doc: Record<string, unknown> = { name: leaf(project.name), services };
  for (const section of RESOURCE_SECTIONS) {
    const entries = project[section];
    if (entries && Object.keys(entries).length > 0) doc[section] = copyOf(entries, true);
  }
  for (const key of Object.keys(project.extensions).sort()) {
    doc[key] = copyOf(project.extensions[key], false);
  }
  return doc;
}
