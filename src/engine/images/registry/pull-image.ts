// `POST /images/create?fromImage=…`: manifest (through a list to the
// platform's entry), config, then the layers a few at a time, each verified
// against its digest and the config's diff id before it is unpacked; the
// image is registered only once all of it is in the store.

import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ApiError, badRequest, notFound, serverError } from '../../api/api-error.js';
import { parseImageConfig } from '../image-config.js';
import type { ImageStore, StoredImage } from '../image-store.js';
import { familiarName, shortId } from '../image-names.js';
import { runPool } from './bounded-pool.js';
import { fetchConfig, fetchManifest } from './fetch-document.js';
import { formatPlatform, hostPlatform, layerProblem, parseManifest, parsePlatform, pickPlatform, type Descriptor, type Platform } from './manifests.js';
import type { ProgressStream } from './progress-stream.js';
import { RegistryClient } from './registry-client.js';
import type { RegistryCredentials } from './registry-credentials.js';
import { RegistryError, registryError } from './registry-error.js';
import { targetRef, type RegistryTarget } from './registry-target.js';

export interface PullOptions {
  creds: RegistryCredentials;
  /** `linux/arm64`; the host's when absent. */
  platform?: string | null;
  signal?: AbortSignal;
  /** Layers downloaded at once. */
  concurrency?: number;
}

interface Resolved {
  client: RegistryClient;
  /** The digest the reference resolved to (a list's when it was one): what RepoDigests records. */
  topDigest: string;
  config: Descriptor;
  layers: Descriptor[];
}

/**
 * Pulls into the store. Failures before the first progress line are thrown
 * as ApiErrors (so the route answers with a status); later ones also throw,
 * for the route to put into the stream.
 */
