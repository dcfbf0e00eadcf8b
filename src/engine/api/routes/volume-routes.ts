// `/volumes/…`.

import { checkFilterNames, matchLabels, queryBool, queryFilters, readJson, sendEmpty, sendJson } from '../http-io.js';
import type { Router } from '../router.js';
import type { VolumeRecord, VolumeService } from '../../volumes/volume-service.js';

export function registerVolumeRoutes(router: Router, volumes: VolumeService, usedBy: (name: string) => string[]): void {
  const matches = (v: VolumeRecord, f: Record<string, string[]>) =>
    matchLabels(v.Labels, f.label) &&
    (!f.name || f.name.some((n) => v.Name.includes(n))) &&
    (!f.driver || f.driver.includes(v.Driver)) &&
    (!f.dangling || f.dangling.some((d) => (d === 'true' || d === '1') === (usedBy(v.Name).length === 0)));

  router.get('/volumes', (ctx) => {
    const f = queryFilters(ctx.query);
    checkFilterNames(f, ['name', 'label', 'driver', 'dangling']);
    sendJson(ctx.res!, 200, { Volumes: volumes.list().filter((v) => matches(v, f)), Warnings: [] });
  });

  router.post('/volumes/create', async (ctx) => {
    sendJson(ctx.res!, 201, volumes.create(await readJson(ctx.req)));
  });

  router.get('/volumes/{name}', (ctx) => sendJson(ctx.res!, 200, volumes.inspect(ctx.params.name!)));

  router.delete('/volumes/{name}', (ctx) => {
    volumes.remove(ctx.params.name!, queryBool(ctx.query, 'force'));
    sendEmpty(ctx.res!);
  });

  router.post('/volumes/prune', (ctx) => {
    const f = queryFilters(ctx.query);
    const all = f.all?.some((a) => a === 'true' || a === '1') ?? false;
    delete f.all;
    sendJson(ctx.res!, 200, volumes.prune({ all }, (v) => matches(v, f)));
  });
}
