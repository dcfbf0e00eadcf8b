// A tar of chosen host paths, each under the name it gets in the archive,
// read lazily: what a watch sync copies into a container, and what a build
// sends as its context. Files added from memory (an inline Dockerfile) come
// after them.

import { lstat } from 'node:fs/promises';
import { encodeHeader, END_OF_ARCHIVE, padding } from './tar-format.js';
import { packPath } from './tar-pack.js';

export interface ArchiveEntry {
  /** Path on the host. */
  host: string;
  /** Name in the archive; a leading `/` is dropped. */
  name: string;
  isDir: boolean;
}

export async function* archiveOf(entries: ArchiveEntry[], extra: Array<{ name: string; content: Buffer }> = []): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    const name = entry.name.replace(/^\/+/, '');
    if (entry.isDir) {
      const st = await lstat(entry.host).catch(() => undefined);
      if (!st) continue;
      yield encodeHeader({ name: `${name}/`, type: 'directory', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000), linkname: '' });
      continue;
    }
    try {
      for await (const chunk of packPath(entry.host, { root: name })) if (chunk !== END_OF_ARCHIVE) yield chunk;
    } catch (e) {
      // Deleted between the listing and the read: it is simply not in this archive.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  const now = Math.floor(Date.now() / 1000);
  for (const f of extra) {
    yield encodeHeader({ name: f.name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: f.content.length, mtime: now, linkname: '' });
    yield f.content;
    yield Buffer.alloc(padding(f.content.length));
  }
  yield END_OF_ARCHIVE;
}
