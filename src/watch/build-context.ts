// The files of a build context as docker sends them: everything but what the
// context's ignore file (or `<Dockerfile>.dockerignore`) drops, the
// Dockerfile and the ignore file always included. The watcher's default
// ignores (.git, editor temporary files) apply too: a rebuild should not
// depend on them.

import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SyncEntry } from './batch-plan.js';
import { everything } from './initial-sync.js';
import { PathFilter, readContextIgnore } from './path-filter.js';

/** Each entry's `container` is its path in the context, from `/`. */
export async function buildContextFiles(dir: string, dockerfile = 'Dockerfile'): Promise<SyncEntry[]> {
  const filter = new PathFilter({ path: dir, ignore: [], include: [] }, readContextIgnore(dir, dockerfile));
  const entries: SyncEntry[] = (await everything(filter))
    .filter((c) => c.path !== dir)
    .map((c) => ({ host: c.path, container: c.path.slice(dir.length), isDir: c.kind === 'addDir' }));
  for (const name of [dockerfile, '.dockerignore']) {
    const host = join(dir, name);
    if (entries.some((e) => e.host === host)) continue;
    const st = await lstat(host).catch(() => undefined);
    if (st?.isFile()) entries.push({ host, container: host.slice(dir.length), isDir: false });
  }
  return entries;
}
