// watch() on a real engine: files edited, added and deleted on the host reach
// the running container; ignored ones do not; sync+restart restarts,
// sync+exec runs its command, rebuild builds a new image and recreates.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { down, exec, watch, type WatchEvent, type WatchHandle } from '../../src/project/index.js';

const LOOP = `["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.2; done"]`;

const COMPOSE = `
services:
  web:
    image: busybox:latest
    command: ${LOOP}
    scale: 2
    develop:
      watch:
        - action: sync
          path: ./src
          target: /app
          ignore: ["*.tmp", "cache/"]
          initial_sync: true
        - action: sync+restart
          path: ./conf
          target: /etc/conf
        - action: sync+exec
          path: ./hooks
          target: /hooks
          exec:
            command: ["sh", "-c", "cat /hooks/* > /tmp/exec-ran"]
  built:
    build: ./app
    command: ${LOOP}
    develop:
      watch:
        - action: rebuild
          path: ./app
  plain:
    image: busybox:latest
    command: ${LOOP}
`;

describe('watch on an engine', function () {
  this.timeout(120_000);
  const name = `gtw${randomBytes(4).toString('hex')}`;
  let dir: string;
  let engine: EngineClient;
  let handle: WatchHandle | undefined;
  const events: WatchEvent[] = [];
  const load = () => ({ workingDir: dir, projectName: name, env: { PATH: process.env.PATH ?? '' } });

  /** Output of a shell script in a service's container ('' when it fails). */
  const sh = async (service: string, script: string, index?: number) => {
    const proc = await exec(load(), { service, command: ['sh', '-c', script], interactive: false, index });
    let out = '';
    for await (const c of proc.stdout!) out += c;
    await proc.exitCode;
    return out;
  };
  const until = async <T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      // Between a container's removal and its replacement's start, probes fail: keep polling.
      const v = await probe().catch((e: Error) => `(${e.message})` as T);
      if (ok(v)) return v;
      if (Date.now() > end) assert.fail(`${what}: still ${JSON.stringify(v)} after ${ms} ms; events: ${JSON.stringify(events.map((e) => ({ ...e, error: 'error' in e ? e.error.message : undefined })))}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const startedAt = async (service: string) => (await engine.containers.inspect(`${name}-${service}-1`))?.State.StartedAt ?? '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gantry-watch-'));
    for (const d of ['src', 'conf', 'hooks', 'app']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
    writeFileSync(join(dir, 'src/index.js'), 'v1');
    writeFileSync(join(dir, 'src/old.js'), 'old');
    writeFileSync(join(dir, 'app/Dockerfile'), 'FROM busybox:latest\nCOPY version.txt /version.txt\n');
    writeFileSync(join(dir, 'app/version.txt'), 'one\n');
    engine = await connect({});
    handle = await watch(load(), { quietMs: 150, onEvent: (e) => events.push(e) });
  });

  after(async () => {
    await handle?.close();
    await down(load(), { volumes: true, removeOrphans: true, timeout: 0 }).catch(() => {});
    for (const img of await engine.images.list({ filters: { reference: [`${name}-built`] } }).catch(() => [])) await engine.images.remove(img.Id, { force: true }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings the project up and watches only the services with rules', async () => {
    assert.deepEqual(handle!.services, ['built', 'web']);
    assert.deepEqual(events[events.length - 1], { kind: 'watching', services: ['built', 'web'] });
    assert.equal((await engine.containers.inspect(`${name}-plain-1`))?.State.Running, true);
    assert.equal(await sh('web', 'cat /app/old.js /app/index.js'), 'oldv1', 'initial_sync copied the files there before the watch');
    assert.ok(events.some((e) => e.kind === 'sync' && e.initial && e.changed === 2));
  });

  it('sync: an edited and a new file arrive, a deleted one goes, in sub-directories too', async () => {
    writeFileSync(join(dir, 'src/index.js'), 'v2');
    mkdirSync(join(dir, 'src/lib'));
    writeFileSync(join(dir, 'src/lib/util.js'), 'util');
    await until('first sync', () => sh('web', 'cat /app/index.js /app/lib/util.js'), (v) => v === 'v2util');
    await until('every replica gets the files', () => sh('web', 'cat /app/index.js /app/lib/util.js', 2), (v) => v === 'v2util');
    unlinkSync(join(dir, 'src/index.js'));
    await until('deletion', () => sh('web', 'ls /app'), (v) => !v.split('\n').includes('index.js') && v.includes('lib'));
    await until('every replica loses the deleted one', () => sh('web', 'ls /app | tr "\\n" " "', 2), (v) => v === 'lib old.js ');
    assert.ok(events.some((e) => e.kind === 'sync' && e.service === 'web' && e.changed >= 2));
  });

  it('sync: ignored files are not copied', async () => {
    writeFileSync(join(dir, 'src/scratch.tmp'), 'tmp');
    mkdirSync(join(dir, 'src/cache'));
    writeFileSync(join(dir, 'src/cache/blob'), 'c');
    writeFileSync(join(dir, 'src/.edit.js.swp'), 'swap');
    writeFileSync(join(dir, 'src/marker.js'), 'm');
    await until('marker', () => sh('web', 'cat /app/marker.js'), (v) => v === 'm');
    assert.equal(await sh('web', 'ls -a /app | sort | tr "\\n" " "'), '. .. lib marker.js old.js ');
  });

  it('sync+restart copies, then restarts the container', async () => {
    const before = await startedAt('web');
    writeFileSync(join(dir, 'conf/app.conf'), 'level=debug');
    await until('restart', () => startedAt('web'), (v) => v !== before && v !== '');
    assert.equal(await sh('web', 'cat /etc/conf/app.conf'), 'level=debug');
    assert.ok(events.some((e) => e.kind === 'restart' && e.service === 'web'));
  });

  it('sync+exec copies, then runs its command in the container', async () => {
    writeFileSync(join(dir, 'hooks/h1'), 'hook-ran');
    await until('exec', () => sh('web', 'cat /tmp/exec-ran'), (v) => v === 'hook-ran');
    assert.ok(events.some((e) => e.kind === 'exec' && e.exitCode === 0 && e.container === `${name}-web-1`));
  });

  it('rebuild builds a new image and recreates the container with it', async () => {
    const before = await engine.containers.inspect(`${name}-built-1`);
    assert.equal(await sh('built', 'cat /version.txt'), 'one\n');
    writeFileSync(join(dir, 'app/version.txt'), 'two\n');
    await until('rebuilt', () => sh('built', 'cat /version.txt'), (v) => v === 'two\n', 60_000);
    const after = await engine.containers.inspect(`${name}-built-1`);
    assert.notEqual(after!.Id, before!.Id, 'a new container');
    assert.notEqual(after!.Image, before!.Image, 'from a new image');
    assert.ok(events.some((e) => e.kind === 'rebuild' && e.service === 'built'));
    assert.equal(await engine.images.inspect(before!.Image), undefined, 'the old, now nameless image is pruned');
  });

  it('a failed action is reported and watching goes on', async () => {
    writeFileSync(join(dir, 'app/Dockerfile'), 'FROM busybox:latest\nCOPY missing-file /x\n');
    await until('error event', async () => events.filter((e) => e.kind === 'error' && e.service === 'built' && e.action === 'rebuild').length, (n) => n > 0, 60_000);
    assert.equal((await engine.containers.inspect(`${name}-built-1`))?.State.Running, true, 'the running container is left alone');
    writeFileSync(join(dir, 'src/after.js'), 'still');
    await until('sync after failure', () => sh('web', 'cat /app/after.js'), (v) => v === 'still');
  });
});

describe('watch without develop.watch', () => {
  it('is a clear error naming what to add', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-nowatch-'));
    try {
      writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox:latest\n');
      await assert.rejects(watch({ workingDir: dir, projectName: 'gtnowatch', env: {} }, { noUp: true }), (e: Error & { hint?: string }) => /has a develop.watch section: nothing to watch/.test(e.message) && /develop: \{ watch:/.test(e.hint ?? ''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
