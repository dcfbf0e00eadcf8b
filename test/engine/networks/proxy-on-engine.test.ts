// The splice relay behind published TCP ports on a real embedded engine: a
// large file from a busybox httpd arrives byte-exact, `port` reports an
// ephemeral host port, and no relay process or listener outlives the
// container's removal, a SIGKILLed engine (whose restart publishes the ports
// again), or an engine stop.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { get } from 'node:http';
import { connect, createServer } from 'node:net';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';

const NAME = 'gtproxy-serve';
const FILE_MIB = 64;

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

function fetchBody(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    }).on('error', () => resolve(false));
  });
}

/** gantry-proxy processes on this host whose parent is `parent` (all of them when undefined). */
function relays(parent?: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readlinkSync(`/proc/${entry}/exe`).endsWith('/gantry-proxy')) continue;
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      if (parent === undefined || ppid === parent) out.push(Number(entry));
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return out;
}

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting: ${what}`);
}

describe('engine networks: splice relay on the embedded engine', function () {
  this.timeout(180_000);
  let engine: TestEngine;
  let fixed: number;
  let ephemeral: number;
  let digest: string;

  before(async () => {
    engine = await startTestEngine();
    fixed = await freePort();
    const run = engine.docker([
      'run', '-d', '--name', NAME, '-p', `127.0.0.1:${fixed}:8080`, '-p', '127.0.0.1::8081',
      'busybox:latest', 'sh', '-c',
      // Random bytes, so a relay that dropped or repeated a chunk cannot hide behind zeros.
      `mkdir -p /www && head -c ${FILE_MIB * 1024 * 1024} /dev/urandom > /www/big && sha256sum /www/big | cut -d' ' -f1 > /www/sum && (httpd -p 8081 -h /www &) && exec httpd -f -p 8080 -h /www`,
    ]);
    assert.equal(run.status, 0, run.stderr);
    const port = engine.docker(['port', NAME, '8081/tcp']);
    assert.equal(port.status, 0, port.stderr);
    ephemeral = Number(/127\.0\.0\.1:(\d+)/.exec(port.stdout)?.[1]);
    assert.ok(ephemeral > 0, `no ephemeral host port in: ${port.stdout}`);
    await until('httpd answers with the file written', async () => (await fetchBody(`http://127.0.0.1:${fixed}/sum`).catch(() => Buffer.alloc(0))).length > 0);
    digest = (await fetchBody(`http://127.0.0.1:${fixed}/sum`)).toString().trim();
  });

  after(async () => {
    engine?.docker(['rm', '-f', NAME]);
    await engine?.stop();
  });

  it('relays each published TCP port in a gantry-proxy child of the engine', async () => {
    assert.equal(relays(engine.process.pid).length, 2, 'expected one relay per published TCP port');
    const inspect = JSON.parse(engine.docker(['inspect', NAME]).stdout)[0];
    assert.deepEqual(inspect.NetworkSettings.Ports['8081/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(ephemeral) }]);
  });

  it(`carries a ${FILE_MIB} MiB file byte-exact from the container, on the fixed and the ephemeral port`, async () => {
    for (const port of [fixed, ephemeral]) {
      const body = await fetchBody(`http://127.0.0.1:${port}/big`);
      assert.equal(body.length, FILE_MIB * 1024 * 1024);
      assert.equal(createHash('sha256').update(body).digest('hex'), digest);
    }
  });

  it('takes the relays down with a SIGKILLed engine and publishes again on restart', async () => {
    const before = relays(engine.process.pid);
    await engine.kill('SIGKILL');
    await until('relays die with the engine', () => before.every((pid) => !existsSync(`/proc/${pid}`)));
    assert.equal(await canConnect(fixed), false, `port ${fixed} still listens with the engine dead`);
    await engine.restart();
    await until('the restarted engine publishes the port again', () => canConnect(fixed));
    assert.equal(relays(engine.process.pid).length, 2);
    assert.equal((await fetchBody(`http://127.0.0.1:${fixed}/sum`)).toString().trim(), digest);
    assert.equal((await fetchBody(`http://127.0.0.1:${ephemeral}/sum`)).toString().trim(), digest);
  });

  it('leaves no relay or listener after the container is removed', async () => {
    const mine = relays(engine.process.pid);
    assert.equal(mine.length, 2);
    const rm = engine.docker(['rm', '-f', NAME]);
    assert.equal(rm.status, 0, rm.stderr);
    await until('relays exit with the container', () => mine.every((pid) => !existsSync(`/proc/${pid}`)));
    assert.deepEqual(relays(engine.process.pid), []);
    assert.equal(await canConnect(fixed), false, `port ${fixed} still listens`);
    assert.equal(await canConnect(ephemeral), false, `port ${ephemeral} still listens`);
  });

  it('leaves no relay behind when the engine stops', async () => {
    const port = await freePort();
    const run = engine.docker(['run', '-d', '--name', `${NAME}-2`, '-p', `127.0.0.1:${port}:8080`, 'busybox:latest', 'sh', '-c', 'mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 8080 -h /www']);
    assert.equal(run.status, 0, run.stderr);
    await until('the second container answers', async () => (await fetchBody(`http://127.0.0.1:${port}/`).catch(() => Buffer.alloc(0))).toString() === 'hi\n');
    const mine = relays(engine.process.pid);
    assert.equal(mine.length, 1);
    await engine.kill('SIGTERM');
    await until('relays exit with the engine', () => mine.every((pid) => !existsSync(`/proc/${pid}`)));
    assert.equal(await canConnect(port), false, `port ${port} still listens after the engine stopped`);
  });
});
