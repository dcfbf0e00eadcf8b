// `/images/…`: list, inspect, tag, remove, history, import (`fromSrc`),
// pull (`fromImage`) and push through the registry client, load and save.

import type { ServerResponse } from 'node:http';
import { badRequest, noSuchImage } from '../api-error.js';
import { checkFilterNames, matchLabels, queryBool, queryFilters, readJson, sendJson } from '../http-io.js';
import type { Router } from '../router.js';
import type { ImageStore } from '../../images/index.js';
import { importRootfs, loadArchive, saveArchive } from '../../images/index.js';
import { ProgressStream } from '../../images/registry/progress-stream.js';
import { pullApiError, pullImage } from '../../images/registry/pull-image.js';
import { imagesToPush, pushImage } from '../../images/registry/push-image.js';
import { decodeRegistryAuth } from '../../images/registry/registry-credentials.js';
import { registryLogin, type LoginRequest } from '../../images/registry/registry-login.js';
import { registryTarget, targetRef } from '../../images/registry/registry-target.js';
import { familiarName } from '../../images/image-names.js';
import type { EventBus } from '../../events/event-bus.js';

/** `events` (optional until the daemon passes it) gets docker's image `pull` and `push` events. */
export function registerImageRoutes(router: Router, images: ImageStore, events?: EventBus): void {
  router.get('/images/json', (ctx) => {
    const f = queryFilters(ctx.query);
    checkFilterNames(f, ['reference', 'label', 'dangling', 'before', 'since']);
    const all = images.list().filter((img) => {
      const summary = images.summaryJson(img) as { RepoTags?: string[]; Labels?: Record<string, string> | null };
      const tags = summary.RepoTags ?? [];
      if (f.dangling && f.dangling.some((d) => (d === 'true' || d === '1') !== (tags.length === 0))) return false;
      if (f.reference && !f.reference.some((r) => tags.some((t) => globMatch(r, t) || globMatch(r, t.replace(/:[^:/]+$/, ''))))) return false;
      return matchLabels(summary.Labels ?? {}, f.label);
    });
    sendJson(ctx.res!, 200, all.map((img) => images.summaryJson(img)));
  });

  router.post('/images/create', async (ctx) => {
    const res = ctx.res!;
    const fromSrc = ctx.query.get('fromSrc');
    if (fromSrc !== null) {
      if (fromSrc !== '-') throw badRequest(`importing from a URL is not supported; send the tar as the request body (fromSrc=-)`);
      const repo = ctx.query.get('repo') || undefined;
      const tag = ctx.query.get('tag') || undefined;
      const repoTag = repo ? (tag ? `${repo}:${tag}` : repo) : undefined;
      const image = await importRootfs(images, ctx.req, { repoTag, changes: ctx.query.getAll('changes'), message: ctx.query.get('message') ?? undefined });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: image.id }) + '\n');
      return;
    }
    const fromImage = ctx.query.get('fromImage');
    if (!fromImage) throw badRequest('fromImage or fromSrc is required');
    const target = registryTarget(fromImage, ctx.query.get('tag'));
    const creds = decodeRegistryAuth(ctx.req.headers['x-registry-auth']);
    const progress = new ProgressStream(res);
    try {
      await pullImage(images, target, progress, { creds, platform: ctx.query.get('platform'), signal: abortOnClose(res) });
      events?.publish('image', 'pull', familiarName(targetRef(target)), { name: familiarName(target.name) });
      progress.end();
    } catch (e) {
      // Before the first line the client still gets a status code; after it, docker's error line.
      if (!progress.started) throw pullApiError(e, target);
      progress.fail((e as Error).message);
    }
  });

  router.post('/auth', async (ctx) => {
    sendJson(ctx.res!, 200, await registryLogin(await readJson<LoginRequest>(ctx.req), abortOnClose(ctx.res!)));
  });

  router.post('/images/{name*}/push', async (ctx) => {
    const res = ctx.res!;
    const tag = ctx.query.get('tag');
    const target = registryTarget(ctx.params.name!, tag);
    if (target.digest) throw badRequest('cannot push a digest reference');
    const creds = decodeRegistryAuth(ctx.req.headers['x-registry-auth']);
    const items = imagesToPush(images, target, Boolean(tag) || /:[^/]+$/.test(ctx.params.name!));
    const progress = new ProgressStream(res);
    try {
      await pushImage(images, target, items, progress, { creds, signal: abortOnClose(res) });
      for (const { tag } of items) events?.publish('image', 'push', familiarName(`${target.name}:${tag}`), { name: familiarName(target.name) });
      progress.end();
    } catch (e) {
      progress.fail((e as Error).message);
    }
  });

  router.post('/images/load', async (ctx) => {
    const { loaded } = await loadArchive(images, ctx.req);
    const res = ctx.res!;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const quiet = queryBool(ctx.query, 'quiet');
    for (const name of loaded) {
      const line = /^sha256:/.test(name) ? `Loaded image ID: ${name}\n` : `Loaded image: ${name}\n`;
      res.write(JSON.stringify({ stream: quiet ? line : line }) + '\n');
    }
    res.end();
  });

  const save = (ctx: Parameters<Parameters<Router['get']>[1]>[0], refs: string[]) => {
    if (refs.length === 0) throw badRequest('names is required');
    for (const ref of refs) if (!images.resolve(ref)) throw noSuchImage(ref);
    const tar = saveArchive(images, refs);
    ctx.res!.writeHead(200, { 'Content-Type': 'application/x-tar' });
    tar.on('error', () => ctx.res!.destroy());
    tar.pipe(ctx.res!);
  };
  router.get('/images/get', (ctx) => save(ctx, ctx.query.getAll('names')));
  router.get('/images/{name*}/get', (ctx) => save(ctx, [ctx.params.name!]));

  router.get('/images/{name*}/json', (ctx) => sendJson(ctx.res!, 200, images.inspectJson(ctx.params.name!)));

  router.get('/images/{name*}/history', (ctx) => sendJson(ctx.res!, 200, images.history(ctx.params.name!)));

  router.post('/images/{name*}/tag', (ctx) => {
    const repo = ctx.query.get('repo');
    if (!repo) throw badRequest('repo is required');
    images.tag(ctx.params.name!, repo, ctx.query.get('tag') || 'latest');
    ctx.res!.writeHead(201);
    ctx.res!.end();
  });

  router.post('/images/prune', (ctx) => {
    const f = queryFilters(ctx.query);
    const danglingOnly = !(f.dangling ?? []).some((d) => d === 'false' || d === '0');
    const deleted: Array<Record<string, string>> = [];
    for (const img of images.list()) {
      const summary = images.summaryJson(img) as { Id: string; RepoTags?: string[] };
      if (danglingOnly && (summary.RepoTags ?? []).length > 0) continue;
      try {
        deleted.push(...images.remove(summary.Id, { force: false, noprune: false }));
      } catch {
        // In use by a container: kept.
      }
    }
    sendJson(ctx.res!, 200, { ImagesDeleted: deleted, SpaceReclaimed: 0 });
  });

  router.delete('/images/{name*}', (ctx) => {
    sendJson(ctx.res!, 200, images.remove(ctx.params.name!, { force: queryBool(ctx.query, 'force'), noprune: queryBool(ctx.query, 'noprune') }));
  });
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.') + '$');
  return re.test(text) || re.test(text.replace(/^docker\.io\/(library\/)?/, ''));
}

/** Aborted when the client goes away before the answer is complete (docker pull interrupted). */
function abortOnClose(res: ServerResponse): AbortSignal {
  const ctl = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) ctl.abort(new Error('the client closed the connection'));
  });
  return ctl.signal;
}
