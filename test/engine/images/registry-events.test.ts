// The image routes in-process (a store in a temp dir, the API on its own
// socket): pull and push publish docker's image events when given the bus.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { registerImageRoutes } from '../../../src/engine/api/routes/image-routes.js';
import { Router } from '../../../src/engine/api/router.js';
import { listenApi } from '../../../src/engine/api/server.js';
import { EventBus, type EngineEvent } from '../../../src/engine/events/event-bus.js';
import { ImageStore } from '../../../src/engine/images/image-store.js';
import { importRootfs } from '../../../src/engine/images/import-image.js';
import { busyboxRootfsTar } from './fixtures.js';
import { Readable } from 'node:stream';
import { startTestRegistry, type TestRegistry } from './registry-fixture.js';

function post(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'POST', path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('image routes: pull and push events', function () {
  this.timeout(120_000);
  let dir: string;
  let registry: TestRegistry;
  let server: Server;
  const events: EngineEvent[] = [];
  let socketPath: string;

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'unpacking layers needs root');
    dir = mkdtempSync(join(tmpdir(), 'gt-registry-events-'));
    registry = await startTestRegistry();
    const store = new ImageStore(join(dir, 'images'));
    await store.init();
    await importRootfs(store, Readable.from(await busyboxRootfsTar()), { repoTag: `${registry.host}/ev/busybox:1` });
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    const router = new Router();
    registerImageRoutes(router, store, bus);
    socketPath = join(dir, 'api.sock');
    server = await listenApi({ socketPath, router });
  });
  after(async () => {
    await new Promise((r) => server?.close(r));
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes push then pull', async () => {
    const pushed = await post(socketPath, `/images/${registry.host}/ev/busybox/push?tag=1`);
    assert.doesNotMatch(pushed.body, /"error"/);
    const pulled = await post(socketPath, `/v1.43/images/create?fromImage=${registry.host}/ev/busybox&tag=1`);
    assert.match(pulled.body, /Image is up to date/);
    assert.deepEqual(
      events.map((e) => [e.Type, e.Action, e.Actor.ID, e.Actor.Attributes.name]),
      [
        ['image', 'push', `${registry.host}/ev/busybox:1`, `${registry.host}/ev/busybox`],
        ['image', 'pull', `${registry.host}/ev/busybox:1`, `${registry.host}/ev/busybox`],
      ],
    );
  });
});
