// Where `compose cp` puts things, decided before any byte moves, with
// `docker cp`'s rules. An archive's entries sit under one root: the source's
// base name (`app`, `a.txt`), or `.` for `dir/.` (its contents). The plan says
// which directory to unpack into and what to call that root there:
//   destination is a directory      → unpack into it: dest/app
//   destination is a file           → a file replaces it; a directory cannot
//   destination does not exist      → the source takes the destination's name
//                                     (its parent must exist); a path ending
//                                     in `/` must be a directory already

import { GantryError } from '../common/errors.js';

export interface SourceInfo {
  isDir: boolean;
  /** The root's name in the archive: a base name, or `.`. */
  root: string;
  /** What the root should be called when it lands in a directory; `root` unless -L renamed it. */
  name?: string;
}

export interface DestinationInfo {
  /** The destination with links resolved, as the side that holds it writes paths. */
  path: string;
  exists: boolean;
  isDir: boolean;
  /** How to show it in errors: `web:/app` or `./out`. */
  shown: string;
}

export interface CopyPlan {
  /** The directory the archive is unpacked into. */
  dir: string;
  /** The root's new name, when it changes. */
  rename?: { from: string; to: string };
}

export function planCopy(src: SourceInfo, dst: DestinationInfo): CopyPlan {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  const renamed = (to: string): CopyPlan => (src.root === to ? { dir: dstDir } : { dir: dstDir, rename: { from: src.root, to } });
  if (dst.exists && dst.isDir) {
    const name = src.name ?? src.root;
    return name === src.root ? { dir: dst.path } : { dir: dst.path, rename: { from: src.root, to: name } };
  }
  if (dst.exists && src.isDir) {
    throw new GantryError('usage', `cannot copy a directory to a file: ${dst.shown} is a file`, { hint: 'name a directory, or a path that does not exist yet' });
  }
  if (!dst.exists && !src.isDir && assertsDirectory(dst.path)) {
    throw new GantryError('usage', `destination directory ${dst.shown} does not exist`, { hint: 'create the directory first, or drop the trailing / to copy to a file of that name' });
  }
  return renamed(dstBase);
}

/**
 * `/a/b` → [`/a`, `b`]; `/a/b/` → [`/a`, `b`]; `/a/b/.` → [`/a/b`, `.`]: a
 * trailing `/.` means the directory's contents, and is kept as the base.
 */
export function splitPathDirEntry(path: string): [string, string] {
  let cleaned = cleanPath(path);
  if (specifiesCurrentDir(path)) cleaned = cleaned === '/' ? '/.' : `${cleaned}/.`;
  const slash = cleaned.lastIndexOf('/');
  if (slash < 0) return ['.', cleaned];
  return [slash === 0 ? '/' : cleaned.slice(0, slash), cleaned.slice(slash + 1) || '/'];
}

/** Ends in `/` or `/.`: the path must be a directory. */
export function assertsDirectory(path: string): boolean {
  return path.endsWith('/') || specifiesCurrentDir(path);
}

function specifiesCurrentDir(path: string): boolean {
  return path === '.' || path.endsWith('/.');
}

/** Lexical clean-up, as Go's path.Clean: no `.` or empty parts, `..` resolved where it can be. */
export function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else if (p === '..' && absolute) continue;
    else parts.push(p);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** An archive entry's name under the plan's rename: `app/x` → `code/x` for app → code. */
export function rebaseEntry(name: string, rename: CopyPlan['rename']): string {
  if (!rename) return name;
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  if (first !== rename.from) return name;
  return rename.to + (slash < 0 ? '' : name.slice(slash));
}
