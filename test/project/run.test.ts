// run: one-off containers on a real engine — names, labels, dependencies, ports, streams, exit codes.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { Label } from '../../src/common/labels.js';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { down, ps, run } from '../../src/project/index.js';

const dir = resolve('test/fixtures/projects/chain');

describe('run', function () {
  this.timeout(120_000);
  const name = `gt${randomBytes(4).toString('hex')}`;
  const load = () => ({ workingDir: dir, projectName: name, env: { PATH: process.env.PATH ?? '', FROM_ENV: 'passed' } });
  let engine: EngineClient;
  const oneoffs = async () => engine.containers.list({ all: true, filters: { label: [`${Label.project}=${name}`, `${Label.oneoff}=True`] } });

  before(async () => {
    engine = await connect({});
  });
  after(async () => {
    await down(load(), { volumes: true, removeOrphans: true, timeout: 0 }).catch(() => {});
  });

  it('starts the dependencies, waits for health, runs attached and passes the exit code through', async () => {
    const proc = await run(load(), { service: 'web', command: ['sh', '-c', 'echo out; echo err >&2; echo $ROLE $EXTRA $FROM_ENV; exit 7'], environment: ['EXTRA=x', 'FROM_ENV'], interactive: false });
    const [out, err, code] = await Promise.all([text(proc.stdout!), text(proc.stderr!), proc.exitCode]);
    assert.equal(code, 7);
    assert.equal(out, 'out\nweb x passed\n');
    assert.equal(err, 'err\n');
    assert.match(proc.container, new RegExp(`^${name}-web-run-[0-9a-f]{12}$`));
    const db = await engine.containers.inspect(`${name}-db-1`);
    assert.equal(db!.State.Health?.Status, 'healthy');
    const c = await engine.containers.inspect(proc.id);
    assert.equal(c!.Config.Labels?.[Label.oneoff], 'True');
    assert.equal(c!.Config.Labels?.[Label.service], 'web');
    assert.ok(["", "no", undefined].includes(c!.HostConfig.RestartPolicy?.Name), "no restart policy on a one-off");
  });

  it('streams stdin to the command', async () => {
    const proc = await run(load(), { service: 'web', noDeps: true, rm: true, command: ['sh', '-c', 'tr a-z A-Z'] });
    proc.stdin!.end('hello from stdin\n');
    const [out, code] = await Promise.all([text(proc.stdout!), proc.exitCode]);
    assert.equal(out, 'HELLO FROM STDIN\n');
    assert.equal(code, 0);
    assert.equal(await engine.containers.inspect(proc.id), undefined, '--rm removed it');
  });

  it('publishes ports only when asked; -p adds its own', async () => {
    const plain = await run(load(), { service: 'api', noDeps: true, detach: true, command: ['sleep', '30'] });
    assert.equal(plain.id.length, 64);
    assert.deepEqual((await engine.containers.inspect(plain.id))!.HostConfig.PortBindings ?? {}, {});
    const mapped = await run(load(), { service: 'api', noDeps: true, detach: true, servicePorts: true, publish: ['127.0.0.1::9090/udp'], command: ['sleep', '30'], labels: { extra: 'yes' }, name: `${name}-custom` });
    const c = (await engine.containers.inspect(mapped.id))!;
    assert.deepEqual(Object.keys(c.HostConfig.PortBindings ?? {}).sort(), ['8080/tcp', '9090/udp']);
    assert.equal(c.Config.Labels?.extra, 'yes');
    assert.equal(c.Name, `/${name}-custom`);
  });

  it('the service alias stays off unless --use-aliases', async () => {
    const without = await run(load(), { service: 'web', noDeps: true, detach: true, command: ['sleep', '30'] });
    const aliases = (id: string) => engine.containers.inspect(id).then((c) => Object.values(c!.NetworkSettings.Networks).flatMap((n) => n.Aliases ?? []));
    assert.ok(!(await aliases(without.id)).includes('web'));
    const withAliases = await run(load(), { service: 'web', noDeps: true, detach: true, useAliases: true, command: ['sleep', '30'] });
    assert.ok((await aliases(withAliases.id)).includes('web'));
  });

  it('--entrypoint replaces the command too; -u and -w apply', async () => {
    const proc = await run(load(), { service: 'web', noDeps: true, rm: true, interactive: false, entrypoint: ['sh', '-c', 'echo $(id -u) $(pwd)'], user: '1234', workdir: '/tmp' });
    assert.equal(await text(proc.stdout!), '1234 /tmp\n');
    assert.equal(await proc.exitCode, 0);
  });

  it('ps -a lists one-off containers; down removes them', async () => {
    const rows = await ps(load(), { all: true });
    assert.ok(rows.some((r) => /-web-run-/.test(r.Name)));
    assert.ok((await oneoffs()).length >= 3);
    await down(load(), { timeout: 0 });
    assert.deepEqual(await oneoffs(), []);
  });
});
