// The engine's image store, laid out like OCI content:
//   blobs/sha256/<hex>      layer tars as received, image config JSONs
//   layers/<diffid-hex>/diff  each layer unpacked once, shared by every image with it
//   repositories.json       image id → tags and digests, layer → blob (written atomically)
// A layer is kept while any image (or an import in flight) refers to it.

import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { conflict, noSuchImage, serverError } from '../api/api-error.js';
import { writeFileAtomic } from '../store/document-store.js';
import { gzipFile, ingestBlob, sha256 } from './blob-ingest.js';
import { parseImageConfig, type HistoryEntry, type ImageConfigFile } from './image-config.js';
import { familiarName, normalizeRef, normalizeTag, shortId } from './image-names.js';
import { unpackLayer } from './layer-unpack.js';

export interface LayerRecord {
  diffId: string;
  /** Digest of the blob as stored (gzip or plain). */
  blob: string;
  compressed: boolean;
  /** Uncompressed content size (docker's layer size). */
  size: number;
  /** A gzip copy of a plain blob, made once for pushing (registries expect compressed layers). */
  gzipBlob?: string;
}

/** A layer blob as a registry gets it. */
export interface PushableBlob {
  digest: string;
  size: number;
  path: string;
}

interface ImageRecord {
  repoTags: string[];
  repoDigests: string[];
  lastTagTime: string;
}

interface IndexFile {
  images: Record<string, ImageRecord>;
  layers: Record<string, LayerRecord>;
}

export interface StoredImage {
  /** `sha256:` of the config JSON. */
  id: string;
  config: ImageConfigFile;
  /** Fully qualified: `docker.io/library/busybox:latest`. */
  repoTags: string[];
  repoDigests: string[];
  /** Sum of the layers' uncompressed sizes. */
  size: number;
  lastTagTime: string;
}

export type RemoveReport = Array<{ Untagged: string } | { Deleted: string }>;

export interface ImageStoreOptions {
  /** Which container (id) uses the image, if any: removal refuses then unless forced. */
  isInUse?: (imageId: string) => string | boolean | undefined;
}

/**
 * Adds layers within one import; its layers stay pinned until the import
 * ends. `expect` (from a registry manifest and config) is checked before the
 * blob is unpacked or kept.
 */
export type AddLayer = (stream: Readable, expect?: { digest?: string; diffId?: string }) => Promise<LayerRecord>;
/** Pins a layer the store already has (by diff id) for this import; undefined when absent. */
export type ReuseLayer = (diffId: string) => LayerRecord | undefined;

const ID = /^sha256:[0-9a-f]{64}$/;
const hex = (digest: string) => digest.replace(/^sha256:/, '');

export class ImageStore {
  private index: IndexFile = { images: {}, layers: {} };
  private configs = new Map<string, ImageConfigFile>();
  /** Layers held by imports in flight: not garbage even though no image has them yet. */
  private pinned = new Map<string, number>();

  constructor(
    readonly root: string,
    private readonly options: ImageStoreOptions = {},
  ) {}

