// Interpolation leaves strings where the specification wants numbers and
// booleans (`replicas: ${N}`): cast them back, as compose-go does for its
// table of typed paths, and say where a value does not cast.

import type { Node } from '../tree.js';
import { unresolved, valueError, warnAt, type Rule } from './site.js';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const toInteger: Rule = (value, site) => {
  if (typeof value !== 'string' || unresolved(site, value)) return value;
  const s = value.trim();
  if (INTEGER.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return n;
  }
  throw valueError(site, `${JSON.stringify(value)} is not a whole number`, 'use a whole number, e.g. 3');
};

export const toNumber: Rule = (value, site) => {
  if (typeof value !== 'string' || unresolved(site, value)) return value;
  const s = value.trim();
  if (DECIMAL.test(s)) return Number(s);
  throw valueError(site, `${JSON.stringify(value)} is not a number`, 'use a number, e.g. 2 or 0.5');
};

// YAML 1.1 spellings compose-go still accepts, with a warning.
const LEGACY_TRUE = new Set(['y', 'yes', 'on']);
const LEGACY_FALSE = new Set(['n', 'no', 'off']);

export const toBoolean: Rule = (value, site) => {
  if (typeof value !== 'string' || unresolved(site, value)) return value;
  const s = value.trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (LEGACY_TRUE.has(s) || LEGACY_FALSE.has(s)) {
    const b = LEGACY_TRUE.has(s);
    warnAt(site, `${JSON.stringify(value)} for a boolean is YAML 1.1; use \`${b}\``);
    return b;
  }
  throw valueError(site, `${JSON.stringify(value)} is not a boolean`, 'use true or false');
};

/** `count: all` stays a word; a number written as a string becomes a number. */
export const toCount: Rule = (value, site) => {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'all') return 'all';
  if (typeof value !== 'string' || unresolved(site, value)) return value;
  if (INTEGER.test(value.trim())) return Number(value.trim());
  throw valueError(site, `${JSON.stringify(value)} is not a device count`, 'use a whole number or "all"');
};

/** Scalars a mapping of strings may hold (labels, driver options) written as text. */
export function asText(value: Node): Node {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** Items of a list of strings written as numbers (`expose: [80]`) become text. */
export const listItemsAsText: Rule = (value) => {
  if (!Array.isArray(value)) return value;
  for (let i = 0; i < value.length; i++) value[i] = asText(value[i]!);
  return value;
};

/** Values of a mapping of strings written as numbers or booleans become text, in place. */
export const mapValuesAsText: Rule = (value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  for (const k of Object.keys(value)) value[k] = asText(value[k]!);
  return value;
};

/** `provenance: true` and `provenance: mode=max` are both kept as text. */
export const toText: Rule = (value) => asText(value);
