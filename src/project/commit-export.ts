// `compose commit` and `compose export`: a service container (the first
// replica, or `index`) made into an image, or written out as a tar of its
// filesystem, as docker commit and docker export do for one container.

import type { Readable } from 'node:stream';
import { GantryError } from '../common/errors.js';
import { parseImageReference } from '../common/image-ref.js';
import type { LoadOptions } from '../spec/index.js';
import { serviceContainer } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface CommitServiceOptions extends EngineOptions {
  service: string;
  index?: number;
  /** `REPOSITORY[:TAG]` for the new image; untagged without it. */
  reference?: string;
  author?: string;
  message?: string;
  /** Dockerfile instructions applied to the config: `ENV A=1`, `CMD ["sh"]`. */
  changes?: string[];
  /** Pause the container while committing (the default, as docker). */
  pause?: boolean;
}

export interface CommitResult {
  /** `sha256:…` */
  id: string;
  container: string;
}

export async function commit(load: LoadOptions, opts: CommitServiceOptions): Promise<CommitResult> {
  let repo: string | undefined;
  let tag: string | undefined;
  if (opts.reference) {
    let ref;
    try {
      ref = parseImageReference(opts.reference);
    } catch (e) {
      throw new GantryError('usage', `invalid reference format: ${opts.reference}: ${(e as Error).message}`, { hint: 'name it as REPOSITORY[:TAG], e.g. myapp/web:debug' });
    }
    if (ref.digest) throw new GantryError('usage', `invalid reference format: ${opts.reference}: a new image cannot be named by a digest`, { hint: 'name it as REPOSITORY[:TAG]' });
    tag = ref.tag;
    repo = tag === undefined ? opts.reference : opts.reference.slice(0, -(tag.length + 1));
  }
  const { name, engine } = await openTarget(load, opts, [opts.service]);
  const c = await serviceContainer(engine, name, { service: opts.service, index: opts.index, all: true, signal: opts.signal });
  const id = await engine.containers.commit(c.Id, { repo, tag, author: opts.author, comment: opts.message, changes: opts.changes, pause: opts.pause, signal: opts.signal });
  return { id, container: nameOf(c) };
}

export interface ExportServiceOptions extends EngineOptions {
  service: string;
  index?: number;
}

/** The container's filesystem as a tar stream, to be read to its end. */
export async function exportContainer(load: LoadOptions, opts: ExportServiceOptions): Promise<{ container: string; tar: Readable }> {
  const { name, engine } = await openTarget(load, opts, [opts.service]);
  const c = await serviceContainer(engine, name, { service: opts.service, index: opts.index, all: true, signal: opts.signal });
  return { container: nameOf(c), tar: await engine.containers.export(c.Id, { signal: opts.signal }) };
}