  private get indexPath() {
    return join(this.root, 'repositories.json');
  }
  blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', hex(digest));
  }
  layerDir(diffId: string): string {
    return join(this.root, 'layers', hex(diffId), 'diff');
  }
  /** A fresh path under the store's tmp dir (same filesystem, so renames work); init() clears leftovers. */
  tmpPath(): string {
    return join(this.root, 'tmp', randomBytes(8).toString('hex'));
  }

  async init(): Promise<void> {
    for (const d of ['blobs/sha256', 'layers', 'tmp']) mkdirSync(join(this.root, d), { recursive: true, mode: 0o700 });
    // Leftovers of an engine that died mid-import.
    for (const t of readdirSync(join(this.root, 'tmp'))) rmSync(join(this.root, 'tmp', t), { recursive: true, force: true });
    if (existsSync(this.indexPath)) {
      try {
        this.index = JSON.parse(readFileSync(this.indexPath, 'utf8')) as IndexFile;
      } catch (e) {
        // Written atomically, so this is damage from outside: say where, do not guess.
        throw new Error(`image index ${this.indexPath} is unreadable (${(e as Error).message}); move it aside to start with an empty image store`);
      }
    }
    this.index.images ??= {};
    this.index.layers ??= {};
    for (const id of Object.keys(this.index.images)) {
      try {
        this.configs.set(id, parseImageConfig(readFileSync(this.blobPath(id))));
      } catch {
        // A config blob that is gone or corrupt makes the image unusable: forget it.
        delete this.index.images[id];
      }
    }
    this.collectGarbage();
    this.save();
  }

  private save(): void {
    writeFileAtomic(this.indexPath, JSON.stringify(this.index, null, 1));
  }

  private image(id: string): StoredImage {
    const rec = this.index.images[id]!;
    const config = this.configs.get(id)!;
    const size = [...new Set(config.rootfs.diff_ids)].reduce((n, d) => n + (this.index.layers[d]?.size ?? 0), 0);
    return { id, config, repoTags: [...rec.repoTags], repoDigests: [...rec.repoDigests], size, lastTagTime: rec.lastTagTime };
  }

  list(): StoredImage[] {
    return Object.keys(this.index.images).map((id) => this.image(id));
  }

  get(id: string): StoredImage | undefined {
    return this.index.images[id] ? this.image(id) : undefined;
  }

  /** The image a user's reference names, and the stored name it matched (undefined for id refs). */
  private lookup(ref: string): { id: string; name?: string } | undefined {
    if (ID.test(ref)) return this.index.images[ref] ? { id: ref } : undefined;
    if (/^[0-9a-f]{64}$/.test(ref)) return this.index.images[`sha256:${ref}`] ? { id: `sha256:${ref}` } : undefined;
    const n = normalizeRef(ref);
    if (n) {
      for (const [id, rec] of Object.entries(this.index.images)) {
        if (n.tagged && rec.repoTags.includes(n.tagged)) return { id, name: n.tagged };
        if (n.digested && rec.repoDigests.includes(n.digested)) return { id, name: n.digested };
      }
    }
    const prefix = /^(?:sha256:)?([0-9a-f]{4,63})$/.exec(ref)?.[1];
    if (prefix) {
      const hits = Object.keys(this.index.images).filter((id) => id.startsWith(`sha256:${prefix}`));
      if (hits.length === 1) return { id: hits[0]! };
    }
    return undefined;
  }

  /** By `name[:tag]`, `name@sha256:…`, full id, `sha256:` id or an id prefix of ≥ 4 hex; 404 otherwise. */
  resolve(ref: string): StoredImage {
    const hit = this.lookup(ref);
    if (!hit) throw noSuchImage(ref);
    return this.image(hit.id);
  }

  /** Overlay lower dirs of the image, lowest layer first. */
  layerDirs(image: StoredImage): string[] {
    return image.config.rootfs.diff_ids.map((d) => this.layerDir(d));
  }

  layer(diffId: string): LayerRecord | undefined {
    return this.index.layers[diffId];
  }

  /**
   * Run an import: `add` stores a layer blob and unpacks it (once per diff
   * id). Layers added are pinned until fn settles, so a concurrent remove
   * cannot collect them before the image that uses them is committed.
   */
  async ingest<T>(fn: (add: AddLayer, reuse: ReuseLayer) => Promise<T>): Promise<T> {
    const held: string[] = [];
    const reuse: ReuseLayer = (diffId) => {
      const known = this.index.layers[diffId];
      if (!known || !existsSync(this.layerDir(diffId))) return undefined;
      this.pinned.set(diffId, (this.pinned.get(diffId) ?? 0) + 1);
      held.push(diffId);
      return known;
    };
    try {
      return await fn((stream, expect) => this.addLayer(stream, held, expect), reuse);
    } finally {
      for (const d of held) {
        const n = (this.pinned.get(d) ?? 1) - 1;
        if (n <= 0) this.pinned.delete(d);
        else this.pinned.set(d, n);
      }
      if (this.collectGarbage()) this.save();
    }
  }

  private async addLayer(stream: Readable, held: string[], expect: { digest?: string; diffId?: string } = {}): Promise<LayerRecord> {
    const tmp = this.tmpPath();
    let blob;
    try {
      blob = await ingestBlob(stream, tmp);
      if (expect.digest && blob.digest !== expect.digest) {
        throw serverError(`layer blob digest mismatch: expected ${expect.digest}, received ${blob.digest}`);
      }
      if (expect.diffId && blob.diffId !== expect.diffId) {
        throw serverError(`layer ${expect.digest ?? blob.digest} unpacks to ${blob.diffId}, but the image config says ${expect.diffId}`);
      }
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    // Pinned before the next await: a removal running meanwhile must not
    // collect this layer (or its blob) out from under us.
    this.pinned.set(blob.diffId, (this.pinned.get(blob.diffId) ?? 0) + 1);
    held.push(blob.diffId);
    const known = this.index.layers[blob.diffId];
    if (known && existsSync(this.layerDir(blob.diffId))) {
      rmSync(tmp, { force: true });
      return known;
    }
    const blobPath = this.blobPath(blob.digest);
    if (existsSync(blobPath)) rmSync(tmp, { force: true });
    else renameSync(tmp, blobPath);
    const rec: LayerRecord = { diffId: blob.diffId, blob: blob.digest, compressed: blob.compressed, size: 0 };
    const work = this.tmpPath();
    try {
      const r = await unpackLayer(createReadStream(blobPath), join(work, 'diff'));
      rec.size = r.size;
      const final = join(this.root, 'layers', hex(blob.diffId));
      try {
        renameSync(work, final);
      } catch (e) {
        // Another import unpacked the same layer meanwhile: theirs is as good.
        if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    this.index.layers[rec.diffId] = rec;
    return rec;
  }

  /** Commit an image from its config JSON; every diff id must be a stored layer. */
  addImage(configJson: Buffer, refs: { repoTags?: string[]; repoDigests?: string[] } = {}): StoredImage {
    let config: ImageConfigFile;
    try {
      config = parseImageConfig(configJson);
    } catch (e) {
      throw serverError((e as Error).message);
    }
    for (const d of config.rootfs.diff_ids) {
      if (!this.index.layers[d] || !existsSync(this.layerDir(d))) throw serverError(`layer ${d} of the image is not in the store`);
    }
    const id = sha256(configJson);
    const path = this.blobPath(id);
    if (!existsSync(path)) writeFileAtomic(path, configJson, 0o600);
    this.configs.set(id, config);
    const rec = (this.index.images[id] ??= { repoTags: [], repoDigests: [], lastTagTime: new Date().toISOString() });
    for (const t of refs.repoTags ?? []) this.attachTag(id, normalizeTag(t));
    for (const d of refs.repoDigests ?? []) {
      const n = normalizeRef(d);
      if (n?.digested && !rec.repoDigests.includes(n.digested)) rec.repoDigests.push(n.digested);
    }
    this.save();
    return this.image(id);
  }

  /** A tag names one image: it moves here from wherever it was. */
  private attachTag(id: string, full: string): void {
    for (const rec of Object.values(this.index.images)) rec.repoTags = rec.repoTags.filter((t) => t !== full);
    const rec = this.index.images[id]!;
    rec.repoTags.push(full);
    rec.lastTagTime = new Date().toISOString();
  }

  /** `docker tag ref repo[:tag]`. */
  tag(ref: string, repo: string, tag?: string): void {
    const img = this.resolve(ref);
    this.attachTag(img.id, normalizeTag(repo, tag));
    this.save();
  }

  /** `docker rmi`: untag, then delete the image once nothing names it. */
  remove(ref: string, opts: { force?: boolean; noprune?: boolean } = {}): RemoveReport {
    const hit = this.lookup(ref);
    if (!hit) throw noSuchImage(ref);
    const { id } = hit;
    const rec = this.index.images[id]!;
    const used = this.options.isInUse?.(id);
    const user = typeof used === 'string' ? `container ${shortId(used)}` : 'a container';
    const out: RemoveReport = [];
    const untag = (name: string) => {
      rec.repoTags = rec.repoTags.filter((t) => t !== name);
      rec.repoDigests = rec.repoDigests.filter((t) => t !== name);
      out.push({ Untagged: familiarName(name) });
    };

    if (hit.name) {
      const isTag = rec.repoTags.includes(hit.name);
      if ((isTag && rec.repoTags.length > 1) || (!isTag && rec.repoTags.length + rec.repoDigests.length > 1)) {
        untag(hit.name);
        this.save();
        return out;
      }
      if (used && !opts.force) {
        throw conflict(
          `conflict: unable to remove repository reference "${ref}" (must force) - ${user} is using its referenced image ${shortId(id)}`,
        );
      }
      untag(hit.name);
      // Digest references of the last tag go with it, as in docker.
      for (const d of [...rec.repoDigests]) untag(d);
    } else {
      if (used && !opts.force) {
        throw conflict(`conflict: unable to delete ${shortId(id)} (must be forced) - image is being used by ${user}`);
      }
      if (rec.repoTags.length > 1 && !opts.force) {
        throw conflict(`conflict: unable to delete ${shortId(id)} (must be forced) - image is referenced in multiple repositories`);
      }
      for (const t of [...rec.repoTags, ...rec.repoDigests]) untag(t);
    }
    // A container's root filesystem is an overlay on these layers: a forced
    // removal only untags, so the container keeps working (docker leaves a
    // dangling image in the same case).
    if (used) {
      this.save();
      return out;
    }
    delete this.index.images[id];
    this.configs.delete(id);
    rmSync(this.blobPath(id), { force: true });
    out.push({ Deleted: id });
    this.collectGarbage();
    this.save();
    return out;
  }

  /** Drop layers no image or import refers to; true when something went. */
  private collectGarbage(): boolean {
    const used = new Set<string>(this.pinned.keys());
    for (const id of Object.keys(this.index.images)) for (const d of this.configs.get(id)?.rootfs.diff_ids ?? []) used.add(d);
    let changed = false;
    for (const [diffId, rec] of Object.entries(this.index.layers)) {
      if (used.has(diffId)) continue;
      rmSync(join(this.root, 'layers', hex(diffId)), { recursive: true, force: true });
      rmSync(this.blobPath(rec.blob), { force: true });
      if (rec.gzipBlob) rmSync(this.blobPath(rec.gzipBlob), { force: true });
      delete this.index.layers[diffId];
      changed = true;
    }
    // Layer dirs the index does not know: an unpack that finished after a crash.
    for (const d of readdirSync(join(this.root, 'layers'))) {
      if (!this.index.layers[`sha256:${d}`] && !used.has(`sha256:${d}`)) rmSync(join(this.root, 'layers', d), { recursive: true, force: true });
    }
    return changed;
  }

  /** `GET /images/{name}/history`, newest first. */
  history(ref: string): Array<{ Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string }> {
    const img = this.resolve(ref);
    const diffIds = img.config.rootfs.diff_ids;
    // Configs without history (hand-made ones) still get a row per layer.
    const hist: HistoryEntry[] = img.config.history?.length ? img.config.history : diffIds.map(() => ({}));
    let li = 0;
    const rows = hist.map((h) => {
      const diffId = h.empty_layer ? undefined : diffIds[li++];
      return {
        Id: '<missing>',
        Created: unixSeconds(h.created ?? img.config.created),
        CreatedBy: h.created_by ?? '',
        Tags: null as string[] | null,
        Size: diffId ? (this.index.layers[diffId]?.size ?? 0) : 0,
        Comment: h.comment ?? '',
      };
    });
    rows.reverse();
    if (rows[0]) {
      rows[0].Id = img.id;
      rows[0].Tags = img.repoTags.map(familiarName);
    }
    return rows;
  }

  /** `GET /images/{name}/json`. */
  inspectJson(ref: string): Record<string, unknown> {
    const img = this.resolve(ref);
    const c = img.config;
    const lower = this.layerDirs(img).reverse();
    return {
      Id: img.id,
      RepoTags: img.repoTags.map(familiarName),
      RepoDigests: img.repoDigests.map(familiarName),
      Parent: '',
      Comment: c.comment ?? '',
      Created: c.created ?? new Date(0).toISOString(),
      DockerVersion: c.docker_version ?? '',
      Author: c.author ?? '',
      // As stored, like docker: an imported image's Config is `{}`.
      Config: c.config ?? {},
      Architecture: c.architecture,
      ...(c.variant ? { Variant: c.variant } : {}),
      Os: c.os,
      Size: img.size,
      VirtualSize: img.size,
      GraphDriver: { Name: 'overlay2', Data: lower.length ? { LowerDir: lower.join(':') } : {} },
      RootFS: { Type: 'layers', Layers: [...c.rootfs.diff_ids] },
      Metadata: { LastTagTime: img.lastTagTime },
    };
  }

  /** One row of `GET /images/json`. */
  summaryJson(image: StoredImage): Record<string, unknown> {
    return {
      Id: image.id,
      ParentId: '',
      RepoTags: image.repoTags.map(familiarName),
      RepoDigests: image.repoDigests.map(familiarName),
      Created: unixSeconds(image.config.created),
      Size: image.size,
      SharedSize: -1,
      VirtualSize: image.size,
      Labels: image.config.config?.Labels ?? {},
      Containers: -1,
    };
  }

  /** Adds `name@sha256:…` to an image's digests (after a pull or a push). */
  addRepoDigest(id: string, digested: string): void {
    const rec = this.index.images[id];
    const n = normalizeRef(digested);
    if (!rec || !n?.digested) return;
    // One digest per repository and manifest; a repository's older digests stay, as in docker.
    if (!rec.repoDigests.includes(n.digested)) rec.repoDigests.push(n.digested);
    this.save();
  }

  /**
   * The compressed blob a registry gets for a layer: the exact blob pulled or
   * loaded when it was gzip, else a gzip copy made once and kept, so every
   * push of the layer names the same digest.
   */
  async pushableBlob(diffId: string): Promise<PushableBlob> {
    const rec = this.index.layers[diffId];
    if (!rec) throw serverError(`layer ${diffId} is not in the store`);
    const digest = rec.compressed ? rec.blob : rec.gzipBlob;
    if (digest && existsSync(this.blobPath(digest))) return { digest, size: this.blobSize(digest), path: this.blobPath(digest) };
    this.pinned.set(diffId, (this.pinned.get(diffId) ?? 0) + 1);
    const tmp = this.tmpPath();
    try {
      const made = await gzipFile(this.blobPath(rec.blob), tmp);
      const path = this.blobPath(made.digest);
      if (existsSync(path)) rmSync(tmp, { force: true });
      else renameSync(tmp, path);
      const now = this.index.layers[diffId];
      if (now) {
        now.gzipBlob = made.digest;
        this.save();
      }
      return { digest: made.digest, size: made.size, path };
    } finally {
      rmSync(tmp, { force: true });
      const n = (this.pinned.get(diffId) ?? 1) - 1;
      if (n <= 0) this.pinned.delete(diffId);
      else this.pinned.set(diffId, n);
    }
  }

  /** Bytes on disk of a stored blob (for save). */
  blobSize(digest: string): number {
    return statSync(this.blobPath(digest)).size;
  }
}

function unixSeconds(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}
