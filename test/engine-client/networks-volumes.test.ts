import assert from 'node:assert/strict';
import { EngineError, type EngineClient } from '../../src/engine-client/index.js';
import { newTestRun, TEST_IMAGE, testClient } from './test-engine.js';

describe('networks and volumes (real engine)', function () {
  this.timeout(30_000);
  const run = newTestRun();
  let client: EngineClient;

  before(async () => {
    client = await testClient();
  });
  after(async () => {
    await run.sweep(client);
  });

  it('creates a network with its options, finds it by label, connects a container with an alias and an address, and removes it', async () => {
    const name = run.name('net');
    // A subnet unlikely to collide with the machine's own networks.
    const third = parseInt(run.id.slice(0, 2), 16);
    const subnet = `10.213.${third}.0/24`;
    const address = `10.213.${third}.10`;
    const created = await client.networks.create({
      Name: name,
      Driver: 'bridge',
      Internal: true,
      Attachable: true,
      Labels: { ...run.labels, role: 'test' },
      IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
      CheckDuplicate: true,
    });
    assert.match(created.Id, /^[0-9a-f]{64}$/);

    const details = await client.networks.inspect(name);
    assert.equal(details?.Id, created.Id);
    assert.equal(details?.Internal, true);
    assert.equal(details?.Attachable, true);
    assert.equal(details?.Labels.role, 'test');
    assert.equal(details?.IPAM.Config?.[0]?.Subnet, subnet);

    const listed = await client.networks.list({ filters: { label: [run.filter] } });
    assert.deepEqual(listed.map((n) => n.Name), [name]);
    assert.deepEqual(await client.networks.list({ filters: { label: [`${run.filter}-other`] } }), []);

    await assert.rejects(client.networks.create({ Name: name, Labels: run.labels, CheckDuplicate: true }), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.equal(e.statusCode, 409);
      assert.match(e.message, new RegExp(`^create network ${name}: .*${name}.*already exists`));
      return true;
    });

    const container = run.name('member');
    await client.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '1000'], Labels: run.labels }, { name: container });
    await client.networks.connect(name, container, { Aliases: ['db-alias'], IPAMConfig: { IPv4Address: address } });
    await client.containers.start(container);
    const endpoint = (await client.containers.inspect(container))?.NetworkSettings.Networks[name];
    assert.ok(endpoint?.Aliases?.includes('db-alias'));
    assert.equal(endpoint?.IPAddress, address);
    assert.ok(Object.keys((await client.networks.inspect(name))?.Containers ?? {}).length === 1);

    await client.networks.disconnect(name, container, { force: true });
    assert.equal((await client.containers.inspect(container))?.NetworkSettings.Networks[name], undefined);
    await client.containers.remove(container, { force: true });

    await client.networks.remove(name);
    assert.equal(await client.networks.inspect(name), undefined);
    await assert.rejects(client.networks.remove(name), (e: unknown) => e instanceof EngineError && e.statusCode === 404 && e.message.startsWith(`remove network ${name}: `));
  });

  it('creates a volume with driver options, finds it by label, and removes it', async () => {
    const name = run.name('vol');
    const volume = await client.volumes.create({
      Name: name,
      Driver: 'local',
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' },
      Labels: { ...run.labels, role: 'data' },
    });
    assert.equal(volume.Name, name);
    assert.equal(volume.Driver, 'local');

    const details = await client.volumes.inspect(name);
    assert.equal(details?.Labels?.role, 'data');
    assert.deepEqual(details?.Options, { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });

    const listed = await client.volumes.list({ filters: { label: [run.filter] } });
    assert.deepEqual(listed.map((v) => v.Name), [name]);
    assert.deepEqual(await client.volumes.list({ filters: { label: [`${run.filter}-other`] } }), []);

    // A volume in use cannot be removed; the engine says why.
    const user = run.name('vol-user');
    await client.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: run.labels, HostConfig: { Binds: [`${name}:/data`] } }, { name: user });
    await assert.rejects(client.volumes.remove(name), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.equal(e.statusCode, 409);
      assert.match(e.message, new RegExp(`^remove volume ${name}: .*in use`));
      return true;
    });
    await client.containers.remove(user);

    await client.volumes.remove(name);
    assert.equal(await client.volumes.inspect(name), undefined);
  });
});
