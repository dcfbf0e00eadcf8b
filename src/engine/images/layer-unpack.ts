// Unpacking one image layer into its own directory, ready to be an overlay
// lower dir. A layer is untrusted input: nothing may land outside destDir.
// Entry paths are checked (no absolute paths, no `..`), every parent
// directory is lstat'ed (a symlink from the layer is never followed while
// writing), files are created with O_NOFOLLOW|O_EXCL, and hard links may
// only point at files of this layer. Docker whiteouts become overlayfs
// whiteouts; owners, modes and mtimes are kept.

import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  chmodSync,
  chownSync,
  utimesSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { Inflate } from './inflate.js';
import { applySpecialOps, type SpecialOp } from './special-files.js';

export class UnsafeLayerError extends Error {
  constructor(entry: string, why: string) {
    super(`unsafe layer entry ${JSON.stringify(entry)}: ${why}`);
    this.name = 'UnsafeLayerError';
  }
}

export interface UnpackResult {
  /** Docker's layer size: file bytes plus symlink target lengths, each inode once. */
  size: number;
  entries: number;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Path components of an entry, relative to the layer root; throws on escape attempts. */
export function entryComponents(name: string): string[] {
  if (name.startsWith('/')) throw new UnsafeLayerError(name, 'absolute path');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeLayerError(name, 'path contains ..');
  return parts;
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Write tar layer content into destDir (created if missing). */
export async function unpackLayer(tarStream: Readable, destDir: string): Promise<UnpackResult> {
  mkdirSync(destDir, { recursive: true, mode: 0o755 });
  const special: Array<SpecialOp | undefined> = [];
  const pendingNodes = new Map<string, number>(); // path → index in special
  const dirTimes: Array<{ parts: string[]; mtime: Date }> = [];
  let size = 0;
  let entries = 0;
  let failure: Error | undefined;

  /** The parent dir of parts, made if missing, refusing symlinks and non-dirs on the way. */
  const parentOf = (name: string, parts: string[]): string => {
    let dir = destDir;
    for (const p of parts.slice(0, -1)) {
      dir = join(dir, p);
      const st = lstatOrUndefined(dir);
      if (!st) mkdirSync(dir, { mode: 0o755 });
      else if (st.isSymbolicLink()) throw new UnsafeLayerError(name, `parent ${p} is a symlink`);
      else if (!st.isDirectory()) throw new UnsafeLayerError(name, `parent ${p} is not a directory`);
    }
    return dir;
  };

  /** Clear the way for a new non-directory object (or a directory replacing a non-directory). */
  const clear = (full: string, keepDir: boolean): Stats | undefined => {
    const st = lstatOrUndefined(full);
    if (!st) return undefined;
    if (st.isDirectory()) {
      if (keepDir) return st;
      rmSync(full, { recursive: true, force: true });
    } else unlinkSync(full);
    return undefined;
  };

  const forget = (key: string) => {
    const i = pendingNodes.get(key);
    // A later entry at the same path replaces an earlier device or whiteout.
    if (i !== undefined) {
      special[i] = undefined;
      pendingNodes.delete(key);
    }
  };

  const handle = (entry: ReadEntry): void => {
    entries++;
    const name = entry.path;
    const parts = entryComponents(name);
    const mtime = entry.mtime ?? new Date(0);
    const uid = entry.uid ?? 0;
    const gid = entry.gid ?? 0;
    const mode = (entry.mode ?? 0o644) & 0o7777;
    if (parts.length === 0) {
      // The layer's root dir: only its metadata applies.
      if (entry.type === 'Directory') {
        chownSync(destDir, uid, gid);
        chmodSync(destDir, mode);
        dirTimes.push({ parts: [], mtime });
      }
      entry.resume();
      return;
    }
    const base = parts[parts.length - 1]!;
    const parent = parentOf(name, parts);
    const full = join(parent, base);
    const key = parts.join('/');

    if (base === OPAQUE) {
      special.push({ op: 'opaque', path: parts.slice(0, -1) });
      entry.resume();
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      // `.wh..wh.*` other than .opq are aufs bookkeeping with no overlay meaning.
      if (!base.startsWith(WHITEOUT + WHITEOUT)) {
        const target = [...parts.slice(0, -1), base.slice(WHITEOUT.length)];
        if (target[target.length - 1] === '' || target[target.length - 1] === '..') throw new UnsafeLayerError(name, 'bad whiteout');
        pendingNodes.set(target.join('/'), special.length);
        special.push({ op: 'node', path: target, kind: 'char', mode: 0, major: 0, minor: 0, uid, gid, mtime: mtime.getTime() * 1e6 });
      }
      entry.resume();
      return;
    }
    forget(key);

    switch (entry.type) {
      case 'Directory': {
        const existing = clear(full, true);
        if (!existing) mkdirSync(full, { mode });
        chownSync(full, uid, gid);
        chmodSync(full, mode);
        dirTimes.push({ parts, mtime });
        entry.resume();
        return;
      }
      case 'File':
      case 'OldFile':
      case 'ContiguousFile': {
        clear(full, false);
        const fd = openSync(full, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
        size += entry.size ?? 0;
        entry.on('data', (chunk: Buffer) => {
          if (failure) return;
          try {
            let off = 0;
            while (off < chunk.length) off += writeSync(fd, chunk, off);
          } catch (e) {
            failure ??= e as Error;
          }
        });
        entry.on('end', () => {
          try {
            // chown before chmod: chown clears setuid/setgid bits.
            fchownSync(fd, uid, gid);
            fchmodSync(fd, mode);
            futimesSync(fd, mtime, mtime);
          } catch (e) {
            failure ??= e as Error;
          } finally {
            closeSync(fd);
          }
        });
        return;
      }
      case 'SymbolicLink': {
        clear(full, false);
        symlinkSync(entry.linkpath ?? '', full);
        size += Buffer.byteLength(entry.linkpath ?? '');
        lchownSync(full, uid, gid);
        lutimesSync(full, mtime, mtime);
        entry.resume();
        return;
      }
      case 'Link': {
        const targetParts = entryComponents(entry.linkpath ?? '');
        if (targetParts.length === 0) throw new UnsafeLayerError(name, 'hard link to the layer root');
        const target = join(parentOf(entry.linkpath ?? '', targetParts), targetParts[targetParts.length - 1]!);
        const st = lstatOrUndefined(target);
        if (!st) throw new UnsafeLayerError(name, `hard link target ${entry.linkpath} is not in this layer`);
        if (st.isDirectory()) throw new UnsafeLayerError(name, 'hard link to a directory');
        if (target !== full) {
          clear(full, false);
          linkSync(target, full);
        }
        entry.resume();
        return;
      }
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO': {
        clear(full, false);
        const kind = entry.type === 'FIFO' ? 'fifo' : entry.type === 'BlockDevice' ? 'block' : 'char';
        pendingNodes.set(key, special.length);
        special.push({
          op: 'node',
          path: parts,
          kind,
          mode,
          major: entry.header.devmaj ?? 0,
          minor: entry.header.devmin ?? 0,
          uid,
          gid,
          mtime: mtime.getTime() * 1e6,
        });
        entry.resume();
        return;
      }
      default:
        // Sparse files, GNU volume headers and the like: docker skips them too.
        entry.resume();
    }
  };

  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      if (failure) return void entry.resume();
      try {
        handle(entry);
      } catch (e) {
        failure = e as Error;
        entry.resume();
      }
    },
  });

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (e?: Error) => {
      if (settled) return;
      settled = true;
      if (e) reject(e);
      else resolve();
    };
    // Gzip layers are inflated here rather than by node-tar, whose
    // decompression-ratio guard would refuse legitimately sparse layers.
    const inflate = new Inflate();
    tarStream.on('error', (e) => settle(e));
    inflate.on('error', (e) => settle(e));
    // A layer that adds nothing is a tar of end blocks alone (docker's empty
    // layer); node-tar cannot tell its format and says so.
    let onlyZeros = true;
    inflate.on('data', (c: Buffer) => {
      if (onlyZeros && c.some((b) => b !== 0)) onlyZeros = false;
    });
    parser.on('error', (e: Error & { code?: string }) => settle(e.code === 'TAR_BAD_ARCHIVE' && onlyZeros ? undefined : new Error(`reading layer tar: ${e.message}`)));
    parser.on('end', () => settle());
    tarStream.pipe(inflate).pipe(parser as unknown as NodeJS.WritableStream);
  });
  if (failure) throw failure;

  await applySpecialOps(
    destDir,
    special.filter((s): s is SpecialOp => s !== undefined),
  );
  // Directory mtimes last: making their children changed them.
  for (const { parts, mtime } of dirTimes.reverse()) {
    const full = join(destDir, ...parts);
    const st = lstatOrUndefined(full);
    if (st?.isDirectory()) utimesSync(full, mtime, mtime);
  }
  return { size, entries };
}
