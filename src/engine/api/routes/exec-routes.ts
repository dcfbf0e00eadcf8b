// `/exec/{id}/…`: start (attached over a hijacked connection, or detached),
// resize and inspect.

import { badRequest } from '../api-error.js';
import { queryInt, readJson, sendJson } from '../http-io.js';
import type { Router } from '../router.js';
import { hijack, readUpgradeBody } from '../server.js';
import type { ExecService } from '../../containers/exec-service.js';

export function registerExecRoutes(router: Router, execs: ExecService): void {
  router.post('/exec/{id}/start', async (ctx) => {
    const body = ctx.upgrade ? ((await readUpgradeBody<{ Detach?: boolean; Tty?: boolean }>(ctx)) ?? {}) : await readJson<{ Detach?: boolean; Tty?: boolean }>(ctx.req);
    const e = execs.get(ctx.params.id!);
    if (body.Detach) {
      await execs.start(e.ID, { detach: true });
      if (ctx.upgrade) ctx.upgrade.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      else {
        ctx.res!.writeHead(200);
        ctx.res!.end();
      }
      return;
    }
    const socket = hijack(ctx, e.Config.Tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
    await execs.start(e.ID, { socket });
  });

  router.post('/exec/{id}/resize', (ctx) => {
    const h = queryInt(ctx.query, 'h');
    const w = queryInt(ctx.query, 'w');
    if (h === undefined || w === undefined) throw badRequest('h and w are required');
    execs.resize(ctx.params.id!, h, w);
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });

  router.get('/exec/{id}/json', (ctx) => {
    sendJson(ctx.res!, 200, execs.inspect(ctx.params.id!));
  });
}
