// One engine per data root: a pid file, checked for a live engine process so
// a stale file left by a crash (or SIGKILL) does not block the next start.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './store/document-store.js';

export function lockFile(dataRoot: string): string {
  return join(dataRoot, 'engine.pid');
}

/** The pid of a live engine on this data root, if there is one. */
export function runningEngine(dataRoot: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile(dataRoot), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /engine/.test(cmdline) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function takeLock(dataRoot: string): void {
  const other = runningEngine(dataRoot);
  if (other) throw new Error(`another gantry engine (pid ${other}) is already running on ${dataRoot}; stop it first (compose engine stop) or use another --data-root`);
  writeFileAtomic(lockFile(dataRoot), `${process.pid}\n`, 0o644);
}

export function releaseLock(dataRoot: string): void {
  if (runningEngine(dataRoot) === undefined) rmSync(lockFile(dataRoot), { force: true });
}
