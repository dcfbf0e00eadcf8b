// The client's side of the attach protocol against a plain unix socket server
// standing in for the monitor: framing both ways, split at every byte.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMonitor } from '../../../src/engine/containers/monitor/monitor-connection.js';
import { readExitRecord } from '../../../src/engine/containers/monitor/exit-record.js';
import { monitorArguments } from '../../../src/engine/containers/monitor/spawn-monitor.js';

function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('monitor client: attach protocol', () => {
  let dir: string;
  let server: Server;
  let peer: Promise<Socket>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gantry-conn-'));
    server = createServer();
    peer = new Promise((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(join(dir, 'attach.sock'), resolve));
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reassembles output frames that arrive one byte at a time', async () => {
    const connection = await connectMonitor(dir);
    const socket = await peer;
    const got: Array<[number, string]> = [];
    connection.on('output', (stream, chunk) => got.push([stream, chunk.toString()]));
    const closed = new Promise<void>((resolve) => connection.once('close', () => resolve()));
    const bytes = Buffer.concat([frame(1, Buffer.from('out')), frame(2, Buffer.from('err')), frame(1, Buffer.alloc(0)), frame(1, Buffer.from('é'))]);
    for (const byte of bytes) {
      socket.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    socket.end();
    await closed;
    assert.deepEqual(got, [[1, 'out'], [2, 'err'], [1, ''], [1, 'é']]);
  });

  it('sends stdin, close-stdin and resize frames', async () => {
    const connection = await connectMonitor(dir);
    const socket = await peer;
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    connection.writeStdin('hi\n');
    connection.resize(24, 80);
    connection.closeStdin();
    connection.close();
    await ended;
    const size = Buffer.alloc(4);
    size.writeUInt16BE(24, 0);
    size.writeUInt16BE(80, 2);
    assert.deepEqual(Buffer.concat(received), Buffer.concat([frame(0, Buffer.from('hi\n')), frame(4, size), frame(3, Buffer.alloc(0))]));
  });

  it('waits for a socket that appears late, and names the path when none does', async () => {
    const late = join(dir, 'late');
    const pending = connectMonitor(late, 3000);
    const lateServer = createServer();
    setTimeout(() => {
      mkdirSync(late);
      lateServer.listen(join(late, 'attach.sock'));
    }, 100);
    const connection = await pending;
    connection.close();
    await new Promise((resolve) => lateServer.close(resolve));
    await assert.rejects(connectMonitor(join(dir, 'nowhere'), 100), /cannot attach to the container monitor at .*nowhere\/attach\.sock: .*ENOENT/);
  });
});

describe('monitor client: exit record and arguments', () => {
  it('reads exit.json, is undefined before it exists and reports corruption', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-exit-'));
    try {
      assert.equal(readExitRecord(dir), undefined);
      writeFileSync(join(dir, 'exit.json'), '{"exitCode":137,"signal":9,"finishedAt":"2026-11-23T10:00:00.123456789Z","oomKilled":false}\n');
      assert.deepEqual(readExitRecord(dir), { exitCode: 137, signal: 9, finishedAt: '2026-11-23T10:00:00.123456789Z', oomKilled: false });
      writeFileSync(join(dir, 'exit.json'), '{"exitCode":255,"signal":null,"finishedAt":"2026-11-23T10:00:00.1Z","oomKilled":false,"error":"monitor: poll: EBADF"}');
      assert.equal(readExitRecord(dir)?.error, 'monitor: poll: EBADF');
      writeFileSync(join(dir, 'exit.json'), '{"exitCode":');
      assert.throws(() => readExitRecord(dir), /corrupt exit record in .*gantry-exit-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the command line for each mode and refuses incomplete options', () => {
    const base = { runtimePath: '/usr/sbin/runc', runtimeRoot: '/run/g', id: 'c1', stateDir: '/s', tty: true, stdin: true };
    assert.deepEqual(
      monitorArguments({ ...base, mode: 'create', bundle: '/b', logFile: '/l', logMaxSize: 10, logMaxFiles: 2 }),
      ['create', '--runtime', '/usr/sbin/runc', '--runtime-root', '/run/g', '--id', 'c1', '--state-dir', '/s', '--bundle', '/b',
        '--log', '/l', '--log-max-size', '10', '--log-max-files', '2', '--tty', '--stdin', '--sync-fd', '3'],
    );
    assert.deepEqual(
      monitorArguments({ ...base, mode: 'exec', processFile: '/p.json', tty: false, stdin: false, detach: true }),
      ['exec', '--runtime', '/usr/sbin/runc', '--runtime-root', '/run/g', '--id', 'c1', '--state-dir', '/s', '--process', '/p.json', '--detach', '--sync-fd', '3'],
    );
    assert.throws(() => monitorArguments({ ...base, mode: 'create' }), /create mode needs a bundle/);
    assert.throws(() => monitorArguments({ ...base, mode: 'exec' }), /exec mode needs a process file/);
  });
});
