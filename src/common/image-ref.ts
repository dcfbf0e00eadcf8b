// Image references as docker writes them: [registry[:port]/]path[:tag][@digest].
// Shared by the loader (to reject malformed `image:` values early) and, later,
// by the engine's image store and registry client.

export interface ImageReference {
  /** Registry host, e.g. `docker.io`, `localhost:5000`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_REGISTRY = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;

/** Why a reference is malformed, or undefined when it is fine. */
export function imageReferenceProblem(ref: string): string | undefined {
  try {
    parseImageReference(ref);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function parseImageReference(ref: string): ImageReference {
  if (ref === '') throw new Error('an image reference cannot be empty');
  if (ref.length > 255 + 128 + 80) throw new Error('the image reference is too long');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`"${digest}" is not a valid digest (expected algorithm:hex, e.g. sha256:…)`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new Error(`"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  const parts = rest.split('/');
  let registry = DEFAULT_REGISTRY;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    if (!HOST.test(first)) throw new Error(`"${first}" is not a valid registry host`);
    registry = first;
    parts.shift();
  }
  for (const c of parts) {
    if (!COMPONENT.test(c)) {
      const lower = c !== c.toLowerCase() ? ' (repository names must be lowercase)' : '';
      throw new Error(`"${c}" is not a valid repository name component${lower}`);
    }
  }
  if (registry === DEFAULT_REGISTRY && parts.length === 1) parts.unshift('library');
  return { registry, repository: parts.join('/'), tag, digest };
}

/** The canonical full name: `docker.io/library/busybox:latest`. */
export function formatImageReference(r: ImageReference, defaultTag = 'latest'): string {
  const tag = r.tag ?? (r.digest ? undefined : defaultTag);
  return `${r.registry}/${r.repository}${tag ? `:${tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
