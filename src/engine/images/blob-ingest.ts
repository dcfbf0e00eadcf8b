// Receiving a blob: one pass writes it to a temp file as received while
// hashing both the bytes (the blob digest) and, for gzip, the inflated
// bytes (a layer's diff id), so a layer is identified before it is unpacked.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Inflate } from './inflate.js';

export interface IngestedBlob {
  path: string;
  /** `sha256:` of the bytes as received. */
  digest: string;
  size: number;
  /** `sha256:` of the uncompressed bytes (= digest when not compressed). */
  diffId: string;
  compressed: boolean;
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export async function ingestBlob(src: Readable, tmpPath: string): Promise<IngestedBlob> {
  const raw = createHash('sha256');
  const plain = createHash('sha256');
  const inflate = new Inflate();
  let size = 0;
  const inflated = pipeline(
    inflate,
    new Writable({
      write(chunk: Buffer, _e, cb) {
        plain.update(chunk);
        cb();
      },
    }),
  );
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      raw.update(chunk);
      size += chunk.length;
      if (inflate.write(chunk)) cb(null, chunk);
      else inflate.once('drain', () => cb(null, chunk));
    },
    flush(cb) {
      inflate.end();
      cb();
    },
  });
  inflated.catch((e: Error) => tap.destroy(e));
  await Promise.all([pipeline(src, tap, createWriteStream(tmpPath, { mode: 0o600 })), inflated]);
  const digest = `sha256:${raw.digest('hex')}`;
  const compressed = inflate.compressed === true;
  return { path: tmpPath, digest, size, compressed, diffId: compressed ? `sha256:${plain.digest('hex')}` : digest };
}

/** Gzips a file into `tmpPath`, hashing the compressed bytes as they are written. */
export async function gzipFile(src: string, tmpPath: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(createReadStream(src), createGzip(), tap, createWriteStream(tmpPath, { mode: 0o600 }));
  return { digest: `sha256:${hash.digest('hex')}`, size };
}
