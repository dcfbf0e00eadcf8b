// The builder's cache: a chain key (base image + instructions as expanded +
// the digest of COPY sources) → the image that step produced. Kept in one
// JSON file; an entry whose image is gone is simply a miss.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../store/document-store.js';
import type { ImageStore, StoredImage } from '../image-store.js';

export class BuildCache {
  private entries: Record<string, string> = {};

  constructor(
    private readonly file: string,
    private readonly images: ImageStore,
  ) {
    if (existsSync(file)) {
      try {
        this.entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      } catch {
        // A damaged cache only costs rebuilds.
        this.entries = {};
      }
    }
  }

  get(key: string): StoredImage | undefined {
    const id = this.entries[key];
    return id ? this.images.get(id) : undefined;
  }

  put(key: string, imageId: string): void {
    this.entries[key] = imageId;
    for (const [k, id] of Object.entries(this.entries)) if (!this.images.get(id)) delete this.entries[k];
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.file, JSON.stringify(this.entries));
  }
}