export async function pullImage(store: ImageStore, target: RegistryTarget, progress: ProgressStream, opts: PullOptions): Promise<StoredImage> {
  const ref = targetRef(target);
  let platform: Platform;
  try {
    platform = parsePlatform(opts.platform) ?? hostPlatform();
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  const resolved = await resolveManifest(target, platform, opts).catch((e: unknown) => {
    throw pullApiError(e, target);
  });
  const { client, topDigest } = resolved;
  progress.status(`Pulling from ${target.repository}`, target.tag ?? target.digest);

  const configBytes = await fetchConfig(client, resolved.config.digest, opts.signal);
  let diffIds: string[];
  try {
    const config = parseImageConfig(configBytes);
    diffIds = config.rootfs.diff_ids;
    if (config.os && config.os !== platform.os) throw new Error(`image is for ${config.os}, not ${platform.os}`);
  } catch (e) {
    throw serverError(`image config of ${ref}: ${(e as Error).message}`);
  }
  if (diffIds.length !== resolved.layers.length) {
    throw serverError(`manifest of ${ref} has ${resolved.layers.length} layers but its config has ${diffIds.length}`);
  }
  for (const l of resolved.layers) {
    const problem = layerProblem(l.mediaType);
    if (problem) throw serverError(`${ref}: ${problem}`);
  }
  const digested = `${target.name}@${topDigest}`;
  const tagged = target.tag ? `${target.name}:${target.tag}` : undefined;
  const current = tagged ? store.list().find((img) => img.repoTags.includes(tagged)) : store.get(resolved.config.digest);
  if (current?.id === resolved.config.digest) {
    store.addRepoDigest(current.id, digested);
    progress.status(`Digest: ${topDigest}`);
    progress.status(`Status: Image is up to date for ${familiarName(targetRef(target))}`);
    return store.get(current.id)!;
  }

  const image = await store.ingest(async (add, reuse) => {
    const jobs = resolved.layers.map((desc, i) => ({ desc, diffId: diffIds[i]!, id: shortId(desc.digest) }));
    const pending = jobs.filter((j) => {
      if (reuse(j.diffId)) {
        progress.status('Already exists', j.id);
        return false;
      }
      progress.status('Pulling fs layer', j.id);
      return true;
    });
    // Duplicate layers (the same blob twice in one image) are fetched once.
    const unique = [...new Map(pending.map((j) => [j.diffId, j])).values()];
    await runPool(
      unique,
      opts.concurrency ?? 3,
      async (job, signal) => {
        const res = await client.send(client.repoPath(`blobs/${job.desc.digest}`), { signal });
        if (!res.ok || !res.body) throw await registryError(res, `layer ${job.desc.digest}`);
        const counted = byteCounter(job.desc.size, (n) => progress.bytes('Downloading', job.id, n, job.desc.size), () => {
          progress.status('Verifying Checksum', job.id);
          progress.status('Download complete', job.id);
        });
        const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
        body.on('error', (e) => counted.destroy(e));
        await add(body.pipe(counted), { digest: job.desc.digest, diffId: job.diffId });
        progress.status('Pull complete', job.id);
      },
      opts.signal,
    );
    return store.addImage(configBytes, { repoTags: tagged ? [tagged] : [], repoDigests: [digested] });
  });
  progress.status(`Digest: ${topDigest}`);
  progress.status(`Status: Downloaded newer image for ${familiarName(targetRef(target))}`);
  return image;
}

async function resolveManifest(target: RegistryTarget, platform: Platform, opts: PullOptions): Promise<Resolved> {
  const client = new RegistryClient(target, opts.creds, 'pull');
  const top = await fetchManifest(client, target.digest ?? target.tag!, opts.signal);
  let manifest = parseOrFail(top.bytes, top.contentType, target);
  if (manifest.kind === 'list') {
    const entry = pickPlatform(manifest.manifests, platform);
    if (!entry) {
      const have = manifest.manifests.map((m) => (m.platform ? formatPlatform(m.platform) : 'unknown')).join(', ');
      throw notFound(`no matching manifest for ${formatPlatform(platform)} in the manifest list entries of ${targetRef(target)} (it has ${have || 'none'})`);
    }
    const inner = await fetchManifest(client, entry.digest, opts.signal);
    manifest = parseOrFail(inner.bytes, inner.contentType, target);
    if (manifest.kind !== 'image') throw serverError(`manifest list of ${targetRef(target)} points to another list`);
  }
  return { client, topDigest: top.digest, config: manifest.config, layers: manifest.layers };
}

function parseOrFail(bytes: Buffer, contentType: string | null, target: RegistryTarget) {
  try {
    return parseManifest(bytes, contentType);
  } catch (e) {
    throw serverError(`manifest of ${targetRef(target)}: ${(e as Error).message}`);
  }
}

/** A registry failure as docker's daemon words it. */
export function pullApiError(e: unknown, target: RegistryTarget): Error {
  if (e instanceof ApiError || !(e instanceof RegistryError)) return e as Error;
  const ref = targetRef(target);
  if (e.status === 404) return notFound(`manifest for ${ref} not found: ${e.message}`);
  if (e.status === 401 || e.status === 403 || e.code === 'DENIED' || e.code === 'UNAUTHORIZED') {
    // Not 401: docker's CLI would take that as a cue to prompt for a login.
    return new ApiError(404, `pull access denied for ${familiarName(target.name)}, repository does not exist or may require 'docker login': ${e.message}`);
  }
  return serverError(e.message);
}

/** Counts bytes for progress (a few lines a second at most) and refuses more than the manifest said. */
function byteCounter(expected: number, onProgress: (n: number) => void, onDone: () => void): Transform {
  let n = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      n += chunk.length;
      if (n > expected) return cb(new Error(`layer is larger than the ${expected} bytes its manifest says`));
      const now = Date.now();
      if (now - last >= 200) {
        last = now;
        onProgress(n);
      }
      cb(null, chunk);
    },
    flush(cb) {
      onProgress(n);
      onDone();
      cb();
    },
  });
}
