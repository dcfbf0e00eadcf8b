// A lock shared by every gantry engine on the host (each has its own data
// root, but they share one routing table): choosing a subnet and putting it on
// a bridge must not interleave between engines, or two of them pick the same
// free subnet. The lock is a directory made atomically under /run; one left
// by a process that died is taken over.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK_ROOT = '/run/gantry-locks';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withHostLock<T>(name: string, work: () => Promise<T>, waitMs = 30_000): Promise<T> {
  mkdirSync(LOCK_ROOT, { recursive: true, mode: 0o700 });
  const dir = join(LOCK_ROOT, name);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      } catch {
        // Made but not yet written by its holder: wait like for any other holder.
      }
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`the host lock ${dir} is held by process ${holder || 'unknown'} for more than ${waitMs / 1000}s`);
      else await sleep(10);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
