// `compose images`: the image each of the project's containers was created
// from. One list call, then one inspect per distinct image (not per container:
// replicas share theirs).

import { parseImageReference, DEFAULT_REGISTRY } from '../common/image-ref.js';
import { Label } from '../common/labels.js';
import type { ImageDetails } from '../engine-client/index.js';
import type { LoadOptions } from '../spec/index.js';
import { serviceOf } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface ImagesOptions extends EngineOptions {
  services?: string[];
}

/** docker compose's image summary, keyed by the container that uses it. */
export interface ContainerImage {
  /** `app-web-1`. */
  ContainerName: string;
  /** `sha256:…`. */
  ID: string;
  /** `busybox`, `registry:5000/team/app`; empty when the container names its image by ID. */
  Repository: string;
  Tag: string;
  /** `linux/amd64`; empty when the image is gone. */
  Platform: string;
  /** Bytes. */
  Size: number;
  /** RFC 3339; undefined when unknown. */
  Created?: string;
}

export async function images(load: LoadOptions, opts: ImagesOptions = {}): Promise<ContainerImage[]> {
  const named = opts.services ?? [];
  const { name, engine } = await openTarget(load, opts, named);
  const wanted = new Set(named);
  const containers = (await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${name}`] }, signal: opts.signal })).filter(
    (c) => wanted.size === 0 || wanted.has(serviceOf(c)),
  );
  const details = new Map<string, Promise<ImageDetails | undefined>>();
  for (const c of containers) if (!details.has(c.ImageID)) details.set(c.ImageID, engine.images.inspect(c.ImageID, { signal: opts.signal }));
  const rows = await Promise.all(
    containers.map(async (c) => {
      const img = await details.get(c.ImageID);
      const { repository, tag } = repositoryAndTag(c.Image);
      const row: ContainerImage = {
        ContainerName: nameOf(c),
        ID: img?.Id ?? c.ImageID,
        Repository: repository,
        Tag: tag,
        Platform: img ? [img.Os, img.Architecture, img.Variant].filter(Boolean).join('/') : '',
        Size: img?.Size ?? 0,
      };
      if (img?.Created) row.Created = img.Created;
      return row;
    }),
  );
  return rows.sort((a, b) => (a.ContainerName < b.ContainerName ? -1 : a.ContainerName > b.ContainerName ? 1 : 0));
}

/** `busybox` → busybox, latest; `docker.io/library/nginx:1` → nginx, 1; an image ID → nothing. */
export function repositoryAndTag(image: string): { repository: string; tag: string } {
  if (/^(sha256:)?[0-9a-f]{64}$/.test(image)) return { repository: '', tag: '' };
  try {
    const ref = parseImageReference(image);
    let repository = ref.repository;
    if (ref.registry === DEFAULT_REGISTRY) repository = repository.replace(/^library\//, '');
    else repository = `${ref.registry}/${repository}`;
    return { repository, tag: ref.tag ?? (ref.digest ? '' : 'latest') };
  } catch {
    return { repository: '', tag: '' };
  }
}
