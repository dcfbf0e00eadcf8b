// Image names as the store keeps them (fully qualified, so `busybox`,
// `busybox:latest` and `docker.io/library/busybox:latest` are one name) and
// as docker shows them (familiar: `busybox:latest`).

import { DEFAULT_REGISTRY, parseImageReference } from '../../common/image-ref.js';
import { badRequest } from '../api/api-error.js';

export interface NormalizedRef {
  /** `docker.io/library/busybox` */
  name: string;
  /** `docker.io/library/busybox:latest`, when the ref has no digest. */
  tagged?: string;
  /** `docker.io/library/busybox@sha256:…`, when it has one. */
  digested?: string;
}

/** Parse a user's image reference; undefined when it is not one (e.g. an id prefix with odd characters). */
export function normalizeRef(ref: string): NormalizedRef | undefined {
  let r;
  try {
    r = parseImageReference(ref);
  } catch {
    return undefined;
  }
  const name = `${r.registry}/${r.repository}`;
  if (r.digest) return { name, digested: `${name}@${r.digest}` };
  return { name, tagged: `${name}:${r.tag ?? 'latest'}` };
}

/** `repo` + `tag` as `docker tag` / `POST /images/{name}/tag` give them; 400 when malformed. */
export function normalizeTag(repo: string, tag?: string): string {
  const ref = tag ? `${repo}:${tag}` : repo;
  let r;
  try {
    r = parseImageReference(ref);
  } catch (e) {
    throw badRequest(`invalid reference format: ${(e as Error).message}`);
  }
  if (r.digest) throw badRequest('refusing to create a tag with a digest reference');
  return `${r.registry}/${r.repository}:${r.tag ?? 'latest'}`;
}

/** How docker prints a stored name: without `docker.io/` and `library/`. */
export function familiarName(full: string): string {
  const prefix = `${DEFAULT_REGISTRY}/`;
  if (!full.startsWith(prefix)) return full;
  const rest = full.slice(prefix.length);
  return rest.startsWith('library/') && !rest.slice('library/'.length).includes('/') ? rest.slice('library/'.length) : rest;
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
