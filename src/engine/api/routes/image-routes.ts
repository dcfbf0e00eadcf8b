// `/images/…`: list, inspect, tag, remove, history, import (`fromSrc`), load
// and save. Pulling from a registry comes with the registry client; until
// then `fromImage` answers with what to do instead.

import { badRequest, noSuchImage } from '../api-error.js';
import { checkFilterNames, matchLabels, queryBool, queryFilters, sendJson } from '../http-io.js';
import type { Router } from '../router.js';
import type { ImageStore } from '../../images/index.js';
import { importRootfs, loadArchive, saveArchive } from '../../images/index.js';

export function registerImageRoutes(router: Router, images: ImageStore): void {
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
    const tag = ctx.query.get('tag');
    const ref = tag && !fromImage.includes('@') ? `${fromImage}:${tag}` : fromImage;
    const local = images.resolve(ref);
    if (local) {
      // Already here: answer as a registry pull would when up to date.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: `Status: Image is up to date for ${ref}` }) + '\n');
      return;
    }
    throw Object.assign(noSuchImage(ref), {
      message: `pull access denied for ${ref}: this engine does not pull from registries yet; import or load the image (docker import / docker load)`,
    });
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
