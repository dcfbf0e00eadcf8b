// COPY and ADD: sources found in a root (the build context, or another
// stage's filesystem for `--from`) copied into the image's root filesystem.
// Every path on either side is resolved inside its own root, so neither a
// symlink in the context nor one in the image can lead the copy outside.

import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  createReadStream,
  lchownSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmSync,
  symlinkSync,
  type Stats,
} from 'node:fs';
import { posix } from 'node:path';
import { badRequest } from '../../api/api-error.js';
import { resolveInRoot } from '../../containers/resolve-in-root.js';
import { unpackLayer } from '../layer-unpack.js';

export interface Source {
  /** Path inside its root, `/`-rooted. */
  path: string;
  host: string;
}

export interface Owner {
  uid: number;
  gid: number;
}

const GLOB = /[*?[]/;

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function globRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** What a source pattern names in root; wildcards match per path segment. */
export function findSources(root: string, pattern: string, what: string): Source[] {
  const clean = posix.normalize(`/${pattern}`);
  if (!GLOB.test(clean)) {
    const host = resolveInRoot(root, clean);
    if (!lstatOrUndefined(host)) throw badRequest(`${what}: file not found in build context or excluded by .dockerignore: stat ${pattern}: file does not exist`);
    return [{ path: clean, host }];
  }
  let paths = ['/'];
  for (const seg of clean.split('/').filter(Boolean)) {
    if (!GLOB.test(seg)) {
      paths = paths.map((p) => posix.join(p, seg)).filter((p) => lstatOrUndefined(resolveInRoot(root, p)));
      continue;
    }
    const re = globRegex(seg);
    paths = paths.flatMap((p) => {
      const host = resolveInRoot(root, p);
      if (!lstatOrUndefined(host)?.isDirectory()) return [];
      return readdirSync(host)
        .filter((n) => re.test(n))
        .sort()
        .map((n) => posix.join(p, n));
    });
  }
  if (paths.length === 0) throw badRequest(`${what}: no source files were specified matching ${pattern}`);
  return paths.map((p) => ({ path: p, host: resolveInRoot(root, p) }));
}

/** A digest of the sources' names, modes and contents: the cache key of a COPY. */
export function sourcesDigest(sources: Source[]): string {
  const h = createHash('sha256');
  const visit = (host: string, name: string) => {
    const st = lstatSync(host);
    h.update(`${name}\0${st.mode}\0`);
    if (st.isSymbolicLink()) h.update(readlinkSync(host));
    else if (st.isFile()) h.update(readFileSync(host));
    else if (st.isDirectory()) for (const n of readdirSync(host).sort()) visit(posix.join(host, n), `${name}/${n}`);
    h.update('\0');
  };
  for (const s of sources) visit(s.host, s.path);
  return h.digest('hex');
}

/** `user[:group]` as numbers; names are looked up in the image's /etc/passwd and /etc/group. */
export function parseChown(spec: string, rootfs: string): Owner {
  const [user = '', group] = spec.split(':');
  const lookup = (file: string, name: string, field: number): number => {
    if (/^\d+$/.test(name)) return Number(name);
    let text = '';
    try {
      text = readFileSync(resolveInRoot(rootfs, file), 'utf8');
    } catch {
      // No such file: the name cannot be known.
    }
    for (const line of text.split('\n')) {
      const parts = line.split(':');
      if (parts[0] === name) return Number(parts[field]);
    }
    throw badRequest(`unable to convert uid/gid chown string to host mapping: no such ${file.endsWith('passwd') ? 'user' : 'group'} ${name} in ${file}`);
  };
  const uid = lookup('/etc/passwd', user, 2);
  let gid: number;
  if (group !== undefined) gid = lookup('/etc/group', group, 2);
  else if (/^\d+$/.test(user)) gid = uid;
  else gid = lookup('/etc/passwd', user, 3);
  return { uid, gid };
}

function isArchive(host: string): boolean {
  const fd = openSync(host, 'r');
  try {
    const head = Buffer.alloc(512);
    const n = readSync(fd, head, 0, 512, 0);
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
    return n >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    closeSync(fd);
  }
}

interface CopyOptions {
  owner: Owner;
  /** Octal mode for every copied file and dir (`--chmod`). */
  mode?: number;
  /** ADD: local tar archives are unpacked instead of copied. */
  extractArchives: boolean;
}

/** Copy one filesystem object (recursively) to `dest`, a path inside `rootfs`. */
function copyTree(src: string, rootfs: string, dest: string, opts: CopyOptions): void {
  const st = lstatSync(src);
  const isDir = st.isDirectory();
  const target = resolveInRoot(rootfs, dest, isDir);
  const existing = lstatOrUndefined(target);
  if (existing && (!isDir || !existing.isDirectory())) rmSync(target, { recursive: true, force: true });
  const mode = opts.mode ?? st.mode & 0o7777;
  if (isDir) {
    if (!existing?.isDirectory()) mkdirSync(target, { mode: 0o755 });
    for (const name of readdirSync(src).sort()) copyTree(posix.join(src, name), rootfs, posix.join(dest, name), opts);
    lchownSync(target, opts.owner.uid, opts.owner.gid);
    chmodSync(target, mode);
  } else if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(src), target);
    lchownSync(target, opts.owner.uid, opts.owner.gid);
  } else if (st.isFile()) {
    copyFileSync(src, target);
    lchownSync(target, opts.owner.uid, opts.owner.gid);
    chmodSync(target, mode);
  } else {
    // Devices, fifos and sockets in a context have no meaning in an image.
    return;
  }
  lutimesSync(target, st.atime, st.mtime);
}

/** Directories on the way to `dir` (inside rootfs), made like docker makes them: root-owned, 0755. */
function makeDirs(rootfs: string, dir: string, owner: Owner): void {
  let cur = '/';
  for (const seg of dir.split('/').filter(Boolean)) {
    cur = posix.join(cur, seg);
    const host = resolveInRoot(rootfs, cur);
    const st = lstatOrUndefined(host);
    if (st?.isDirectory()) continue;
    if (st) throw badRequest(`cannot copy to ${dir}: ${cur} is not a directory`);
    mkdirSync(host, { mode: 0o755 });
    lchownSync(host, owner.uid, owner.gid);
  }
}

/** COPY/ADD semantics for where each source lands: `dest/` or several sources mean a directory. */
export async function copyInto(rootfs: string, sources: Source[], dest: string, opts: CopyOptions): Promise<void> {
  const destIsDir = dest.endsWith('/') || dest.endsWith('/.') || sources.length > 1 || lstatOrUndefined(resolveInRoot(rootfs, dest))?.isDirectory() === true;
  const destPath = posix.normalize(dest);
  const rootOwner = { uid: 0, gid: 0 };
  for (const s of sources) {
    const st = lstatSync(s.host);
    if (st.isDirectory()) {
      makeDirs(rootfs, destPath, opts.owner.uid || opts.owner.gid ? opts.owner : rootOwner);
      for (const name of readdirSync(s.host).sort()) copyTree(posix.join(s.host, name), rootfs, posix.join(destPath, name), opts);
      continue;
    }
    if (opts.extractArchives && st.isFile() && isArchive(s.host)) {
      makeDirs(rootfs, destPath, rootOwner);
      await unpackLayer(createReadStream(s.host), resolveInRoot(rootfs, destPath));
      continue;
    }
    const target = destIsDir ? posix.join(destPath, posix.basename(s.path)) : destPath;
    makeDirs(rootfs, posix.dirname(target), rootOwner);
    copyTree(s.host, rootfs, target, opts);
  }
}
