// `POST /images/create?fromSrc=-` (docker import): a root filesystem tar
// (plain or gzip) becomes a one-layer image whose config carries the
// `--change` instructions.

import type { Readable } from 'node:stream';
import { applyChanges } from './image-changes.js';
import { hostArchitecture, type ImageConfigFile } from './image-config.js';
import type { ImageStore, StoredImage } from './image-store.js';

export interface ImportOptions {
  repoTag?: string;
  changes?: string[];
  message?: string;
  /** Defaults to the host's. */
  architecture?: string;
  os?: string;
}

export async function importRootfs(store: ImageStore, stream: Readable, opts: ImportOptions = {}): Promise<StoredImage> {
  // Validate the changes before spending time on the tar.
  const runtime = applyChanges({}, opts.changes ?? []);
  return store.ingest(async (add) => {
    const layer = await add(stream);
    const created = new Date().toISOString();
    const config: ImageConfigFile = {
      architecture: opts.architecture ?? hostArchitecture(),
      os: opts.os ?? 'linux',
      created,
      comment: opts.message || 'Imported from -',
      config: runtime,
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created, created_by: '', comment: opts.message || 'Imported from -' }],
    };
    return store.addImage(Buffer.from(JSON.stringify(config)), { repoTags: opts.repoTag ? [opts.repoTag] : [] });
  });
}
