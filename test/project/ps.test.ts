// ps, ls, images, top and port on a real engine, against containers made by
// hand with docker compose's labels (see fake-project.ts).

import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { images, ls, port, ps, top } from '../../src/project/index.js';
import { fakeProject, until, type FakeProject } from './fake-project.js';

const fixture = resolve('test/fixtures/projects/inspect/compose.yaml');

describe('ps, ls, images, top and port on an engine', function () {
  this.timeout(60_000);
  let p: FakeProject;
  let published = 0;
  const load = () => ({ projectName: p.name, workingDir: '/tmp' });
  const withFile = () => ({ projectName: p.name, files: [fixture], workingDir: '/tmp', env: {} });

  before(async () => {
    p = await fakeProject('gtps');
    const web1 = await p.add('web', { cmd: ['sleep', '300'], ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '81/tcp': [] } });
    await p.add('web', { number: 2, cmd: ['sleep', '300'] });
    await p.add('db', { cmd: ['sh', '-c', 'exit 3'] });
    await p.add('hc', { cmd: ['sleep', '300'], healthcheck: { Test: ['CMD', 'true'], Interval: 200_000_000 } });
    await p.add('job', { oneoff: true, cmd: ['sleep', '300'] });
    const details = await p.engine.containers.inspect(web1);
    published = Number(details!.NetworkSettings.Ports!['80/tcp']![0]!.HostPort);
    await until(async () => (await p.engine.containers.inspect(`${p.name}-db-1`))!.State.Status === 'exited', 10_000, 'db to exit');
    await until(async () => (await p.engine.containers.inspect(`${p.name}-hc-1`))!.State.Health?.Status === 'healthy', 15_000, 'hc to be healthy');
  });
  after(async () => p.sweep());

  it('ps lists running service containers by name; -a adds stopped and one-off ones', async () => {
    assert.deepEqual((await ps(load())).map((r) => r.Name), [`${p.name}-hc-1`, `${p.name}-web-1`, `${p.name}-web-2`]);
    const all = await ps(load(), { all: true });
    assert.deepEqual(all.map((r) => r.Service), ['db', 'hc', 'job', 'web', 'web']);
    const db = all.find((r) => r.Service === 'db')!;
    assert.equal(db.State, 'exited');
    assert.equal(db.ExitCode, 3);
    assert.match(db.Status, /^Exited \(3\)/);
    assert.equal(all.find((r) => r.Service === 'hc')!.Health, 'healthy');
    assert.equal(all.find((r) => r.Service === 'web')!.Health, '');
  });

  it('ps filters by state and by service', async () => {
    assert.deepEqual((await ps(load(), { status: ['exited'] })).map((r) => r.Service), ['db']);
    assert.deepEqual((await ps(load(), { status: ['running', 'exited'], services: ['db', 'web'] })).map((r) => r.Name), [`${p.name}-db-1`, `${p.name}-web-1`, `${p.name}-web-2`]);
    assert.deepEqual((await ps(load(), { services: ['web'] })).map((r) => r.Name), [`${p.name}-web-1`, `${p.name}-web-2`]);
    await assert.rejects(ps(load(), { status: ['sleeping'] }), /invalid status "sleeping"/);
  });

  it('ps reports published and exposed ports as docker compose does', async () => {
    const web1 = (await ps(load())).find((r) => r.Name === `${p.name}-web-1`)!;
    assert.deepEqual(web1.Publishers, [
      { URL: '127.0.0.1', TargetPort: 80, PublishedPort: published, Protocol: 'tcp' },
      { URL: '', TargetPort: 81, PublishedPort: 0, Protocol: 'tcp' },
    ]);
  });

  it('ps with the compose file checks service names and can leave orphans out', async () => {
    await assert.rejects(ps(withFile(), { services: ['nope'] }), /no such service: nope/);
    const declared = await ps(withFile(), { all: true, orphans: false });
    assert.deepEqual(declared.map((r) => r.Service), ['db', 'web', 'web']);
  });

  it('ls finds the project by its labels, with a count per state', async () => {
    assert.deepEqual(await ls({ filters: { name: [p.name] } }), [{ Name: p.name, Status: 'running(4)', ConfigFiles: `/tmp/${p.name}/compose.yaml` }]);
    assert.deepEqual(await ls({ all: true, filters: { name: [`^${p.name}$`] } }), [{ Name: p.name, Status: 'exited(1), running(4)', ConfigFiles: `/tmp/${p.name}/compose.yaml` }]);
    assert.deepEqual(await ls({ filters: { name: ['^no-such-project-anywhere$'] } }), []);
    await assert.rejects(ls({ filters: { label: ['x'] } }), /invalid filter "label"/);
  });

  it('images names each container\'s image once per container', async () => {
    const rows = await images(load(), { services: ['web', 'db'] });
    assert.deepEqual(rows.map((r) => r.ContainerName), [`${p.name}-db-1`, `${p.name}-web-1`, `${p.name}-web-2`]);
    for (const r of rows) {
      assert.equal(r.Repository, 'busybox');
      assert.equal(r.Tag, 'latest');
      assert.match(r.ID, /^sha256:[0-9a-f]{64}$/);
      assert.ok(r.Size > 0);
      assert.match(r.Platform, /^linux\//);
    }
  });

  it('top lists the processes of each running container', async () => {
    const procs = await top(load(), { services: ['web'] });
    assert.deepEqual(procs.map((c) => [c.service, c.replica]), [['web', '1'], ['web', '2']]);
    for (const c of procs) {
      assert.ok(c.titles.includes('PID'));
      const cmd = c.titles.indexOf('CMD');
      assert.ok(c.processes.some((row) => row[cmd] === 'sleep 300'), JSON.stringify(c.processes));
    }
  });

  it('port prints where a container port is published, or says why not', async () => {
    assert.deepEqual(await port(load(), { service: 'web', privatePort: 80 }), { host: '127.0.0.1', port: published });
    await assert.rejects(port(load(), { service: 'web', privatePort: 81 }), /no port 81\/tcp for container .*-web-1: 80\/tcp, 81\/tcp/);
    await assert.rejects(port(load(), { service: 'web', privatePort: 80, protocol: 'udp' }), /no port 80\/udp/);
    await assert.rejects(port(load(), { service: 'web', privatePort: 80, index: 2 }), /no port 80\/tcp for container .*-web-2/);
    await assert.rejects(port(load(), { service: 'db', privatePort: 80 }), (e: Error & { hint?: string }) => {
      assert.equal(e.message, 'service "db" is not running');
      assert.equal(e.hint, 'start it with: compose up -d db');
      return true;
    });
  });
});
