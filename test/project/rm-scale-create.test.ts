// create, scale and rm on a real engine.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Label } from '../../src/common/labels.js';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { create, down, rm, scale, start, stop } from '../../src/project/index.js';

const dir = resolve('test/fixtures/projects/chain');

describe('create, scale, rm', function () {
  this.timeout(120_000);
  const name = `gt${randomBytes(4).toString('hex')}`;
  const load = () => ({ workingDir: dir, projectName: name, env: { PATH: process.env.PATH ?? '' } });
  let engine: EngineClient;
  const list = async () =>
    (await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${name}`] } })).map((c) => [c.Names[0]!.slice(name.length + 2), c.State]).sort((a, b) => a[0]!.localeCompare(b[0]!));

  before(async () => {
    engine = await connect({});
  });
  after(async () => {
    await down(load(), { volumes: true, removeOrphans: true, timeout: 0 }).catch(() => {});
  });

  it('create makes the containers and networks without starting them', async () => {
    const result = await create(load(), { services: ['web'] });
    assert.ok(result.executed);
    assert.deepEqual(await list(), [['api-1', 'created'], ['db-1', 'created'], ['web-1', 'created']]);
    assert.ok(await engine.networks.inspect(`${name}_default`));
  });

  it('scale adds replicas with the next numbers and removes the highest first', async () => {
    await start(load(), { services: ['web'] });
    await scale(load(), { replicas: { web: 3 }, noDeps: true });
    assert.deepEqual((await list()).filter(([n]) => n!.startsWith('web')), [['web-1', 'running'], ['web-2', 'running'], ['web-3', 'running']]);
    await engine.containers.remove(`${name}-web-2`, { force: true });
    await scale(load(), { replicas: { web: 2 }, noDeps: true, timeout: 0 });
    assert.deepEqual((await list()).filter(([n]) => n!.startsWith('web')).map(([n]) => n), ['web-1', 'web-3']);
    await scale(load(), { replicas: { web: 1 }, noDeps: true, timeout: 0 });
    assert.deepEqual((await list()).filter(([n]) => n!.startsWith('web')).map(([n]) => n), ['web-1']);
    await assert.rejects(scale(load(), { replicas: { nosuch: 2 } }), /no such service: nosuch/);
  });

  it('rm asks, and removes only stopped containers of the named services', async () => {
    await stop(load(), { services: ['web'], timeout: 1 });
    const asked: string[] = [];
    const declined = await rm(load(), { confirm: async (m) => (asked.push(m), false) });
    assert.deepEqual(asked, [`Going to remove ${name}-web-1`]);
    assert.ok(declined.declined);
    assert.equal((await list()).length, 3);
    const noPrompt = await rm(load(), {});
    assert.ok(noPrompt.declined, 'without confirm or force nothing goes');
    const done = await rm(load(), { confirm: async () => true });
    assert.deepEqual(done.removed.map((s) => s.container), [`${name}-web-1`]);
    assert.deepEqual((await list()).map(([n]) => n), ['api-1', 'db-1']);
  });

  it('rm -s -f stops first; -v takes the anonymous volumes; nothing left says so', async () => {
    const vol = `${name}-anon`;
    await engine.volumes.create({ Name: vol } as never);
    const id = (await engine.containers.create({ Image: 'busybox:latest', Cmd: ['sleep', '30'], Volumes: { '/anon': {} }, Labels: { [Label.project]: name, [Label.service]: 'db', [Label.oneoff]: 'False', [Label.containerNumber]: '2' }, HostConfig: { Binds: [`${vol}:/data`] } } as never, { name: `${name}-db-2` })).Id;
    await engine.containers.start(id);
    const anonymous = (await engine.containers.inspect(id))!.Mounts.find((m) => m.Destination === '/anon')!.Name!;
    const dry = await rm(load(), { services: ['db'], stop: true, force: true, dryRun: true });
    assert.deepEqual(dry.removed.map((s) => s.container).sort(), [`${name}-db-1`, `${name}-db-2`]);
    assert.equal((await engine.containers.inspect(id))!.State.Running, true, 'dry run changed nothing');
    const r = await rm(load(), { services: ['db'], stop: true, force: true, volumes: true, timeout: 0 });
    assert.equal(r.removed.length, 2);
    assert.deepEqual((await list()).map(([n]) => n), ['api-1']);
    // A named volume is not anonymous: -v leaves it, as docker does.
    assert.ok(await engine.volumes.inspect(vol));
    assert.equal(await engine.volumes.inspect(anonymous), undefined, 'the anonymous volume went with -v');
    await engine.volumes.remove(vol);
    const none = await rm(load(), { services: ['db'], force: true });
    assert.deepEqual(none.candidates, []);
  });
});
