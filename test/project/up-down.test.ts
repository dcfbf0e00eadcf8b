// up and down on a real engine (dockerd here; any engine through DOCKER_HOST).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Label } from '../../src/common/labels.js';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { down, up, volumes, type ProgressEvent } from '../../src/project/index.js';

const dir = resolve('test/fixtures/projects/stack');

describe('up and down on an engine', function () {
  this.timeout(120_000);
  const name = `gt${randomBytes(4).toString('hex')}`;
  let engine: EngineClient;
  const load = (env: Record<string, string> = {}) => ({ workingDir: dir, projectName: name, env: { PATH: process.env.PATH ?? '', ...env } });
  const containers = async () => (await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${name}`] } })).map((c) => ({ name: c.Names[0]!.slice(1), state: c.State, labels: c.Labels })).sort((a, b) => a.name.localeCompare(b.name));

  before(async () => {
    engine = await connect({});
  });

  after(async () => {
    await down(load(), { volumes: true, removeOrphans: true, timeout: 0 }).catch(() => {});
  });

  it('up -d creates the network and volume, waits for health and the job, starts in order', async () => {
    const events: ProgressEvent[] = [];
    const result = await up(load(), { onProgress: (e) => events.push(e) });
    assert.ok(result.executed);
    const list = await containers();
    assert.deepEqual(list.map((c) => [c.name, c.state]), [[`${name}-db-1`, 'running'], [`${name}-job-1`, 'exited'], [`${name}-web-1`, 'running']]);
    const web = list.find((c) => c.name === `${name}-web-1`)!;
    assert.equal(web.labels[Label.service], 'web');
    assert.equal(web.labels[Label.containerNumber], '1');
    assert.equal(web.labels[Label.oneoff], 'False');
    assert.equal(web.labels[Label.dependsOn], 'db:service_healthy:false,job:service_completed_successfully:false');
    const started = (n: string) => events.findIndex((e) => e.name === n && e.status === 'Started');
    assert.ok(events.findIndex((e) => e.name === `${name}-db-1` && e.status === 'Healthy') < started(`${name}-web-1`));
    const inspect = await engine.containers.inspect(`${name}-web-1`);
    assert.deepEqual(Object.keys(inspect!.NetworkSettings.Networks).sort(), [`${name}_default`, `${name}_front`]);
    assert.ok(await engine.volumes.inspect(`${name}_data`));
  });

  it('a second up changes nothing but the one-shot job', async () => {
    const { plan } = await up(load(), { dryRun: true });
    assert.deepEqual(Object.values(plan.services).flat().map((a) => `${a.name} ${a.kind}`).sort(), [`${name}-db-1 keep-container`, `${name}-job-1 start-container`, `${name}-web-1 keep-container`]);
  });

  it('a changed environment recreates only that service and says why', async () => {
    const before = (await containers()).find((c) => c.name === `${name}-db-1`);
    const { plan } = await up(load({ MODE: 'two' }));
    const web = plan.services.web![0]!;
    assert.equal(web.kind, 'recreate-container');
    assert.equal(web.reason, 'environment changed');
    const after = (await containers()).find((c) => c.name === `${name}-db-1`);
    assert.deepEqual(after, before);
    const inspect = await engine.containers.inspect(`${name}-web-1`);
    assert.ok(inspect!.Config.Env?.includes('MODE=two'));
  });

  it('--scale adds and removes replicas, highest numbers first', async () => {
    await up(load({ MODE: 'two' }), { scale: { web: 3 }, noDeps: true, services: ['web'] });
    assert.deepEqual((await containers()).filter((c) => c.labels[Label.service] === 'web').map((c) => c.name), [1, 2, 3].map((n) => `${name}-web-${n}`));
    await up(load({ MODE: 'two' }), { scale: { web: 1 }, noDeps: true, services: ['web'], timeout: 0 });
    assert.deepEqual((await containers()).filter((c) => c.labels[Label.service] === 'web').map((c) => c.name), [`${name}-web-1`]);
  });

  it('volumes lists the project\'s volumes, or those the named services mount', async () => {
    const all = await volumes(load());
    assert.deepEqual(all.map((v) => [v.Driver, v.Name]), [['local', `${name}_data`]]);
    assert.match(all[0]!.Labels, new RegExp(`com\\.docker\\.compose\\.project=${name}(,|$)`));
    assert.deepEqual((await volumes(load(), { services: ['db'] })).map((v) => v.Name), [`${name}_data`]);
    assert.deepEqual(await volumes(load(), { services: ['web'] }), []);
  });

  it('down removes containers and networks; -v also the volume', async () => {
    await down(load(), { timeout: 0 });
    assert.deepEqual(await containers(), []);
    assert.equal(await engine.networks.inspect(`${name}_default`), undefined);
    assert.ok(await engine.volumes.inspect(`${name}_data`));
    await down(load(), { volumes: true });
    assert.equal(await engine.volumes.inspect(`${name}_data`), undefined);
  });

  it('a failed dependency stops the start with the reason', async () => {
    await assert.rejects(
      up({ ...load(), files: ['-'], stdin: 'services:\n  job:\n    image: busybox\n    command: ["sh", "-c", "exit 3"]\n  web:\n    image: busybox\n    command: ["sleep", "60"]\n    depends_on:\n      job:\n        condition: service_completed_successfully\n' }),
      (e: Error) => /depends on "job" completing successfully, but .*job-1 exited with code 3/.test(e.message),
    );
    await down({ ...load(), files: ['-'], stdin: 'services:\n  job:\n    image: busybox\n  web:\n    image: busybox\n' }, { timeout: 0 });
  });
});
