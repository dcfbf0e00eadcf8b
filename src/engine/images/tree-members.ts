// Files on disk as tar members: one entry from its lstat, and a whole tree
// walked lazily, parents before children, names sorted. Links are never
// followed below the root; a file with several names is written once and its
// other names become hard links to the first. (node-tar's Pack did this job
// for `GET /containers/{id}/archive` until its deferred hard-link handling
// was seen to stall a stream for good now and then.)

import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { TarMember } from './tar-writer.js';

/** Inode → the first archive path that carried its data. */
export type InodeNames = Map<string, string>;

/**
 * The member for the entry at `full`, named `path` in the archive; undefined
 * for what tar cannot hold (sockets), as docker drops them too.
 */
export function statMember(full: string, path: string, st: Stats, seen: InodeNames): TarMember | undefined {
  const base = { path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
  if (st.isDirectory()) return { ...base, path: path.endsWith('/') ? path : `${path}/`, type: 'Directory' };
  if (st.isSymbolicLink()) return { ...base, type: 'SymbolicLink', linkpath: readlinkSync(full) };
  if (st.isFile()) {
    const inode = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1 ? seen.get(inode) : undefined;
    if (first !== undefined) return { ...base, type: 'Link', linkpath: first };
    if (st.nlink > 1) seen.set(inode, path);
    return { ...base, type: 'File', file: { path: full, size: st.size } };
  }
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    const devmaj = Math.floor(st.rdev / 256) & 0xfff;
    const devmin = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
    return { ...base, type: st.isCharacterDevice() ? 'CharacterDevice' : 'BlockDevice', devmaj, devmin };
  }
  if (st.isFIFO()) return { ...base, type: 'FIFO' };
  return undefined;
}

/**
 * The tree at `dir` with its entries named under `root` (`app`, or `.` for a
 * directory's contents, or '' for the contents with bare names and no entry
 * for the top, as `docker export` writes a filesystem). A `dir` that is not
 * a directory yields itself alone.
 */
export function* treeMembers(dir: string, root: string): Generator<TarMember> {
  const seen: InodeNames = new Map();
  const top = lstatSync(dir);
  if (root !== '') {
    const topMember = statMember(dir, root, top, seen);
    if (topMember) yield topMember;
  }
  if (!top.isDirectory()) return;
  const prefix = root === '' ? '' : root === '.' ? './' : `${root}/`;
  function* walk(full: string, path: string): Generator<TarMember> {
    for (const name of readdirSync(full).sort()) {
      const childFull = join(full, name);
      const childPath = `${path}${name}`;
      let st: Stats;
      try {
        st = lstatSync(childFull);
      } catch {
        continue; // removed while we walked: a running container's files change
      }
      const m = statMember(childFull, childPath, st, seen);
      if (!m) continue;
      yield m;
      if (st.isDirectory()) yield* walk(childFull, `${childPath}/`);
    }
  }
  yield* walk(dir, prefix);
}
