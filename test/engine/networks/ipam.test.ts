import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostRouteSubnets } from '../../../src/engine/networks/host-routes.js';
import { Ipam } from '../../../src/engine/networks/ipam.js';
import { overlaps, parseCidr } from '../../../src/engine/networks/ipv4.js';

describe('engine networks: IPAM', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gantry-ipam-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('picks default subnets that avoid host routes and other networks', () => {
    const ipam = new Ipam(dir);
    const routes = [parseCidr('10.80.0.0/16')!, parseCidr('10.81.5.0/24')!];
    const a = ipam.createPool('a', 'a', [], routes);
    const b = ipam.createPool('b', 'b', [], routes);
    assert.deepEqual(a, { Subnet: '10.82.0.0/16', Gateway: '10.82.0.1' });
    assert.deepEqual(b, { Subnet: '10.83.0.0/16', Gateway: '10.83.0.1' });
  });

  it('never picks a subnet that overlaps a route this host really has', async () => {
    const routes = await hostRouteSubnets();
    assert.ok(routes.length > 0, 'ip -j route should list at least the link route of eth0');
    const ipam = new Ipam(dir);
    // Claim every /16 route of the host as if it were ours too, then ask for more.
    for (let i = 0; i < 5; i++) {
      const subnet = parseCidr(ipam.createPool(`n${i}`, `n${i}`, [], routes).Subnet)!;
      for (const r of routes) assert.ok(!overlaps(r, subnet), `subnet ${ipam.pool(`n${i}`)!.subnet} overlaps a host route`);
    }
  });

  it('validates user IPAM config and names the field that is wrong', () => {
    const ipam = new Ipam(dir);
    assert.throws(() => ipam.createPool('x', 'web', [{ Subnet: '10.1.2.3/16' }], []), /IPAM\.Config\[0\]\.Subnet 10\.1\.2\.3\/16 has host bits set; did you mean 10\.1\.0\.0\/16\?/);
    assert.throws(() => ipam.createPool('x', 'web', [{ Subnet: 'nope' }], []), /IPAM\.Config\[0\]\.Subnet "nope" is not an IPv4 CIDR/);
    assert.throws(() => ipam.createPool('x', 'web', [{ Subnet: '10.1.0.0/16', Gateway: '10.2.0.1' }], []), /IPAM\.Config\[0\]\.Gateway 10\.2\.0\.1 is not a usable address/);
    assert.throws(() => ipam.createPool('x', 'web', [{ Subnet: '10.1.0.0/16', IPRange: '10.1.0.0/8' }], []), /IPAM\.Config\[0\]\.IPRange 10\.1\.0\.0\/8 is not inside the subnet/);
    assert.throws(() => ipam.createPool('x', 'web', [{ Gateway: '10.2.0.1' }], []), /IPAM\.Config\[0\]\.Gateway needs IPAM\.Config\[0\]\.Subnet/);
    assert.throws(() => ipam.createPool('x', 'web', [{ Subnet: 'fd00::/64' }], []), /IPv6 subnets are not supported/);
    ipam.createPool('y', 'db', [{ Subnet: '10.1.0.0/16' }], []);
    assert.throws(() => ipam.createPool('x', 'web', [{ Subnet: '10.1.128.0/24' }], []), /overlaps network db's subnet 10\.1\.0\.0\/16/);
    assert.equal(ipam.pool('x'), undefined, 'a refused pool is not kept');
  });

  it('hands out addresses from the range, never one in use, and not a just-released one', () => {
    const ipam = new Ipam(dir);
    ipam.createPool('n', 'n', [{ Subnet: '10.9.0.0/29', Gateway: '10.9.0.6' }], []);
    const got = [1, 2, 3, 4, 5].map((i) => ipam.allocate('n', `c${i}`).address);
    assert.deepEqual(got, ['10.9.0.1', '10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5']);
    assert.throws(() => ipam.allocate('n', 'c6'), /no free address left in 10\.9\.0\.0\/29/);
    ipam.release('n', '10.9.0.2');
    ipam.release('n', '10.9.0.4');
    // The search goes on from after the last one handed out, wrapping round.
    assert.equal(ipam.allocate('n', 'c7').address, '10.9.0.2');
    assert.equal(ipam.allocate('n', 'c8').address, '10.9.0.4');
    assert.equal(new Set(Object.keys(ipam.pool('n')!.allocated)).size, 5);
  });

  it('does not reuse a released address while fresh ones remain', () => {
    const ipam = new Ipam(dir);
    ipam.createPool('n', 'n', [{ Subnet: '10.9.0.0/24' }], []);
    const a = ipam.allocate('n', 'a').address;
    ipam.release('n', a);
    assert.notEqual(ipam.allocate('n', 'b').address, a);
  });

  it('honours ipv4_address or refuses it clearly', () => {
    const ipam = new Ipam(dir);
    ipam.createPool('n', 'front', [{ Subnet: '10.9.0.0/24', IPRange: '10.9.0.128/25' }], []);
    assert.equal(ipam.allocate('n', 'a', '10.9.0.50').address, '10.9.0.50');
    assert.throws(() => ipam.allocate('n', 'b', '10.9.0.50'), /requested address 10\.9\.0\.50 \(ipv4_address\) is already in use/);
    assert.throws(() => ipam.allocate('n', 'b', '10.10.0.5'), /outside the usable addresses of subnet 10\.9\.0\.0\/24/);
    assert.throws(() => ipam.allocate('n', 'b', '10.9.0.1'), /is the network's gateway/);
    assert.throws(() => ipam.allocate('n', 'b', '10.9.0.255'), /outside the usable addresses/);
    assert.equal(ipam.allocate('n', 'c').address, '10.9.0.128', 'dynamic addresses come from IPRange');
  });

  it('survives a reload from disk without handing out an address twice', () => {
    const first = new Ipam(dir);
    first.createPool('n', 'n', [], []);
    const a = first.allocate('n', 'a').address;
    const b = first.allocate('n', 'b').address;
    const again = new Ipam(dir);
    assert.equal(again.pool('n')!.subnet, first.pool('n')!.subnet);
    const c = again.allocate('n', 'c').address;
    assert.ok(![a, b].includes(c), `${c} was handed out before the reload`);
    assert.throws(() => again.allocate('n', 'd', a), /already in use/);
    again.removePool('n');
    assert.equal(new Ipam(dir).pool('n'), undefined);
  });
});
