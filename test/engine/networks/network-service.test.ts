import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../src/engine/events/event-bus.js';
import { bridgeName } from '../../../src/engine/networks/bridge.js';
import { NetworkManager } from '../../../src/engine/networks/network-manager.js';
import { NetworkService } from '../../../src/engine/networks/network-service.js';
import { containerId, hostFootprint, inSandbox, requireRoot } from './host-fixture.js';

const linkExists = (name: string) => execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).includes(`: ${name}:`);

describe('engine networks: network service with a manager (root)', function () {
  this.timeout(60_000);
  let footprint: string[];
  let dataRoot: string;
  let manager: NetworkManager;
  let service: NetworkService;
  const cid = containerId();

  before(async () => {
    requireRoot();
    footprint = hostFootprint();
    dataRoot = mkdtempSync(join(tmpdir(), 'gantry-netsvc-'));
    manager = new NetworkManager({ dataRoot, upstreams: ['127.0.0.1:9'], defaultHostIp: '127.0.0.1' });
    service = new NetworkService(dataRoot, new EventBus(), manager);
    await service.restore();
  });

  after(async () => {
    if (manager) {
      await manager.destroySandbox(cid).catch(() => undefined);
      for (const n of service?.list() ?? []) if (n.Driver === 'bridge') await manager.removeNetwork(n).catch(() => undefined);
      await manager.close();
    }
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
    assert.deepEqual(hostFootprint(), footprint, 'the tests left bridges, namespaces or rules behind');
  });

  it('sets the predefined bridge network up on restore and shows the subnet it got', () => {
    const bridge = service.find('bridge');
    assert.equal(bridge.IPAM.Config.length, 1);
    assert.match(bridge.IPAM.Config[0]!.Subnet!, /^10\.\d+\.\d+\.0\/(16|20)$/);
    assert.ok(linkExists(bridgeName(bridge.Id)));
  });

  it('creates a bridge for a new network with the user subnet, and removes it with the record', async () => {
    const { Id } = await service.create({ Name: 'gtest-svc', IPAM: { Config: [{ Subnet: '10.250.7.0/24', Gateway: '10.250.7.254' }] } });
    const n = service.find(Id);
    assert.deepEqual(n.IPAM.Config, [{ Subnet: '10.250.7.0/24', Gateway: '10.250.7.254' }]);
    assert.ok(linkExists(bridgeName(Id)));
    await manager.createSandbox(cid);
    const ep = await service.connectEndpoint(n, cid, { names: ['svc'], ipv4Address: '10.250.7.9' });
    assert.equal(ep?.IPAddress, '10.250.7.9');
    assert.match(inSandbox(cid, ['ip', 'route']), /default via 10\.250\.7\.254 dev eth0/);
    assert.equal(await service.connectEndpoint(n, containerId(), {}), undefined, 'a container without a sandbox is only recorded');
    await service.disconnectEndpoint(n, cid);
    await service.remove(Id, () => []);
    assert.equal(service.lookup('gtest-svc'), undefined);
    assert.ok(!linkExists(bridgeName(Id)));
  });

  it('refuses bad IPAM config and IPv6 clearly and stores nothing', async () => {
    await assert.rejects(service.create({ Name: 'gtest-bad', IPAM: { Config: [{ Subnet: '10.250.8.0/24', Gateway: '10.250.9.1' }] } }), /IPAM\.Config\[0\]\.Gateway 10\.250\.9\.1 is not a usable address/);
    await assert.rejects(service.create({ Name: 'gtest-v6', EnableIPv6: true }), /IPv6 \(enable_ipv6\) is not supported/);
    assert.equal(service.lookup('gtest-bad'), undefined);
    assert.equal(service.lookup('gtest-v6'), undefined);
    assert.equal(new NetworkService(dataRoot, new EventBus()).lookup('gtest-bad'), undefined, 'nothing was written to disk either');
  });
});
