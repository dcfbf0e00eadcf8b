// Layers and archives arrive gzip-compressed or plain; the magic bytes say
// which. Inflate passes plain tars through and gunzips the rest.

import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export class Inflate extends Transform {
  private gunzip: Gunzip | undefined;
  private head: Buffer | undefined = Buffer.alloc(0);
  /** Set once the format is known. */
  compressed: boolean | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.head) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return cb();
      chunk = this.head;
      this.head = undefined;
      this.decide(chunk);
    }
    this.feed(chunk, cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.head) {
      const rest = this.head;
      this.head = undefined;
      this.decide(rest);
      if (rest.length) return this.feed(rest, (e) => (e ? cb(e) : this._flush(cb)));
    }
    if (!this.gunzip) return cb();
    this.gunzip.once('end', () => cb());
    this.gunzip.end();
  }

  override _read(size: number): void {
    this.gunzip?.resume();
    super._read(size);
  }

  private decide(head: Buffer): void {
    this.compressed = isGzip(head);
    if (!this.compressed) return;
    this.gunzip = createGunzip();
    // Inflated bytes respect the reader's pace: a slow unpacker pauses gunzip,
    // which stops taking input, which holds the transform callback.
    this.gunzip.on('data', (d: Buffer) => {
      if (!this.push(d)) this.gunzip!.pause();
    });
    this.gunzip.on('error', (e) => this.destroy(new Error(`decompressing: ${e.message}`)));
  }

  private feed(chunk: Buffer, cb: TransformCallback): void {
    if (!this.gunzip) return cb(null, chunk);
    if (this.gunzip.write(chunk)) cb();
    else this.gunzip.once('drain', () => cb());
  }
}
