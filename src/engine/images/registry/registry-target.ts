// Where a reference lives: the registry's API endpoint and the repository in
// it. Docker Hub's name (`docker.io`) is not its API host; loopback
// registries speak plain HTTP, as docker treats them as insecure by default.

import { parseImageReference } from '../../../common/image-ref.js';
import { badRequest } from '../../api/api-error.js';

export interface RegistryTarget {
  /** As names carry it: `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** `library/busybox`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000`. */
  endpoint: string;
  /** `docker.io/library/busybox`, as the store keys names. */
  name: string;
}

const HUB_API = 'registry-1.docker.io';

export function isInsecureRegistry(host: string): boolean {
  const bare = host.replace(/:\d+$/, '');
  return bare === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(bare) || bare === '[::1]';
}

/** `fromImage` + `tag` (or a push's name + tag) as docker's API gives them; 400 when malformed. */
export function registryTarget(image: string, tag?: string | null): RegistryTarget {
  let r;
  try {
    r = parseImageReference(image);
  } catch (e) {
    throw badRequest(`invalid reference format: ${(e as Error).message}`);
  }
  if (tag) {
    if (/^[a-z0-9]+:[0-9a-f]{32,}$/.test(tag)) r.digest = tag;
    else if (!r.digest) r.tag = tag;
  }
  if (!r.digest && !r.tag) r.tag = 'latest';
  const host = r.registry === 'docker.io' ? HUB_API : r.registry;
  const scheme = isInsecureRegistry(host) ? 'http' : 'https';
  return { registry: r.registry, repository: r.repository, tag: r.tag, digest: r.digest, endpoint: `${scheme}://${host}`, name: `${r.registry}/${r.repository}` };
}

/** The reference as docker's messages print it: `busybox:latest`, `127.0.0.1:5000/x/y@sha256:…`. */
export function targetRef(t: RegistryTarget): string {
  return `${t.name}${t.digest ? `@${t.digest}` : `:${t.tag}`}`;
}

/** A login's `serveraddress` (`127.0.0.1:5000`, `https://index.docker.io/v1/`) as a target with no repository. */
export function loginTarget(serverAddress: string | undefined): RegistryTarget {
  const host = (serverAddress || 'docker.io').replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  const registry = /^(index\.)?docker\.io$|^registry-1\.docker\.io$/.test(host) ? 'docker.io' : host;
  if (!/^[\w.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(registry)) throw badRequest(`invalid registry address ${JSON.stringify(serverAddress)}`);
  const api = registry === 'docker.io' ? HUB_API : registry;
  return { registry, repository: '', endpoint: `${isInsecureRegistry(api) ? 'http' : 'https'}://${api}`, name: registry };
}
