// `POST /images/{name}/push`: each layer as the compressed blob the store
// keeps for it (HEAD first: a registry that has it is not sent it again),
// the config, then a schema2 manifest naming exactly those blobs.

import { createReadStream, readFileSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { notFound } from '../../api/api-error.js';
import { sha256 } from '../blob-ingest.js';
import type { ImageStore, StoredImage } from '../image-store.js';
import { shortId } from '../image-names.js';
import { runPool } from './bounded-pool.js';
import { MEDIA } from './manifests.js';
import type { ProgressStream } from './progress-stream.js';
import { RegistryClient } from './registry-client.js';
import type { RegistryCredentials } from './registry-credentials.js';
import { RegistryError, registryError } from './registry-error.js';
import type { RegistryTarget } from './registry-target.js';

export interface PushOptions {
  creds: RegistryCredentials;
  signal?: AbortSignal;
  concurrency?: number;
}

/** The tags a push sends: the one asked for, or every tag of the repository. 404 before any output when there is none. */
export function imagesToPush(store: ImageStore, target: RegistryTarget, tagAsked: boolean): Array<{ tag: string; image: StoredImage }> {
  const out: Array<{ tag: string; image: StoredImage }> = [];
  for (const image of store.list()) {
    for (const t of image.repoTags) {
      const colon = t.lastIndexOf(':');
      if (t.slice(0, colon) !== target.name) continue;
      const tag = t.slice(colon + 1);
      if (!tagAsked || tag === target.tag) out.push({ tag, image });
    }
  }
  if (!out.length) {
    throw notFound(tagAsked ? `An image does not exist locally with the tag: ${target.name}:${target.tag}` : `An image does not exist locally with the name: ${target.name}`);
  }
  return out.sort((a, b) => a.tag.localeCompare(b.tag));
}

export async function pushImage(
  store: ImageStore,
  target: RegistryTarget,
  items: Array<{ tag: string; image: StoredImage }>,
  progress: ProgressStream,
  opts: PushOptions,
): Promise<void> {
  progress.status(`The push refers to repository [${target.name}]`);
  const client = new RegistryClient(target, opts.creds, 'pull,push');
  for (const { tag, image } of items) {
    const diffIds = [...new Set(image.config.rootfs.diff_ids)];
    // Docker lists the top layer first.
    for (const d of [...diffIds].reverse()) progress.status('Preparing', shortId(d));
    const blobs = new Map<string, { digest: string; size: number }>();
    await runPool(
      diffIds,
      opts.concurrency ?? 3,
      async (diffId, signal) => {
        const id = shortId(diffId);
        const blob = await store.pushableBlob(diffId);
        blobs.set(diffId, { digest: blob.digest, size: blob.size });
        if (await hasBlob(client, blob.digest, signal)) {
          progress.status('Layer already exists', id);
          return;
        }
        const body = Readable.toWeb(createReadStream(blob.path).pipe(counter((n) => progress.bytes('Pushing', id, n, blob.size))));
        await uploadBlob(client, blob.digest, blob.size, body as unknown as ReadableStream<Uint8Array>, signal);
        progress.status('Pushed', id);
      },
      opts.signal,
    );
    const config = readFileSync(store.blobPath(image.id));
    if (!(await hasBlob(client, image.id, opts.signal))) await uploadBlob(client, image.id, config.length, config, opts.signal);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.dockerManifest,
        config: { mediaType: MEDIA.dockerConfig, size: config.length, digest: image.id },
        layers: image.config.rootfs.diff_ids.map((d) => ({ mediaType: MEDIA.dockerLayerGzip, size: blobs.get(d)!.size, digest: blobs.get(d)!.digest })),
      }),
    );
    const res = await client.send(client.repoPath(`manifests/${tag}`), {
      method: 'PUT',
      headers: { 'Content-Type': MEDIA.dockerManifest },
      body: manifest,
      signal: opts.signal,
    });
    if (res.status !== 201 && !res.ok) throw await registryError(res, `manifest ${tag}`);
    await res.body?.cancel();
    const digest = sha256(manifest);
    store.addRepoDigest(image.id, `${target.name}@${digest}`);
    progress.status(`${tag}: digest: ${digest} size: ${manifest.length}`);
    progress.send({ progressDetail: {}, aux: { Tag: tag, Digest: digest, Size: manifest.length } });
  }
}

async function hasBlob(client: RegistryClient, digest: string, signal?: AbortSignal): Promise<boolean> {
  const res = await client.send(client.repoPath(`blobs/${digest}`), { method: 'HEAD', signal });
  await res.body?.cancel();
  if (res.ok) return true;
  if (res.status === 404) return false;
  throw await registryError(res, `checking blob ${digest}`);
}

/** A monolithic upload: POST opens a session, one PUT with the digest sends and commits the blob. */
async function uploadBlob(client: RegistryClient, digest: string, size: number, body: Buffer | ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<void> {
  const start = await client.send(client.repoPath('blobs/uploads/'), { method: 'POST', headers: { 'Content-Length': '0' }, signal });
  if (start.status !== 202) throw await registryError(start, `starting the upload of ${digest}`);
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (!location) throw new RegistryError(502, 'BLOB_UPLOAD_INVALID', `registry opened an upload for ${digest} without a Location`);
  const url = new URL(location, client.target.endpoint);
  url.searchParams.set('digest', digest);
  const res = await client.send(url.toString(), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
    body,
    signal,
  });
  if (res.status !== 201 && !res.ok) throw await registryError(res, `uploading ${digest}`);
  await res.body?.cancel();
}

function counter(onProgress: (n: number) => void): Transform {
  let n = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      n += chunk.length;
      const now = Date.now();
      if (now - last >= 200) {
        last = now;
        onProgress(n);
      }
      cb(null, chunk);
    },
  });
}
