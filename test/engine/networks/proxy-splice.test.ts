import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { PublishedPorts } from '../../../src/engine/networks/port-proxy.js';
import { proxyBinaryPath } from '../../../src/engine/networks/proxy-binary.js';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
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

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Sends `body`, half-closes, and answers everything the far side sent until it closed. */
function exchange(port: number, body: Buffer = Buffer.alloc(0)): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(port, '127.0.0.1');
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
    s.end(body);
  });
}

async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

function hostPort(bound: Record<string, Array<{ HostPort?: string }>>, key: string): number {
  return Number(bound[key]![0]!.HostPort);
}

describe('engine networks: splice relay for published TCP ports', function () {
  before(() => {
    assert.ok(proxyBinaryPath(), 'dist/native/gantry-proxy is not built: run npm run build (or node scripts/build-native.mjs)');
  });

  it('carries 64 MiB each way byte-exact, and an answer sent after the client half-closed', async () => {
    const download = randomBytes(64 << 20);
    const upload = randomBytes(64 << 20);
    const target = createServer((s: Socket) => {
      const got: Buffer[] = [];
      s.on('data', (c: Buffer) => got.push(c));
      // The digest goes out only after the client's EOF crossed the relay.
      s.on('end', () => s.end(`${sha(Buffer.concat(got))}\n`));
    });
    const source = createServer((s: Socket) => {
      s.resume();
      s.end(download);
    });
    const [tp, sp] = [await listen(target), await listen(source)];
    const up = await PublishedPorts.open({ [`${tp}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, '127.0.0.1');
    const down = await PublishedPorts.open({ [`${sp}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, '127.0.0.1');
    try {
      assert.equal(up.ports.relayPids.length, 1, 'the TCP port is not relayed by gantry-proxy');
      const [answer, fetched] = await Promise.all([exchange(hostPort(up.bound, `${tp}/tcp`), upload), exchange(hostPort(down.bound, `${sp}/tcp`))]);
      assert.equal(answer.toString(), `${sha(upload)}\n`);
      assert.equal(fetched.length, download.length);
      assert.equal(sha(fetched), sha(download));
    } finally {
      await up.ports.close();
      await down.ports.close();
      await closeServer(target);
      await closeServer(source);
    }
  });

  it('serves many connections at once', async () => {
    const target = createServer((s: Socket) => s.on('data', (c: Buffer) => s.end(Buffer.concat([Buffer.from('re:'), c]))));
    const tp = await listen(target);
    const { ports, bound } = await PublishedPorts.open({ [`${tp}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '0' }] }, '127.0.0.1');
    try {
      const port = hostPort(bound, `${tp}/tcp`);
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => exchange(port, Buffer.from(`n${i}`))));
      answers.forEach((a, i) => assert.equal(a.toString(), `re:n${i}`));
    } finally {
      await ports.close();
      await closeServer(target);
    }
  });

  it('closes the client connection when the container refuses it', async () => {
    const probe = createServer();
    const dead = await listen(probe);
    await closeServer(probe);
    const { ports, bound } = await PublishedPorts.open({ [`${dead}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, '127.0.0.1');
    try {
      const got = await exchange(hostPort(bound, `${dead}/tcp`), Buffer.from('hello')).catch(() => Buffer.from('reset'));
      assert.ok(got.length === 0 || got.toString() === 'reset', `unexpected answer ${got.toString()}`);
    } finally {
      await ports.close();
    }
  });

  it('leaves no relay process, listener or connection after close', async () => {
    const held: Socket[] = [];
    const target = createServer((s: Socket) => held.push(s));
    const tp = await listen(target);
    const { ports, bound } = await PublishedPorts.open({ [`${tp}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, '127.0.0.1');
    const port = hostPort(bound, `${tp}/tcp`);
    const [pid] = ports.relayPids;
    assert.ok(pid && existsSync(`/proc/${pid}`), 'no relay process while the port is published');
    const open = connect(port, '127.0.0.1');
    await new Promise((r) => open.once('connect', r));
    const closed = new Promise((r) => open.once('close', r));
    open.on('error', () => undefined);
    await ports.close();
    await closed;
    assert.equal(await waitGone(pid), true, `relay ${pid} outlived its port`);
    assert.equal(await canConnect(port), false, `port ${port} still listens`);
    for (const s of held) s.destroy();
    await closeServer(target);
  });

  it('dies with the process that started it, freeing the port', async () => {
    const binary = proxyBinaryPath()!;
    const target = createServer((s: Socket) => s.end('x'));
    const tp = await listen(target);
    const listener = createServer();
    const port = await listen(listener);
    const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
    // A shell stands in for the engine: the relay is its child, the shell is
    // killed with SIGKILL as an engine could be.
    const shell = spawn('sh', ['-c', `"$0" 127.0.0.1 ${tp} & echo $!; wait`, binary], { stdio: ['ignore', 'pipe', 'ignore', fd] });
    await closeServer(listener);
    const relayPid = Number(await new Promise<string>((resolve) => shell.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
    try {
      assert.equal((await exchange(port)).toString(), 'x');
      shell.kill('SIGKILL');
      assert.equal(await waitGone(relayPid), true, `relay ${relayPid} outlived the process that started it`);
      assert.equal(await canConnect(port), false, `port ${port} still listens`);
    } finally {
      if (existsSync(`/proc/${relayPid}`)) process.kill(relayPid, 'SIGKILL');
      await closeServer(target);
    }
  });

  it('replaces a relay that dies, on the same port; relays in the engine once relays keep dying', async () => {
    const target = createServer((s: Socket) => s.end('x'));
    const tp = await listen(target);
    const log: string[] = [];
    const { ports, bound } = await PublishedPorts.open({ [`${tp}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, '127.0.0.1', { log: (l) => log.push(l) });
    const port = hostPort(bound, `${tp}/tcp`);
    const answersAgain = async (): Promise<void> => {
      for (let i = 0; i < 100; i++) {
        const got = await exchange(port).catch(() => Buffer.alloc(0));
        if (got.toString() === 'x') return;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.fail(`port ${port} did not answer again; log: ${log.join(' | ')}`);
    };
    try {
      const killed: number[] = [];
      for (let death = 1; death <= 5; death++) {
        const [pid] = ports.relayPids;
        assert.ok(pid, `no relay before death ${death}`);
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
        assert.equal(await waitGone(pid), true);
        await answersAgain();
        if (death < 5) assert.ok(ports.relayPids.length === 1 && !killed.includes(ports.relayPids[0]!), `no new relay after death ${death}: ${ports.relayPids}`);
      }
      assert.deepEqual(ports.relayPids, [], 'the fifth death within a minute should leave the relaying to the engine');
      assert.equal(log.length, 5);
      assert.match(log[0]!, new RegExp(`relay for 127\\.0\\.0\\.1:${port}/tcp → 127\\.0\\.0\\.1:${tp} exited \\(signal SIGKILL\\); starting another`));
      assert.match(log[4]!, /relaying in the engine from now on/);
    } finally {
      await ports.close();
      await closeServer(target);
    }
    assert.equal(await canConnect(port), false, `port ${port} still listens after close`);
  });

  it('still answers UDP, relayed in the engine', async () => {
    const echo = createSocket('udp4');
    echo.on('message', (m, from) => echo.send(Buffer.concat([Buffer.from('re:'), m]), from.port, from.address));
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', () => r()));
    const ep = echo.address().port;
    const { ports, bound } = await PublishedPorts.open({ [`${ep}/udp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, '127.0.0.1', { udpIdleMs: 500 });
    const client = createSocket('udp4');
    try {
      assert.deepEqual(ports.relayPids, []);
      const answer = new Promise<string>((resolve) => client.once('message', (m) => resolve(m.toString())));
      client.send('ping', hostPort(bound, `${ep}/udp`), '127.0.0.1');
      assert.equal(await answer, 're:ping');
    } finally {
      client.close();
      echo.close();
      await ports.close();
    }
  });
});
