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
 * A deep copy that writes typed values back through `rules`, leaves out
 * undefined members, and sorts keys when `sort` is set.
 */
function writeBack(value: unknown, rules: FieldRules | FieldCodec | undefined, sort: boolean): unknown {
  if (rules instanceof FieldCodec) return writeBack(rules.render(value), undefined, sort);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const each = rules?.['*'];
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // Scalars without a rule are their own copy: no call for each of the many list strings.
      out[i] = item === undefined ? null : each === undefined && (typeof item !== 'object' || item === null) ? item : writeBack(item, each, sort);
    }
    return out;
  }
  const keys = Object.keys(value);
  if (sort) keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const rule = rules !== undefined && Object.hasOwn(rules, key) ? rules[key] : undefined;
    out[key] = rule === undefined && (typeof v !== 'object' || v === null) ? v : writeBack(v, rule, sort && !key.startsWith('x-'));
  }
  return out;
}

/** One service as it is written under `services:` (its `name` is the key there). */
export function serviceToDocument(service: ServiceConfig): Record<string, unknown> {
  const { name: _name, ...attributes }: Record<string, unknown> = service;
  // Binding fills in an empty environment; a file without one is the same file.
  if (isPlainMapping(attributes.environment) && Object.keys(attributes.environment).length === 0) {
    delete attributes.environment;
  }
  return writeBack(attributes, SERVICE_FIELDS, true) as Record<string, unknown>;
}

const RESOURCE_SECTIONS = ['networks', 'volumes', 'secrets', 'configs', 'models'] as const;

/** A plain compose document, accepted by the official schema; durations as Go-style strings. */
export function projectToDocument(project: Project): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const name of Object.keys(project.services).sort()) {
    services[name] = serviceToDocument(project.services[name]!);
  }
  const doc: Record<string, unknown> = { name: project.name, services };
  for (const section of RESOURCE_SECTIONS) {
    const entries = project[section];
    if (entries && Object.keys(entries).length > 0) doc[section] = writeBack(entries, undefined, true);
  }
  for (const key of Object.keys(project.extensions).sort()) {
    doc[key] = writeBack(project.extensions[key], undefined, false);
  }
  return doc;
}
