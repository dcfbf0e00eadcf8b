// A local file or directory → a tar stream, read lazily: one header, then the
// file's bytes as they are read from disk, so copying a large tree into a
// container needs no memory for it. Symbolic links inside a directory are
// archived as links; only the top one is followed, and only when asked (-L).

import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeHeader, END_OF_ARCHIVE, padding, type EntryType, type TarHeader } from './tar-format.js';

export interface PackOptions {
  /** The name the source gets in the archive (a base name, or `.` for a directory's contents). */
  root: string;
  /** Archive what a top-level symbolic link points to, not the link. */
  followLink?: boolean;
}

export async function* packPath(source: string, opts: PackOptions): AsyncGenerator<Buffer> {
  const top = opts.followLink ? await stat(source) : await lstat(source);
  const links = new Map<string, string>();
  yield* entry(source, opts.root, top, links);
  yield END_OF_ARCHIVE;
}

async function* entry(path: string, name: string, st: Stats, links: Map<string, string>): AsyncGenerator<Buffer> {
  const type = typeOf(st);
  if (!type) return; // sockets and devices are not copied
  const header: TarHeader = { name, type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000), linkname: '' };
  if (type === 'symlink') header.linkname = await readlink(path);
  if (type === 'file' && st.nlink > 1) {
    // A second name of a file already archived: a hard link to it.
    const key = `${st.dev}:${st.ino}`;
    const first = links.get(key);
    if (first !== undefined) {
      yield encodeHeader({ ...header, type: 'hardlink', linkname: first });
      return;
    }
    links.set(key, name);
  }
  if (type === 'file') header.size = st.size;
  yield encodeHeader(header);
  if (type === 'file') yield* content(path, st.size);
  if (type === 'directory') {
    const names = (await readdir(path)).sort();
    for (const child of names) {
      const childPath = join(path, child);
      const childName = name === '.' ? `./${child}` : `${name.replace(/\/$/, '')}/${child}`;
      yield* entry(childPath, childName, await lstat(childPath), links);
    }
  }
}

/** Exactly `size` bytes of the file, padded to a block; a file that changed size meanwhile is cut or zero-filled. */
async function* content(path: string, size: number): AsyncGenerator<Buffer> {
  let sent = 0;
  if (size > 0) {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      const b = chunk as Buffer;
      const n = Math.min(b.length, size - sent);
      if (n > 0) yield n === b.length ? b : b.subarray(0, n);
      sent += n;
      if (sent >= size) break;
    }
  }
  if (sent < size) yield Buffer.alloc(size - sent);
  const pad = padding(size);
  if (pad) yield Buffer.alloc(pad);
}

function typeOf(st: Stats): EntryType | undefined {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  return undefined;
}
