// What an engine killed halfway through a start, an exit or a removal can
// leave on the host: a monitor (and its container) no record says runs, and
// directories of containers whose record never got written or is gone. The
// engine finds them here when it starts again, and lets go of them.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The monitor a state directory names, when it is still alive and still serving that directory. */
export function liveMonitor(stateDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(stateDir, 'monitor.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    // A recycled pid runs something else: only a monitor of this directory counts.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = args.indexOf('--state-dir');
    return args[0]?.endsWith('gantry-monitor') && at > 0 && args[at + 1] === stateDir ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process still runs. A zombie does not: an orphaned monitor
 * waits for an init that may be slow to reap it, and signal 0 would still
 * reach it.
 */
export function processRuns(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Resolves true once the process is gone, false after `ms`. */
export async function processGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!processRuns(pid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Names in a directory that match `pattern`, and that no record claims. */
export function unclaimed(dir: string, claimed: (name: string) => boolean, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => pattern.test(name) && !claimed(name));
}
