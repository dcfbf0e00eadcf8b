// `docker save` / `docker load` archives. Loading accepts the docker-archive
// format (manifest.json: [{Config, RepoTags, Layers}]) and a plain OCI image
// layout (index.json → manifests → config and layers); saving writes both at
// once, the way docker 25+ does, so docker, podman and skopeo all read it.

import { createReadStream, existsSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { badRequest } from '../api/api-error.js';
import { sha256 } from './blob-ingest.js';
import { hostArchitecture } from './image-config.js';
import type { ImageStore, StoredImage } from './image-store.js';
import { familiarName, normalizeRef } from './image-names.js';
import { unpackLayer } from './layer-unpack.js';
import { tarStream, type TarMember } from './tar-writer.js';

interface ArchiveManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string };
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export interface LoadResult {
  /** What docker prints after `Loaded image: ` (tags) or `Loaded image ID: ` (untagged). */
  loaded: string[];
  images: StoredImage[];
}

/** A path the archive names, refused if it (or a symlink in it) leaves the archive. */
function inside(root: string, rel: string): string {
  const full = join(root, rel);
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw badRequest(`archive is missing ${rel}`);
  }
  if (!real.startsWith(realpathSync(root) + sep)) throw badRequest(`archive path ${rel} points outside the archive`);
  if (!statSync(real).isFile()) throw badRequest(`archive path ${rel} is not a file`);
  return real;
}

function readJson<T>(root: string, rel: string): T {
  try {
    return JSON.parse(readFileSync(inside(root, rel), 'utf8')) as T;
  } catch (e) {
    if (e instanceof SyntaxError) throw badRequest(`archive file ${rel} is not JSON: ${e.message}`);
    throw e;
  }
}

const blobRel = (digest: string) => {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw badRequest(`unsupported digest ${JSON.stringify(digest)}`);
  return `blobs/sha256/${digest.slice(7)}`;
};

/** Image manifests of an OCI layout, flattening nested indexes to the host platform. */
function ociEntries(root: string): ArchiveManifestEntry[] {
  const out: ArchiveManifestEntry[] = [];
  const visit = (descs: Descriptor[], name?: string) => {
    for (const d of descs) {
      const ref = d.annotations?.['io.containerd.image.name'] ?? name;
      const doc = readJson<{ mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(root, blobRel(d.digest));
      const type = d.mediaType ?? doc.mediaType;
      if (type === OCI_INDEX || type === DOCKER_LIST || doc.manifests) {
        const mine = (doc.manifests ?? []).filter((m) => !m.platform || (m.platform.architecture === hostArchitecture() && m.platform.os === 'linux'));
        visit(mine.slice(0, 1), ref);
      } else if (doc.config) {
        out.push({ Config: blobRel(doc.config.digest), Layers: (doc.layers ?? []).map((l) => blobRel(l.digest)), RepoTags: ref ? [ref] : [] });
      }
    }
  };
  const index = readJson<{ manifests?: Descriptor[] }>(root, 'index.json');
  visit(index.manifests ?? []);
  return out;
}

/** `POST /images/load`. */
export async function loadArchive(store: ImageStore, stream: Readable): Promise<LoadResult> {
  const root = store.tmpPath();
  try {
    // The archive is untrusted like any layer: the same safe unpacker opens it.
    await unpackLayer(stream, root);
    const entries = existsSync(join(root, 'manifest.json'))
      ? readJson<ArchiveManifestEntry[]>(root, 'manifest.json')
      : existsSync(join(root, 'index.json'))
        ? ociEntries(root)
        : undefined;
    if (!entries || !Array.isArray(entries)) throw badRequest('archive has neither manifest.json nor an OCI index.json: not a docker save output');
    const result: LoadResult = { loaded: [], images: [] };
    for (const entry of entries) {
      const configBytes = readFileSync(inside(root, entry.Config));
      const image = await store.ingest(async (add) => {
        const diffIds: string[] = [];
        for (const rel of entry.Layers) diffIds.push((await add(createReadStream(inside(root, rel)))).diffId);
        const expected = (JSON.parse(configBytes.toString('utf8')) as { rootfs?: { diff_ids?: string[] } }).rootfs?.diff_ids ?? [];
        if (diffIds.join() !== expected.join()) {
          throw badRequest(`layers of ${entry.Config} do not match its config: got ${diffIds.join(', ') || 'none'}, config says ${expected.join(', ') || 'none'}`);
        }
        return store.addImage(configBytes, { repoTags: entry.RepoTags ?? [] });
      });
      result.images.push(image);
      if (entry.RepoTags?.length) result.loaded.push(...entry.RepoTags.map((t) => familiarName(normalizeRef(t)?.tagged ?? t)));
      else result.loaded.push(image.id);
    }
    return result;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `GET /images/get?names=…` / `GET /images/{name}/get`: a docker-archive (plus OCI layout) of the images. */
export function saveArchive(store: ImageStore, refs: string[]): Readable {
  // Resolve now so a bad name fails the request before any byte is sent.
  const picked = refs.map((ref) => {
    const image = store.resolve(ref);
    const n = normalizeRef(ref);
    const byName = n?.tagged && image.repoTags.includes(n.tagged);
    return { image, tag: byName ? n.tagged : undefined };
  });
  async function* members(): AsyncGenerator<TarMember> {
    const sent = new Set<string>();
    const manifest: ArchiveManifestEntry[] = [];
    const index: Descriptor[] = [];
    const blob = function* (digest: string, size: number, data?: Buffer): Generator<TarMember> {
      if (sent.has(digest)) return;
      sent.add(digest);
      yield data ? { path: blobRel(digest), data } : { path: blobRel(digest), file: { path: store.blobPath(digest), size } };
    };
    yield { path: 'blobs/', type: 'Directory' };
    yield { path: 'blobs/sha256/', type: 'Directory' };
    for (const { image, tag } of picked) {
      const layers = image.config.rootfs.diff_ids.map((d) => {
        const rec = store.layer(d);
        if (!rec) throw new Error(`layer ${d} of ${image.id} is missing from the store`);
        return rec;
      });
      yield* blob(image.id, store.blobSize(image.id));
      for (const l of layers) yield* blob(l.blob, store.blobSize(l.blob));
      const ociManifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.id, size: store.blobSize(image.id) },
          layers: layers.map((l) => ({
            mediaType: l.compressed ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar',
            digest: l.blob,
            size: store.blobSize(l.blob),
          })),
        }),
      );
      const manifestDigest = sha256(ociManifest);
      yield* blob(manifestDigest, ociManifest.length, ociManifest);
      manifest.push({ Config: blobRel(image.id), RepoTags: tag ? [familiarName(tag)] : null, Layers: layers.map((l) => blobRel(l.blob)) });
      index.push({
        mediaType: OCI_MANIFEST,
        digest: manifestDigest,
        size: ociManifest.length,
        ...(tag ? { annotations: { 'io.containerd.image.name': tag, 'org.opencontainers.image.ref.name': tag.slice(tag.lastIndexOf(':') + 1) } } : {}),
      });
    }
    yield { path: 'oci-layout', data: JSON.stringify({ imageLayoutVersion: '1.0.0' }) };
    yield { path: 'index.json', data: JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: index }) };
    yield { path: 'manifest.json', data: JSON.stringify(manifest) };
  }
  return tarStream(members());
}
