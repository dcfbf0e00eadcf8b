// The package's own version, read once from package.json beside dist/ or src/.

import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached) return cached;
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      cached = (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
      return cached;
    } catch {
      // not at this depth; src/ under tsx is one level shallower than dist/src/
    }
  }
  return 'unknown';
}
