// A subnet the engine chose can be taken by someone else: by another engine
// choosing at the same moment, or while this one was down. These tests make
// the other party a real interface with a real route (a bridge named gtc…).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bridgeName } from '../../../src/engine/networks/bridge.js';
import { NetworkManager } from '../../../src/engine/networks/network-manager.js';
import { containerId, hostFootprint, requireRoot, testNetwork } from './host-fixture.js';

const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
const addressesOf = (dev: string) => ip('-j', '-4', 'addr', 'show', 'dev', dev);

describe('engine networks: subnets taken by others (root)', function () {
  this.timeout(60_000);
  let footprint: string[];
  const roots: string[] = [];
  const squatters: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  const dataRoot = () => {
    const d = mkdtempSync(join(tmpdir(), 'gantry-netcol-'));
    roots.push(d);
    return d;
  };
  const manager = (root: string) => {
    const m = new NetworkManager({ dataRoot: root, upstreams: ['127.0.0.1:9'], defaultHostIp: '127.0.0.1' });
    cleanups.push(() => m.close());
    return m;
  };
  /** Someone else's interface routing `cidr` (first host address on it). */
  const squat = (cidr: string) => {
    const name = `gtc${randomBytes(4).toString('hex')}`;
    squatters.push(name);
    const [base, prefix] = cidr.split('/') as [string, string];
    const first = base.replace(/\.0$/, '.1');
    ip('link', 'add', name, 'type', 'bridge');
    ip('addr', 'add', `${first}/${prefix}`, 'dev', name);
    ip('link', 'set', name, 'up');
    return name;
  };

  before(() => {
    requireRoot();
    footprint = hostFootprint();
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    for (const s of squatters) execFileSync('ip', ['link', 'del', s], { stdio: 'ignore' });
    for (const r of roots) rmSync(r, { recursive: true, force: true });
    assert.deepEqual(hostFootprint(), footprint, 'the tests left bridges, namespaces or rules behind');
  });

  it('moves a restored network whose chosen subnet is now routed elsewhere, when no container holds an address in it', async () => {
    const root = dataRoot();
    const net = testNetwork();
    const before = manager(root);
    net.IPAM.Config = await before.createNetwork(net);
    const old = net.IPAM.Config[0]!.Subnet!;
    await before.close();
    // A reboot takes the bridge; another engine takes its subnet.
    ip('link', 'del', bridgeName(net.Id));
    const other = squat(old);
    const after = manager(root);
    cleanups.push(() => after.removeNetwork(net));
    await after.restore([net]);
    const moved = after.addressing(net.Id)!;
    assert.notEqual(moved.Subnet, old);
    assert.match(addressesOf(bridgeName(net.Id)), new RegExp(`"local":"${moved.Gateway.replace(/\./g, '\\.')}"`));
    assert.doesNotMatch(execFileSync('iptables-save', { encoding: 'utf8' }), new RegExp(`-s ${old.replace(/\./g, '\\.')} ! -o ${bridgeName(net.Id)}`), 'the old subnet\'s NAT rule is gone');
    assert.match(addressesOf(other), /"local"/, 'the other interface is left alone');
  });

  it('refuses a restored network whose subnet was taken while containers hold addresses in it, and brings the others back', async () => {
    const root = dataRoot();
    const taken = testNetwork();
    const fine = testNetwork();
    const cid = containerId();
    const before = manager(root);
    taken.IPAM.Config = await before.createNetwork(taken);
    fine.IPAM.Config = await before.createNetwork(fine);
    await before.createSandbox(cid);
    await before.connect(cid, taken, { names: ['held'] });
    await before.close();
    ip('link', 'del', bridgeName(taken.Id));
    const other = squat(taken.IPAM.Config[0]!.Subnet!);
    const after = manager(root);
    cleanups.push(async () => {
      await after.destroySandbox(cid);
      await after.removeNetwork(taken);
      await after.removeNetwork(fine);
    });
    await after.restore([taken, fine]);
    const late = containerId();
    await after.createSandbox(late);
    cleanups.push(() => after.destroySandbox(late));
    await assert.rejects(after.connect(late, taken, {}), (e: Error & { status?: number }) => {
      assert.equal(e.status, 409);
      assert.match(e.message, new RegExp(`network ${taken.Name}: its subnet ${taken.IPAM.Config[0]!.Subnet!.replace(/\./g, '\\.')} now overlaps .* on ${other} .*1 container\\(s\\) still hold addresses in it; remove the network and create it again`));
      return true;
    });
    const ep = await after.connect(late, fine, {});
    assert.ok(ep.IPAddress);
  });

  it('gives two engines creating networks at the same moment different subnets', async () => {
    const a = manager(dataRoot());
    const b = manager(dataRoot());
    const na = testNetwork();
    const nb = testNetwork();
    cleanups.push(() => a.removeNetwork(na), () => b.removeNetwork(nb));
    const [ca, cb] = await Promise.all([a.createNetwork(na), b.createNetwork(nb)]);
    assert.notEqual(ca[0]!.Subnet, cb[0]!.Subnet);
    assert.match(addressesOf(bridgeName(na.Id)), new RegExp(`"local":"${ca[0]!.Gateway.replace(/\./g, '\\.')}"`));
    assert.match(addressesOf(bridgeName(nb.Id)), new RegExp(`"local":"${cb[0]!.Gateway.replace(/\./g, '\\.')}"`));
  });
});
