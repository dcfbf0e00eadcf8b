// A small tar producer for archives whose members we already know (docker
// save output, hand-made layers): node-tar's Pack only adds files from disk,
// while these members are blobs, buffers and entries that must be spelled
// exactly (whiteouts, device nodes).

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Header, Pax } from 'tar';

export type TarEntryType = 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';

export interface TarMember {
  path: string;
  type?: TarEntryType;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
  linkpath?: string;
  devmaj?: number;
  devmin?: number;
  /** File content: bytes, or a file on disk of `size` bytes. */
  data?: Buffer | string;
  file?: { path: string; size: number };
}

const BLOCK = 512;

function headerBlocks(m: TarMember, size: number): Buffer {
  const type = m.type ?? 'File';
  const fields = {
    path: m.path,
    type,
    mode: m.mode ?? (type === 'Directory' ? 0o755 : 0o644),
    uid: m.uid ?? 0,
    gid: m.gid ?? 0,
    size,
    mtime: m.mtime ?? new Date(0),
    linkpath: m.linkpath ?? '',
    devmaj: m.devmaj ?? 0,
    devmin: m.devmin ?? 0,
    uname: '',
    gname: '',
  };
  const block = Buffer.alloc(BLOCK);
  const needPax = new Header(fields).encode(block, 0);
  if (!needPax) return block;
  // Long names: a PAX record carries the real path, the ustar header a stub.
  const pax = new Pax({ path: m.path, linkpath: m.linkpath, mtime: fields.mtime }).encode();
  const stub = Buffer.alloc(BLOCK);
  new Header({ ...fields, path: m.path.slice(-99), linkpath: (m.linkpath ?? '').slice(-99) }).encode(stub, 0);
  return Buffer.concat([pax, stub]);
}

async function* tarChunks(members: Iterable<TarMember> | AsyncIterable<TarMember>): AsyncGenerator<Buffer> {
  for await (const m of members) {
    const body = typeof m.data === 'string' ? Buffer.from(m.data) : m.data;
    const size = body?.length ?? m.file?.size ?? 0;
    yield headerBlocks(m, size);
    if (body) yield body;
    else if (m.file) {
      // Only the bytes the header promised: a file that grew since it was
      // looked at (a running container's log) is cut there, not an error.
      let seen = 0;
      for await (const chunk of size ? createReadStream(m.file.path, { end: size - 1 }) : []) {
        seen += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (seen !== size) throw new Error(`${m.file.path} shrank while archiving (${seen} bytes, expected ${size})`);
    }
    const pad = size % BLOCK;
    if (pad) yield Buffer.alloc(BLOCK - pad);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** A tar stream of the members, in order. */
export function tarStream(members: Iterable<TarMember> | AsyncIterable<TarMember>): Readable {
  return Readable.from(tarChunks(members), { objectMode: false });
}

/** The whole tar in memory: for small hand-made archives. */
export async function tarBuffer(members: Iterable<TarMember>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of tarChunks(members)) parts.push(c);
  return Buffer.concat(parts);
}
