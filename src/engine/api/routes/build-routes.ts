// `POST /build` (the classic Dockerfile builder) and `POST /commit`.
// A build answers with docker's JSON message stream; a failure once the
// stream has started is an `errorDetail` message in it, as in dockerd.

import { join } from 'node:path';
import { badRequest } from '../api-error.js';
import { queryBool, sendJson } from '../http-io.js';
import type { Router } from '../router.js';
import type { ContainerService } from '../../containers/container-service.js';
import type { ImageStore } from '../../images/image-store.js';
import type { Snapshots } from '../../images/snapshots.js';
import { normalizeTag } from '../../images/image-names.js';
import { commitContainer } from '../../images/commit-container.js';
import { BuildCache } from '../../images/builder/build-cache.js';
import { openContext } from '../../images/builder/build-context.js';
import { BuildError } from '../../images/builder/build-state.js';
import { ImageBuilder } from '../../images/builder/image-builder.js';
import { ProgressStream } from '../../images/registry/progress-stream.js';
import { pullImage } from '../../images/registry/pull-image.js';
import { base64JsonHeader, credentialsOf, type RegistryCredentials } from '../../images/registry/registry-credentials.js';
import { registryTarget } from '../../images/registry/registry-target.js';

export interface BuildRouteDeps {
  images: ImageStore;
  snapshots: Snapshots;
  containers: ContainerService;
  dataRoot: string;
}

function jsonMap(query: URLSearchParams, name: string): Record<string, string> {
  const raw = query.get(name);
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw badRequest(`${name} is not a JSON object: ${raw}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${name} is not a JSON object: ${raw}`);
  const out: Record<string, string> = {};
  // A null build arg means "from the client's environment", which the client resolves; unset here.
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== null && x !== undefined) out[k] = String(x);
  return out;
}

/** X-Registry-Config: base64 JSON, registry host → docker's AuthConfig, for the base images a build pulls. */
function registryConfig(header: string | string[] | undefined): Record<string, RegistryCredentials> {
  const parsed = base64JsonHeader(header, 'X-Registry-Config') ?? {};
  const out: Record<string, RegistryCredentials> = {};
  for (const [host, auth] of Object.entries(parsed)) if (auth && typeof auth === 'object') out[host] = credentialsOf(auth as Record<string, unknown>);
  return out;
}

export function registerBuildRoutes(router: Router, deps: BuildRouteDeps): void {
  const cache = new BuildCache(join(deps.dataRoot, 'builder', 'cache.json'), deps.images);

  router.post('/build', async (ctx) => {
    const q = ctx.query;
    if (q.get('remote')) throw badRequest('building from a remote context is not supported: send the context as a tar body');
    const tags = q.getAll('t').filter(Boolean);
    for (const t of tags) normalizeTag(t);
    const context = await openContext(ctx.req, deps.images.tmpPath(), q.get('dockerfile') || 'Dockerfile');
    const res = ctx.res!;
    try {
      const credentials = registryConfig(ctx.req.headers['x-registry-config']);
      // Base images the engine lacks come from their registry, their progress inside the build's stream.
      const pull = (ref: string) => {
        const target = registryTarget(ref);
        const creds = credentials[target.registry] ?? credentials[`https://${target.registry}`] ?? (target.registry === 'docker.io' ? credentials['https://index.docker.io/v1/'] : undefined) ?? {};
        return pullImage(deps.images, target, new ProgressStream(res), { creds });
      };
      const builder = new ImageBuilder({ ...deps, cache, pull, cacheMountRoot: join(deps.dataRoot, 'builder', 'cache-mounts') }, {
        contextDir: context.dir,
        dockerfile: context.dockerfile,
        tags,
        buildArgs: jsonMap(q, 'buildargs'),
        target: q.get('target') || undefined,
        labels: jsonMap(q, 'labels'),
        noCache: queryBool(q, 'nocache'),
        quiet: queryBool(q, 'q'),
        pull: queryBool(q, 'pull'),
      }, (m) => res.write(JSON.stringify(m) + '\n'));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      try {
        await builder.build();
      } catch (e) {
        const code = e instanceof BuildError ? e.code : 1;
        const message = (e as Error).message;
        res.write(JSON.stringify({ errorDetail: { code, message }, error: message }) + '\n');
      }
      res.end();
    } finally {
      context.remove();
    }
  });

  router.post('/commit', async (ctx) => {
    const q = ctx.query;
    const ref = q.get('container');
    if (!ref) throw badRequest('container is required');
    const c = deps.containers.find(ref);
    const image = await commitContainer(deps.images, c, deps.snapshots.upperDir(c.Id), {
      repo: q.get('repo') || undefined,
      tag: q.get('tag') || undefined,
      comment: q.get('comment') || undefined,
      author: q.get('author') || undefined,
      changes: q.getAll('changes').flatMap((ch) => ch.split('\n')),
    });
    sendJson(ctx.res!, 201, { Id: image.id });
  });
}
