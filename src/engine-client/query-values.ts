// How gantry's option values are written into Engine API query strings.

import type { Filters } from './container-types.js';

/** `filters=` as the engine wants it: JSON of name → accepted values; undefined when empty. */
export function filtersArg(filters: Filters | undefined): string | undefined {
  if (!filters) return undefined;
  const kept: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(filters)) if (values && values.length) kept[name] = values;
  return Object.keys(kept).length ? JSON.stringify(kept) : undefined;
}

/**
 * `since=` / `until=`: a Date or a number of seconds becomes a unix timestamp
 * (with fraction); a string passes through, since the engine itself reads
 * RFC 3339 times and relative durations like `10m`.
 */
export function timeArg(t: Date | number | string | undefined): string | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'string') return t;
  const seconds = t instanceof Date ? t.getTime() / 1000 : t;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(3);
}

/** A path segment naming an object: ids and names are escaped. */
export function segment(idOrName: string): string {
  return encodeURIComponent(idOrName);
}

/** An image reference in a path: its `/` and `:` stay, as the engine's router expects. */
export function imageSegment(ref: string): string {
  return encodeURIComponent(ref).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/g, '@');
}
