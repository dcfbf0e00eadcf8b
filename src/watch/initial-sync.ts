// `initial_sync`: at the start, everything under a sync rule's path that its
// filter accepts, as changes, so the first sync makes the container match.

import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileChange } from './change-batch.js';
import type { PathFilter } from './path-filter.js';

export async function everything(filter: PathFilter): Promise<FileChange[]> {
  const out: FileChange[] = [];
  const walk = async (path: string): Promise<void> => {
    const st = await lstat(path).catch(() => undefined);
    if (!st || filter.skips(path)) return;
    if (!st.isDirectory()) {
      if (filter.accepts(path)) out.push({ path, kind: 'add' });
      return;
    }
    out.push({ path, kind: 'addDir' });
    for (const name of (await readdir(path)).sort()) await walk(join(path, name));
  };
  await walk(filter.rule.path);
  return out;
}
