import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASS_IN, decodeMessage, encodeMessage, RCODE, TYPE } from '../../../src/engine/networks/dns-message.js';
import { NetworkManager } from '../../../src/engine/networks/network-manager.js';
import { bridgeMac, bridgeName } from '../../../src/engine/networks/bridge.js';
import { hostVethName, sandboxName } from '../../../src/engine/networks/sandbox.js';
import { askDns, containerId, hostFootprint, inSandbox, inSandboxAsync, requireRoot, serveInSandbox, TCP_ECHO, testNetwork, UDP_ECHO } from './host-fixture.js';

describe('engine networks: manager on a real host (root)', function () {
  this.timeout(60_000);
  let footprint: string[];
  let dataRoot: string;
  let stub: Socket;
  let stubPort: number;
  let manager: NetworkManager;
  const front = testNetwork();
  const back = testNetwork({ Internal: true });
  const web1 = containerId();
  const web2 = containerId();
  const api = containerId();
  const servers: ChildProcess[] = [];

  before(async () => {
    requireRoot();
    footprint = hostFootprint();
    dataRoot = mkdtempSync(join(tmpdir(), 'gantry-net-'));
    // A stub upstream resolver on loopback: answers every A query with 127.0.0.53.
    stub = createSocket('udp4');
    stub.on('message', (msg, r) => {
      const q = decodeMessage(msg);
      const reply = encodeMessage({ id: q.id, qr: true, ra: true, questions: q.questions, answers: q.questions.map((x) => ({ name: x.name, type: TYPE.A, class: CLASS_IN, ttl: 30, data: '127.0.0.53' })) });
      stub.send(reply, r.port, r.address);
    });
    await new Promise<void>((resolve) => stub.bind(0, '127.0.0.1', () => resolve()));
    stubPort = stub.address().port;
    manager = new NetworkManager({ dataRoot, upstreams: [`127.0.0.1:${stubPort}`], defaultHostIp: '127.0.0.1' });
    front.IPAM.Config = await manager.createNetwork(front);
    back.IPAM.Config = await manager.createNetwork(back);
  });

  after(async () => {
    for (const s of servers) s.kill();
    if (manager) {
      for (const c of [web1, web2, api]) await manager.destroySandbox(c).catch(() => undefined);
      for (const n of [front, back]) await manager.removeNetwork(n).catch(() => undefined);
      await manager.close();
    }
    stub?.close();
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
    assert.deepEqual(hostFootprint(), footprint, 'the tests left bridges, namespaces or rules behind');
  });

  it('gives each network its own bridge with the gateway address, and a pool avoiding host routes', () => {
    const gw = front.IPAM.Config[0]!.Gateway!;
    const addrs = execFileSync('ip', ['-j', '-4', 'addr', 'show', 'dev', bridgeName(front.Id)], { encoding: 'utf8' });
    assert.match(addrs, new RegExp(`"local":"${gw.replace(/\./g, '\\.')}"`));
    assert.notEqual(front.IPAM.Config[0]!.Subnet, back.IPAM.Config[0]!.Subnet);
  });

  it('connects two sandboxes on one network that reach each other', async () => {
    const { netnsPath } = await manager.createSandbox(web1);
    assert.equal(netnsPath, `/run/netns/gantry-${web1.slice(0, 12)}`);
    await manager.createSandbox(web2);
    const e1 = await manager.connect(web1, front, { names: ['proj-web-1', 'web'], aliases: ['www'] });
    const e2 = await manager.connect(web2, front, { names: ['proj-web-2', 'web'] });
    assert.equal(e1.Gateway, front.IPAM.Config[0]!.Gateway);
    assert.equal(e1.IPPrefixLen, Number(front.IPAM.Config[0]!.Subnet!.split('/')[1]));
    assert.match(e1.MacAddress, /^02:42:/);
    assert.notEqual(e1.IPAddress, e2.IPAddress);
    assert.match(inSandbox(web1, ['ip', '-o', 'addr', 'show', 'eth0']), new RegExp(`inet ${e1.IPAddress}/`));
    assert.match(inSandbox(web1, ['ip', 'route']), new RegExp(`default via ${e1.Gateway} dev eth0`));
    assert.match(inSandbox(web1, ['busybox', 'ping', '-c1', '-W3', e2.IPAddress]), /1 packets received/);
    servers.push(await serveInSandbox(web2, TCP_ECHO(8080)));
    assert.equal(inSandbox(web1, ['sh', '-c', `echo hi | busybox nc -w3 ${e2.IPAddress} 8080`]).trim(), 'echo:hi');
  });

  it('answers service names through the gateway, round-robin, inside the sandbox', async () => {
    const gw = front.IPAM.Config[0]!.Gateway!;
    assert.deepEqual(manager.resolverFor(web1), [gw]);
    const out = await inSandboxAsync(web1, ['busybox', 'nslookup', 'proj-web-2', gw]);
    assert.match(out, new RegExp(manager.endpoint(web2, front.Id)!.IPAddress.replace(/\./g, '\\.')));
    const ips = [manager.endpoint(web1, front.Id)!.IPAddress, manager.endpoint(web2, front.Id)!.IPAddress].sort();
    const first = (await askDns(gw, 'web')).answers.map((a) => a.data as string);
    const second = (await askDns(gw, 'web')).answers.map((a) => a.data as string);
    assert.deepEqual([...first].sort(), ips);
    assert.deepEqual(second, [first[1], first[0]], 'the second answer starts with the other replica');
    assert.deepEqual((await askDns(gw, 'www')).answers.map((a) => a.data), [ips.find((ip) => ip === manager.endpoint(web1, front.Id)!.IPAddress)]);
    assert.deepEqual((await askDns(gw, `web.${front.Name}`)).answers.length, 2);
  });

  it('says NXDOMAIN for unknown single names and names under a network, and forwards the rest', async () => {
    const gw = front.IPAM.Config[0]!.Gateway!;
    assert.equal((await askDns(gw, 'nosuchservice')).rcode, RCODE.NXDOMAIN);
    assert.equal((await askDns(gw, `nothing.${front.Name}`)).rcode, RCODE.NXDOMAIN);
    const fwd = await askDns(gw, 'example.invalid');
    assert.equal(fwd.rcode, RCODE.NOERROR);
    assert.deepEqual(fwd.answers.map((a) => a.data), ['127.0.0.53'], 'answered by the stub resolver on 127.0.0.1');
    const aaaa = await askDns(gw, 'web', TYPE.AAAA);
    assert.equal(aaaa.rcode, RCODE.NOERROR);
    assert.equal(aaaa.answers.length, 0);
    const ptr = await askDns(gw, manager.endpoint(web1, front.Id)!.IPAddress.split('.').reverse().join('.') + '.in-addr.arpa', TYPE.PTR);
    assert.deepEqual(ptr.answers.map((a) => a.data), ['proj-web-1']);
  });

  it('updates names at once on disconnect', async () => {
    const gw = front.IPAM.Config[0]!.Gateway!;
    await manager.createSandbox(api);
    await manager.connect(api, front, { names: ['api'] });
    assert.equal((await askDns(gw, 'api')).answers.length, 1);
    await manager.disconnect(api, front);
    assert.equal((await askDns(gw, 'api')).rcode, RCODE.NXDOMAIN);
    assert.doesNotMatch(inSandbox(api, ['ip', '-o', 'link']), /eth0/);
  });

  it('forwards a container\'s queries to its own resolvers (dns:) while still answering the project\'s names', async () => {
    const gw = front.IPAM.Config[0]!.Gateway!;
    const own = createSocket('udp4');
    own.on('message', (msg, r) => {
      const q = decodeMessage(msg);
      own.send(encodeMessage({ id: q.id, qr: true, ra: true, questions: q.questions, answers: q.questions.map((x) => ({ name: x.name, type: TYPE.A, class: CLASS_IN, ttl: 30, data: '127.0.0.54' })) }), r.port, r.address);
    });
    await new Promise<void>((resolve) => own.bind(0, '127.0.0.1', () => resolve()));
    try {
      await manager.connect(api, front, { names: ['api'], upstreams: [`127.0.0.1:${own.address().port}`] });
      assert.match(await inSandboxAsync(api, ['busybox', 'nslookup', 'example.invalid', gw]), /Address: 127\.0\.0\.54/, 'the container\'s own resolver answered');
      assert.match(await inSandboxAsync(web1, ['busybox', 'nslookup', 'example.invalid', gw]), /Address: 127\.0\.0\.53/, 'the others still use the host\'s');
      assert.match(await inSandboxAsync(api, ['busybox', 'nslookup', 'proj-web-1', gw]), new RegExp(manager.endpoint(web1, front.Id)!.IPAddress.replace(/\./g, '\\.')));
    } finally {
      await manager.disconnect(api, front);
      own.close();
    }
  });

  it('keeps the gateway MAC when the port with the lowest MAC leaves, so a neighbour is answered at once', async () => {
    const gw = front.IPAM.Config[0]!.Gateway!;
    const br = bridgeName(front.Id);
    const macOf = (dev: string) => (JSON.parse(execFileSync('ip', ['-j', 'link', 'show', 'dev', dev], { encoding: 'utf8' })) as Array<{ address: string }>)[0]!.address;
    const leaving = containerId();
    await manager.createSandbox(leaving);
    await manager.connect(leaving, front, { names: ['leaving'] });
    // Lower than any random veth MAC: a bridge left to the kernel would take it.
    execFileSync('ip', ['link', 'set', hostVethName(leaving, front.Id), 'address', '00:00:00:00:00:01']);
    const mac = macOf(br);
    execFileSync('ip', ['-n', sandboxName(web1), 'neigh', 'flush', 'all']);
    const web2Ip = new RegExp(manager.endpoint(web2, front.Id)!.IPAddress.replace(/\./g, '\\.'));
    assert.match(await inSandboxAsync(web1, ['busybox', 'nslookup', 'proj-web-2', gw]), web2Ip);
    assert.match(execFileSync('ip', ['-n', sandboxName(web1), 'neigh', 'show', gw], { encoding: 'utf8' }), new RegExp(`lladdr ${mac}`));
    await manager.destroySandbox(leaving);
    assert.throws(() => execFileSync('ip', ['link', 'show', hostVethName(leaving, front.Id)], { stdio: 'ignore' }), 'the leaving port is gone when destroySandbox returns');
    assert.equal(macOf(br), mac, 'the bridge changed its MAC when a port left');
    // The gateway's MAC is still cached as reachable: the next query goes there and must be answered.
    assert.match(await inSandboxAsync(web1, ['busybox', 'nslookup', 'proj-web-2', gw], 8000), web2Ip);
    assert.equal(mac, bridgeMac(front.Id));
  });

  it('puts an internal network in with no default route, and DROP rules for leaving it', async () => {
    const ep = await manager.connect(api, back, { names: ['api'] });
    assert.equal(ep.Gateway, '');
    assert.doesNotMatch(inSandbox(api, ['ip', 'route']), /default/);
    const rules = execFileSync('iptables', ['-S', 'GANTRY-FORWARD'], { encoding: 'utf8' });
    const br = bridgeName(back.Id);
    assert.match(rules, new RegExp(`-A GANTRY-FORWARD -i ${br} ! -o ${br} -j DROP`));
    assert.doesNotMatch(execFileSync('iptables', ['-t', 'nat', '-S', 'GANTRY-POSTROUTING'], { encoding: 'utf8' }), new RegExp(br));
    // Names still resolve on an internal network: the server is on its gateway.
    assert.equal((await askDns(back.IPAM.Config[0]!.Gateway!, 'api')).answers[0]!.data, ep.IPAddress);
    // A second network keeps eth0's default route from the non-internal one.
    const e = await manager.connect(web1, back, { names: ['web'] });
    assert.match(inSandbox(web1, ['ip', 'route']), new RegExp(`default via ${front.IPAM.Config[0]!.Gateway!.replace(/\./g, '\\.')} dev eth0`));
    assert.match(inSandbox(web1, ['ip', '-o', 'addr', 'show', 'eth1']), new RegExp(`inet ${e.IPAddress}/`));
    assert.deepEqual(manager.resolverFor(web1), [front.IPAM.Config[0]!.Gateway, back.IPAM.Config[0]!.Gateway]);
  });

  it('masquerades a non-internal subnet leaving through other interfaces', () => {
    const nat = execFileSync('iptables', ['-t', 'nat', '-S', 'GANTRY-POSTROUTING'], { encoding: 'utf8' });
    assert.match(nat, new RegExp(`-A GANTRY-POSTROUTING -s ${front.IPAM.Config[0]!.Subnet!.replace(/\./g, '\\.')} ! -o ${bridgeName(front.Id)} -j MASQUERADE`));
  });

  it('publishes TCP and UDP ports on 127.0.0.1 to servers in a sandbox', async () => {
    servers.push(await serveInSandbox(web2, UDP_ECHO(5353)));
    const ip = manager.endpoint(web2, front.Id)!.IPAddress;
    const bound = await manager.publish(web2, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '5353/udp': [{ HostIp: '127.0.0.1', HostPort: '0' }] }, ip);
    const tcpPort = Number(bound['8080/tcp']![0]!.HostPort);
    const udpPort = Number(bound['5353/udp']![0]!.HostPort);
    assert.ok(tcpPort > 0 && udpPort > 0);
    const tcpReply = await new Promise<string>((resolve, reject) => {
      const s = connect(tcpPort, '127.0.0.1', () => s.write('ping'));
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
    assert.equal(tcpReply, 'echo:ping');
    const udpReply = await new Promise<string>((resolve, reject) => {
      const s = createSocket('udp4');
      const t = setTimeout(() => reject(new Error('no UDP reply through the proxy')), 5000);
      s.on('message', (m) => {
        clearTimeout(t);
        s.close();
        resolve(m.toString());
      });
      s.send('ping', udpPort, '127.0.0.1');
    });
    assert.equal(udpReply, 'echo:ping');
    await manager.unpublish(web2);
    await assert.rejects(
      new Promise((resolve, reject) => connect(tcpPort, '127.0.0.1').on('connect', resolve).on('error', reject)),
      /ECONNREFUSED/,
    );
  });

  it('keeps state across an engine restart: pools, sandboxes, names', async () => {
    const gw = front.IPAM.Config[0]!.Gateway!;
    const rulesBefore = hostFootprint();
    await manager.close();
    manager = new NetworkManager({ dataRoot, upstreams: [`127.0.0.1:${stubPort}`], defaultHostIp: '127.0.0.1' });
    await manager.restore([front, back]);
    assert.deepEqual(hostFootprint(), rulesBefore, 'restore adds no second bridge, link or rule');
    assert.equal((await askDns(gw, 'proj-web-2')).answers[0]!.data, manager.endpoint(web2, front.Id)!.IPAddress);
    const fresh = containerId();
    await manager.createSandbox(fresh);
    const e = await manager.connect(fresh, front, {});
    assert.ok(![manager.endpoint(web1, front.Id)!.IPAddress, manager.endpoint(web2, front.Id)!.IPAddress].includes(e.IPAddress));
    await manager.destroySandbox(fresh);
  });
});
