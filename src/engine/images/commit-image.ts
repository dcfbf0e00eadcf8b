// An image made from a parent image (or none: `FROM scratch`) plus one more
// layer, the upper dir of an overlay. `docker commit` and the builder's
// RUN/COPY/ADD steps both end here.

import type { ImageRuntimeConfig } from '../containers/docker-types.js';
import { upperDirTar } from './commit-layer.js';
import { hostArchitecture, type HistoryEntry, type ImageConfigFile } from './image-config.js';
import type { ImageStore, StoredImage } from './image-store.js';

export interface CommitOptions {
  /** The image the layer goes on top of; undefined for an image of one layer. */
  parent?: ImageConfigFile;
  /** Overlay upper dir whose contents become the new layer; undefined: no new layer (metadata only). */
  upperDir?: string;
  runtime: ImageRuntimeConfig;
  createdBy: string;
  comment?: string;
  author?: string;
  repoTags?: string[];
}

/** The config of the new image, given the diff id of its new layer (if any). */
export function childConfig(opts: CommitOptions, newDiffId: string | undefined): ImageConfigFile {
  const created = new Date().toISOString();
  const entry: HistoryEntry = { created, created_by: opts.createdBy };
  if (opts.comment) entry.comment = opts.comment;
  if (opts.author) entry.author = opts.author;
  if (!newDiffId) entry.empty_layer = true;
  const parent = opts.parent;
  const config: ImageConfigFile = {
    architecture: parent?.architecture ?? hostArchitecture(),
    os: parent?.os ?? 'linux',
    ...(parent?.variant ? { variant: parent.variant } : {}),
    created,
    config: opts.runtime,
    rootfs: { type: 'layers', diff_ids: [...(parent?.rootfs.diff_ids ?? []), ...(newDiffId ? [newDiffId] : [])] },
    history: [...(parent?.history ?? []), entry],
  };
  if (opts.author) config.author = opts.author;
  if (opts.comment) config.comment = opts.comment;
  return config;
}

export async function commitImage(store: ImageStore, opts: CommitOptions): Promise<StoredImage> {
  return store.ingest(async (add) => {
    const layer = opts.upperDir ? await add(await upperDirTar(opts.upperDir)) : undefined;
    const config = childConfig(opts, layer?.diffId);
    return store.addImage(Buffer.from(JSON.stringify(config)), { repoTags: opts.repoTags ?? [] });
  });
}
