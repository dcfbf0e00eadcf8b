// Issue 6 end to end: a compose project on the embedded engine whose
// services find each other by name, spread over replicas, publish a port on
// 127.0.0.1, keep an internal network sealed, follow a recreated container to
// its new address, resolve `links` aliases for the linking service only, and
// leave the host as they found it after `down`. Traffic
// goes only to 127.0.0.1 and to the engine's own container addresses.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startTestEngine, type TestEngine } from './engine-fixture.js';
import { leftovers, namesOf, snapshotHost, type HostNetworkState } from './host-network-state.js';

const PROJECT = 'gtnet';

// httpd and sleep as PID 1 ignore SIGTERM; stop_grace_period keeps stops short.
// Each web replica serves its own hostname at / and a shared file.
const composeFile = (port: number) => `name: ${PROJECT}
services:
  web:
    image: busybox:latest
    stop_grace_period: 1s
    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && echo shared-file > /www/file.txt && exec httpd -f -p 8080 -h /www"]
    deploy: { replicas: 3 }
  client:
    image: busybox:latest
    stop_grace_period: 1s
    command: ["sleep", "3600"]
  front:
    image: busybox:latest
    stop_grace_period: 1s
    command: ["sh", "-c", "mkdir -p /www && echo published > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:${port}:8080"]
  echo:
    image: busybox:latest
    stop_grace_period: 1s
    environment: { GENERATION: "\${GENERATION:-one}" }
    command: ["sh", "-c", "mkdir -p /www && echo $$GENERATION > /www/index.html && exec httpd -f -p 8080 -h /www"]
  hermit:
    image: busybox:latest
    stop_grace_period: 1s
    command: ["sleep", "3600"]
    networks: [sealed]
  db:
    image: busybox:latest
    stop_grace_period: 1s
    command: ["sleep", "3600"]
    mac_address: "02:42:0a:c0:ff:ee"
    networks: [default, sealed]
  linker:
    image: busybox:latest
    stop_grace_period: 1s
    command: ["sleep", "3600"]
    links: ["db:database"]
    # A documentation address (never contacted): what matters is that the
    # embedded DNS stays in resolv.conf and forwards to it.
    dns: ["192.0.2.53"]
  sidecar:
    image: busybox:latest
    stop_grace_period: 1s
    command: ["sleep", "3600"]
    network_mode: "service:client"
networks:
  sealed: { internal: true }
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The IPv4 addresses busybox nslookup printed for the name (not the server's). */
function answers(nslookup: string): string[] {
  const afterName = nslookup.split(/^Name:/m).slice(1).join('\n');
  return [...afterName.matchAll(/^Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)/gm)].map((m) => m[1]!).sort();
}

describe('networks on the embedded engine (issue 6)', function () {
  this.timeout(180_000);
  let engine: TestEngine;
  let dir: string;
  let port: number;
  let atStart: HostNetworkState;
  const seenContainers = new Set<string>();
  const seenNetworks = new Set<string>();

  const compose = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), ...args], {
      cwd: dir,
      env: { ...process.env, ...env, DOCKER_HOST: engine.host, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const exec = (container: string, cmd: string[]) => {
    const r = engine.docker(['exec', container, ...cmd]);
    return { ...r, out: r.stdout + r.stderr };
  };
  const inspect = (container: string) => {
    const r = engine.docker(['inspect', container]);
    assert.equal(r.status, 0, r.stderr);
    const [c] = JSON.parse(r.stdout) as Array<{ Id: string; NetworkSettings: { Networks: Record<string, { IPAddress: string; NetworkID: string }> } }>;
    seenContainers.add(c!.Id);
    for (const n of Object.values(c!.NetworkSettings.Networks)) seenNetworks.add(n.NetworkID);
    return c!;
  };
  const addressOn = (container: string, network: string) => {
    const ip = inspect(container).NetworkSettings.Networks[network]?.IPAddress;
    assert.ok(ip, `${container} has no address on ${network}`);
    return ip;
  };
  const networkId = (name: string) => {
    const r = engine.docker(['network', 'inspect', '-f', '{{.Id}}', name]);
    assert.equal(r.status, 0, r.stderr);
    const id = r.stdout.trim();
    seenNetworks.add(id);
    return id;
  };

  before(async () => {
    engine = await startTestEngine();
    dir = mkdtempSync(join(tmpdir(), 'gantry-net-engine-'));
    port = await freePort();
    writeFileSync(join(dir, 'compose.yaml'), composeFile(port));
    atStart = snapshotHost();
    const up = compose(['up', '-d']);
    assert.equal(up.status, 0, `compose up failed: ${up.stderr}`);
  });
  after(async () => {
    if (dir && engine) compose(['down', '-v']);
    await engine?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets one service fetch a file from another by its service name', () => {
    const r = exec(`${PROJECT}-client-1`, ['wget', '-qO-', 'http://web:8080/file.txt']);
    assert.equal(r.status, 0, r.out);
    assert.equal(r.stdout.trim(), 'shared-file');
  });

  it('resolves a scaled service to every replica, and each replica answers', () => {
    const replicas = [1, 2, 3].map((i) => `${PROJECT}-web-${i}`);
    const expected = replicas.map((c) => addressOn(c, `${PROJECT}_default`)).sort();
    const lookup = exec(`${PROJECT}-client-1`, ['nslookup', 'web']);
    assert.equal(lookup.status, 0, lookup.out);
    assert.deepEqual(answers(lookup.stdout), expected, lookup.out);

    const hostnames = new Set(replicas.map((c) => exec(c, ['hostname']).stdout.trim()));
    assert.equal(hostnames.size, 3);
    // Round robin at the server: the first answer moves on with each query.
    // (Not through wget: glibc's getaddrinfo re-sorts same-subnet answers by
    // longest common prefix with the client, so it would always pick one.)
    const firsts = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = exec(`${PROJECT}-client-1`, ['nslookup', 'web']);
      const first = /^Name:.*\n^Address(?: \d+)?:\s*(\S+)/m.exec(r.stdout)?.[1];
      assert.ok(first, r.out);
      firsts.add(first);
    }
    assert.deepEqual([...firsts].sort(), expected);
    // And each replica by its own hostname.
    for (const h of hostnames) {
      const r = exec(`${PROJECT}-client-1`, ['wget', '-qO-', `http://${h}:8080/`]);
      assert.equal(r.status, 0, r.out);
      assert.equal(r.stdout.trim(), h);
    }
  });

  it('answers on the published port on 127.0.0.1', async () => {
    const r = await httpGet(`http://127.0.0.1:${port}/`);
    assert.equal(r.status, 200);
    assert.equal(r.body.trim(), 'published');
  });

  it('gives an internal network no way out: no default route, DROP rules for its bridge', () => {
    const hermit = `${PROJECT}-hermit-1`;
    const routes = exec(hermit, ['ip', 'route']);
    assert.equal(routes.status, 0, routes.out);
    assert.ok(routes.stdout.trim().length > 0, 'the sealed subnet route should be there');
    assert.doesNotMatch(routes.stdout, /^default/m);
    const table = exec(hermit, ['route', '-n']);
    assert.equal(table.status, 0, table.out);
    assert.doesNotMatch(table.stdout, /^0\.0\.0\.0\s/m);

    const bridge = `gt-${networkId(`${PROJECT}_sealed`).slice(0, 12)}`;
    const rules = spawnSync('iptables-save', ['-t', 'filter'], { encoding: 'utf8' }).stdout;
    assert.ok(rules.includes(`-A GANTRY-FORWARD -i ${bridge} ! -o ${bridge} -j DROP`), `no outbound DROP for ${bridge}:\n${rules}`);
    assert.ok(rules.includes(`-A GANTRY-FORWARD ! -i ${bridge} -o ${bridge} -j DROP`), `no inbound DROP for ${bridge}:\n${rules}`);
    const nat = spawnSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).stdout;
    assert.ok(!nat.includes(`! -o ${bridge} -j MASQUERADE`), 'an internal network must not be masqueraded');

    // The non-internal default network keeps its way out, for contrast.
    const client = exec(`${PROJECT}-client-1`, ['ip', 'route']);
    assert.match(client.stdout, /^default via /m);
  });

  it('finds a recreated container at its new address by name at once', () => {
    const oldId = inspect(`${PROJECT}-echo-1`).Id;
    const oldIp = addressOn(`${PROJECT}-echo-1`, `${PROJECT}_default`);
    const bridge = `gt-${networkId(`${PROJECT}_default`).slice(0, 12)}`;
    const macBefore = spawnSync('cat', [`/sys/class/net/${bridge}/address`], { encoding: 'utf8' }).stdout.trim();
    // The client has just talked to the gateway: its ARP cache holds the gateway's MAC as reachable.
    assert.equal(exec(`${PROJECT}-client-1`, ['nslookup', 'echo']).status, 0);
    const up = compose(['up', '-d'], { GENERATION: 'two' });
    assert.equal(up.status, 0, up.stderr);
    const fresh = inspect(`${PROJECT}-echo-1`);
    assert.notEqual(fresh.Id, oldId, 'echo was not recreated');
    const newIp = addressOn(`${PROJECT}-echo-1`, `${PROJECT}_default`);
    // The IPAM's cursor does not hand a released address out again at once.
    assert.notEqual(newIp, oldIp);
    // A bridge that took its lowest port's MAC changed it when the old echo left, and the client's lookups went nowhere.
    assert.equal(spawnSync('cat', [`/sys/class/net/${bridge}/address`], { encoding: 'utf8' }).stdout.trim(), macBefore, 'the gateway MAC changed across the recreate');
    const lookup = exec(`${PROJECT}-client-1`, ['nslookup', 'echo']);
    assert.equal(lookup.status, 0, lookup.out);
    assert.deepEqual(answers(lookup.stdout), [newIp], `old ${oldIp}, new ${newIp}:\n${lookup.out}`);
    const r = exec(`${PROJECT}-client-1`, ['wget', '-qO-', 'http://echo:8080/']);
    assert.equal(r.status, 0, r.out);
    assert.equal(r.stdout.trim(), 'two');
  });

  it('resolves a links alias from the linking service only', () => {
    const dbIp = addressOn(`${PROJECT}-db-1`, `${PROJECT}_default`);
    const viaLink = exec(`${PROJECT}-linker-1`, ['nslookup', 'database']);
    assert.equal(viaLink.status, 0, viaLink.out);
    assert.deepEqual(answers(viaLink.stdout), [dbIp], viaLink.out);
    const byService = exec(`${PROJECT}-linker-1`, ['nslookup', 'db']);
    assert.deepEqual(answers(byService.stdout), [dbIp], byService.out);
    const other = exec(`${PROJECT}-client-1`, ['nslookup', 'database']);
    assert.notEqual(other.status, 0, other.out);
    assert.match(other.out, /NXDOMAIN/);
  });

  it('keeps the embedded DNS in resolv.conf of a service with its own dns: servers', () => {
    const gateway = exec(`${PROJECT}-client-1`, ['cat', '/etc/resolv.conf']).stdout.match(/^nameserver (\S+)$/m)?.[1];
    const resolv = exec(`${PROJECT}-linker-1`, ['cat', '/etc/resolv.conf']).stdout;
    assert.ok(gateway, 'client has a nameserver');
    assert.deepEqual([...resolv.matchAll(/^nameserver (\S+)$/gm)].map((m) => m[1]), [gateway], resolv);
    const byService = exec(`${PROJECT}-linker-1`, ['nslookup', 'web']);
    assert.equal(answers(byService.stdout).length, 3, byService.out);
  });

  it('gives mac_address to the primary network\'s interface only', () => {
    const ifaces = exec(`${PROJECT}-db-1`, ['sh', '-c', 'for i in /sys/class/net/eth*; do cat $i/address; done']);
    assert.equal(ifaces.status, 0, ifaces.out);
    const macs = ifaces.stdout.trim().split('\n');
    assert.equal(macs.length, 2, ifaces.out);
    assert.equal(macs.filter((m) => m === '02:42:0a:c0:ff:ee').length, 1, ifaces.out);
  });

  it('gives a network_mode service: container the names of the one whose network it shares', () => {
    const resolv = exec(`${PROJECT}-sidecar-1`, ['cat', '/etc/resolv.conf']);
    assert.equal(resolv.stdout, exec(`${PROJECT}-client-1`, ['cat', '/etc/resolv.conf']).stdout);
    const r = exec(`${PROJECT}-sidecar-1`, ['wget', '-qO-', 'http://web:8080/file.txt']);
    assert.equal(r.status, 0, r.out);
    assert.equal(r.stdout.trim(), 'shared-file');
  });

  it('leaves links, namespaces, mounts and iptables as they were after down', () => {
    for (const name of ['default', 'sealed']) networkId(`${PROJECT}_${name}`);
    const ids = engine.docker(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
    for (const id of ids) seenContainers.add(id);
    const mine = namesOf([...seenContainers], [...seenNetworks]);
    // While up, the checker does see this engine's traces (so it can fail).
    const during = leftovers(atStart, snapshotHost(), mine, engine.id);
    assert.ok(during.some((l) => l.startsWith('links +')) && during.some((l) => l.startsWith('netns +')) && during.some((l) => l.startsWith('iptables +')), during.join('\n'));

    const down = compose(['down', '-v']);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(engine.docker(['ps', '-aq']).stdout.trim(), '');
    assert.deepEqual(leftovers(atStart, snapshotHost(), mine, engine.id), []);
  });
});
