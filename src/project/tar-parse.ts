// A tar stream → events, chunk by chunk, however the chunks fall: an entry's
// header, then its data in pieces, then its end. Metadata entries (PAX
// headers, GNU long names) are folded into the entry they describe. Nothing is
// buffered beyond one header, so a large file streams through.

import { BLOCK, decodeHeader, padding, parsePax, type TarHeader } from './tar-format.js';

export type TarEvent = { kind: 'entry'; header: TarHeader } | { kind: 'data'; data: Buffer } | { kind: 'end-entry' } | { kind: 'end' };

export class TarParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Data bytes of the current entry still to come. */
  private remaining = 0;
  /** Zero bytes after the data, up to the block boundary. */
  private skip = 0;
  /** Set while collecting a metadata entry's body instead of passing it on. */
  private meta: { flag: string; chunks: Buffer[] } | undefined;
  private pax: Record<string, string> = {};
  private globalPax: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;
  private inEntry = false;
  private ended = false;

  push(chunk: Buffer): TarEvent[] {
    const events: TarEvent[] = [];
    let offset = 0;
    while (offset < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - offset);
        const piece = chunk.subarray(offset, offset + n);
        if (this.meta) this.meta.chunks.push(Buffer.from(piece));
        else events.push({ kind: 'data', data: piece });
        this.remaining -= n;
        offset += n;
        if (this.remaining === 0) this.finishEntry(events);
        continue;
      }
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - offset);
        this.skip -= n;
        offset += n;
        continue;
      }
      // A header: gather one whole block.
      const need = BLOCK - this.pendingBytes;
      const piece = chunk.subarray(offset, offset + need);
      this.pending.push(piece);
      this.pendingBytes += piece.length;
      offset += piece.length;
      if (this.pendingBytes < BLOCK) break;
      const block = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.header(block, events);
    }
    return events;
  }

  /** The stream ended: complain about a truncated archive. */
  finish(): TarEvent[] {
    if (this.inEntry || this.meta || this.pendingBytes > 0) throw new Error('the archive ended in the middle of an entry');
    if (this.ended) return [];
    this.ended = true;
    return [{ kind: 'end' }];
  }

  private header(block: Buffer, events: TarEvent[]): void {
    const raw = decodeHeader(block);
    if (!raw) {
      // A zero block ends the archive (a second one usually follows).
      this.ended = true;
      events.push({ kind: 'end' });
      return;
    }
    if (raw.flag === 'x' || raw.flag === 'g' || raw.flag === 'L' || raw.flag === 'K') {
      this.meta = { flag: raw.flag, chunks: [] };
      this.remaining = raw.size;
      this.skip = padding(raw.size);
      if (raw.size === 0) this.finishEntry(events);
      return;
    }
    const pax = { ...this.globalPax, ...this.pax };
    const header: TarHeader = {
      name: pax.path ?? this.longName ?? raw.name,
      type: raw.type,
      mode: raw.mode,
      uid: pax.uid !== undefined ? Number(pax.uid) : raw.uid,
      gid: pax.gid !== undefined ? Number(pax.gid) : raw.gid,
      size: pax.size !== undefined ? Number(pax.size) : raw.size,
      mtime: pax.mtime !== undefined ? Number(pax.mtime) : raw.mtime,
      linkname: pax.linkpath ?? this.longLink ?? raw.linkname,
      uname: pax.uname ?? raw.uname,
      gname: pax.gname ?? raw.gname,
    };
    this.pax = {};
    this.longName = undefined;
    this.longLink = undefined;
    // Only regular files carry data; a hard link's size field is not its data.
    const size = header.type === 'file' || header.type === 'other' ? header.size : 0;
    this.inEntry = true;
    events.push({ kind: 'entry', header });
    this.remaining = size;
    this.skip = padding(size);
    if (size === 0) this.finishEntry(events);
  }

  private finishEntry(events: TarEvent[]): void {
    const meta = this.meta;
    if (meta) {
      this.meta = undefined;
      const body = Buffer.concat(meta.chunks);
      if (meta.flag === 'x') this.pax = parsePax(body);
      else if (meta.flag === 'g') this.globalPax = { ...this.globalPax, ...parsePax(body) };
      else if (meta.flag === 'L') this.longName = body.toString('utf8').replace(/\0+$/, '');
      else this.longLink = body.toString('utf8').replace(/\0+$/, '');
      return;
    }
    this.inEntry = false;
    events.push({ kind: 'end-entry' });
  }
}
