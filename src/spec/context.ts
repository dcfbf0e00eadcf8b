// What every loader stage may need besides the tree: a way to warn once
// without printing (library code never writes to stdout or stderr).

import type { Position } from '../common/errors.js';

export interface Warning {
  message: string;
  path?: string;
  position?: Position;
}

export type WarningSink = (w: Warning) => void;

/** Looks a variable up for interpolation; undefined means unset. */
export type Lookup = (name: string) => string | undefined;

/** Collects warnings and drops exact repeats, so a field warns once. */
export function dedupeWarnings(sink: WarningSink): WarningSink {
  const seen = new Set<string>();
  return (w) => {
    const key = `${w.message}\u0000${w.path ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    sink(w);
  };
}
