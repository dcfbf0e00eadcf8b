// Temporary directories for tests, removed when the test process exits
// (mocha runs with --exit, so the 'exit' event always comes): helpers that
// make one per case need no after-hook of their own, and runs leave /tmp as
// they found it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
