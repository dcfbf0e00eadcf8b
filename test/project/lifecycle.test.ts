// start, stop, restart, kill, pause and unpause on a real engine, in dependency order.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Label } from '../../src/common/labels.js';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { down, kill, pause, restart, start, stop, unpause, up, type ProgressEvent } from '../../src/project/index.js';

const dir = resolve('test/fixtures/projects/chain');

describe('start, stop, restart, kill, pause, unpause', function () {
  this.timeout(120_000);
  const name = `gt${randomBytes(4).toString('hex')}`;
  const load = () => ({ workingDir: dir, projectName: name, env: { PATH: process.env.PATH ?? '' } });
  let engine: EngineClient;
  const states = async () =>
    Object.fromEntries((await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${name}`] } })).map((c) => [c.Labels[Label.service], c.State]));
  const recorder = () => {
    const events: ProgressEvent[] = [];
    return { events, onProgress: (e: ProgressEvent) => events.push(e), order: (status: string) => events.filter((e) => e.status === status).map((e) => e.name.replace(`${name}-`, '')) };
  };

  before(async () => {
    engine = await connect({});
    await up(load(), {});
  });
  after(async () => {
    await down(load(), { volumes: true, removeOrphans: true, timeout: 0 }).catch(() => {});
  });

  it('start of a project without containers names the service', async () => {
    const other = { ...load(), projectName: `${name}x` };
    await assert.rejects(start(other), /service "db" has no container to start/);
  });

  it('stop stops dependents first and leaves the containers', async () => {
    const r = recorder();
    const stopped = await stop(load(), { onProgress: r.onProgress, timeout: 5 });
    assert.deepEqual(r.order('Stopped'), ['web-1', 'api-1', 'db-1']);
    assert.deepEqual(stopped.map((s) => s.service).sort(), ['api', 'db', 'web']);
    assert.deepEqual(await states(), { db: 'exited', api: 'exited', web: 'exited', job: 'exited' });
  });

  it('start web starts its dependencies first, waiting for db to be healthy', async () => {
    const r = recorder();
    await start(load(), { services: ['web'], onProgress: r.onProgress });
    assert.deepEqual(r.order('Started'), ['db-1', 'api-1', 'web-1']);
    const db = await engine.containers.inspect(`${name}-db-1`);
    assert.equal(db!.State.Health?.Status, 'healthy');
    assert.equal((await states()).job, 'exited');
  });

  it('--dry-run reports and changes nothing', async () => {
    const r = recorder();
    const steps = await stop(load(), { dryRun: true, onProgress: r.onProgress });
    assert.equal(steps.length, 3);
    assert.equal((await states()).web, 'running');
  });

  it('restart db also restarts api (restart: true) but not web; --no-deps only db', async () => {
    const r = recorder();
    await restart(load(), { services: ['db'], timeout: 1, onProgress: r.onProgress });
    assert.deepEqual(r.order('Restarting'), ['db-1', 'api-1']);
    const r2 = recorder();
    await restart(load(), { services: ['db'], noDeps: true, timeout: 1, onProgress: r2.onProgress });
    assert.deepEqual(r2.order('Restarting'), ['db-1']);
  });

  it('pause and unpause', async () => {
    const paused = await pause(load(), { services: ['web', 'api'] });
    assert.deepEqual(paused.map((s) => s.container).sort(), [`${name}-api-1`, `${name}-web-1`]);
    assert.equal((await states()).web, 'paused');
    const resumed = await unpause(load(), {});
    assert.equal(resumed.length, 2);
    assert.equal((await states()).web, 'running');
  });

  it('kill sends the signal, dependents first; nothing running gives an empty list', async () => {
    const r = recorder();
    const killed = await kill(load(), { killSignal: 'SIGTERM', onProgress: r.onProgress });
    assert.deepEqual(r.order('Killed'), ['web-1', 'api-1', 'db-1']);
    assert.equal(killed.length, 3);
    for (const s of ['web', 'api', 'db']) {
      const code = await engine.containers.wait(`${name}-${s}-1`);
      assert.equal(code, 0, `${s} exits 0 through its TERM trap`);
    }
    assert.deepEqual(await kill(load(), {}), []);
  });

  it('an engine refusal names the service', async () => {
    await start(load(), { services: ['db'] });
    await assert.rejects(kill(load(), { services: ['db'], killSignal: 'NOSUCHSIGNAL' }), (e: Error) => /^service "db": .*signal/i.test(e.message));
  });
});
