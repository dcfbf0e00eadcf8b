// `GET/HEAD/PUT /containers/{id}/archive`: a tar of a path in the container,
// and a tar extracted into a directory of it. The path is resolved inside
// the container's root (see resolve-in-root.ts); the tar out is written by
// the engine's own tar writer, and node-tar, unpacking, refuses to write
// outside the target or through symlinks.

import { chmodSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { basename, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { extract as tarExtract, type ReadEntry } from 'tar';
import { tarStream, treeMembers } from '../images/index.js';
import { badRequest, notFound } from '../api/api-error.js';
import { resolveInRoot } from './resolve-in-root.js';

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** docker's `X-Docker-Container-Path-Stat` value: base64 of this JSON. */
export function statPath(root: string, path: string): { stat: PathStat; hostPath: string } {
  const hostPath = resolveInRoot(root, path, false);
  let st;
  try {
    st = lstatSync(hostPath);
  } catch {
    throw notFound(`Could not find the file ${path} in container`);
  }
  const goMode = goFileMode(st.mode);
  return {
    hostPath,
    stat: { name: basename(path) || '/', size: st.size, mode: goMode, mtime: st.mtime.toISOString(), linkTarget: st.isSymbolicLink() ? readlinkSync(hostPath) : '' },
  };
}

/** Go's os.FileMode bits, which docker clients decode. */
function goFileMode(mode: number): number {
  let m = mode & 0o777;
  const type = mode & 0o170000;
  if (type === 0o040000) m |= 0x80000000;
  else if (type === 0o120000) m |= 0x08000000;
  else if (type === 0o010000) m |= 0x02000000;
  else if (type === 0o140000) m |= 0x01000000;
  else if (type === 0o020000) m |= 0x04000000 | 0x00200000;
  else if (type === 0o060000) m |= 0x04000000;
  if (mode & 0o4000) m |= 0x00800000;
  if (mode & 0o2000) m |= 0x00400000;
  if (mode & 0o1000) m |= 0x00100000;
  return m >>> 0;
}

export function archivePath(root: string, path: string): Readable {
  const followLast = path.endsWith('/') || path.endsWith('/.');
  const hostPath = resolveInRoot(root, path, followLast);
  try {
    lstatSync(hostPath);
  } catch {
    throw notFound(`Could not find the file ${path} in container`);
  }
  // `dir/.` means the directory's contents: docker rebases the entries on `.`.
  return tarStream(treeMembers(hostPath, path.endsWith('/.') ? '.' : basename(hostPath)));
}

export async function extractInto(root: string, path: string, tar: Readable, opts: { noOverwriteDirNonDir?: boolean } = {}): Promise<void> {
  const hostPath = resolveInRoot(root, path, true);
  let st;
  try {
    st = statSync(hostPath);
  } catch {
    throw notFound(`Could not find the file ${path} in container`);
  }
  if (!st.isDirectory()) throw badRequest(`extraction point is not a directory: ${path}`);
  // Modes exactly as the archive gives them, as docker sets them: node-tar
  // creates files through the engine's umask (0644 for a 0664 entry), so
  // what it wrote is chmodded again once it is done. Directories the
  // archive does not list are made 0755.
  const written: Array<{ path: string; mode: number }> = [];
  await new Promise<void>((resolve, reject) => {
    const x = tarExtract({ cwd: hostPath, preserveOwner: true, unlink: true, strict: false, noChmod: false, dmode: 0o755 });
    x.on('entry', (e: ReadEntry) => {
      if ((e.type === 'File' || e.type === 'OldFile' || e.type === 'Directory') && typeof e.mode === 'number') written.push({ path: e.path, mode: e.mode & 0o7777 });
    });
    x.on('error', reject);
    x.on('close', resolve);
    x.on('finish', resolve);
    tar.on('error', reject);
    tar.pipe(x as unknown as NodeJS.WritableStream);
  });
  for (const w of written) {
    // Through resolveInRoot, never through a link the archive planted.
    let target: string;
    try {
      target = resolveInRoot(root, posix.join(path, w.path), false);
    } catch {
      continue;
    }
    const st = lstatOrUndefined(target);
    if (st && (st.isFile() || st.isDirectory()) && (st.mode & 0o7777) !== w.mode) chmodSync(target, w.mode);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
