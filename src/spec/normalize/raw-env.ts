// `env_file: {format: raw}`: lines are taken as written, the way
// `docker run --env-file` reads them — no quotes, no interpolation.

import { GantryError } from '../../common/errors.js';
import type { Lookup } from '../context.js';

export function parseRawEnv(text: string, file: string, lookup: Lookup): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (name === '' || /\s/.test(name)) {
      throw new GantryError('file', `${file}:${i + 1}: "${line}" does not start with a variable name`, {
        position: { file, line: i + 1, col: 1 },
        hint: 'write NAME=value, one per line, with no spaces in NAME',
      });
    }
    if (eq >= 0) out[name] = line.slice(eq + 1);
    else {
      // A bare NAME takes its value from the environment, if it is set there.
      const v = lookup(name);
      if (v !== undefined) out[name] = v;
    }
  }
  return out;
}
