import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawnMonitor } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { attach, cleanup, makeBundle, requireRuntime, uniqueId, until, waitExit } from './busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;

describe('container monitor: create mode', function () {
  let runtime: Runtime;
  const ids: string[] = [];

  before(async () => {
    runtime = await requireRuntime();
  });
  after(async () => cleanup(runtime, ids));

  function prepare(name: string, args: string[], opts: { stdin?: boolean } = {}) {
    const id = uniqueId(name);
    ids.push(id);
    const dir = join(runtime.scratch, id);
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir, { recursive: true });
    const bundle = makeBundle(runtime.path, join(dir, 'bundle'), { args });
    const logFile = join(dir, 'container.log');
    const spawn = () =>
      spawnMonitor({
        mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id, stateDir, bundle, logFile,
        tty: false, stdin: opts.stdin ?? false,
      });
    return { id, stateDir, logFile, spawn };
  }

  it('frames stdout and stderr, logs them as json-file lines and records exit code 3', async () => {
    const c = prepare('out', ['sh', '-c', "echo hello; echo oops >&2; printf 'a\\001b\\377c\"d\\n'; printf tail; exit 3"]);
    const { pid, monitorPid } = await c.spawn();
    assert.ok(pid > 0 && monitorPid > 0 && pid !== monitorPid);
    assert.equal((await runtime.state(c.id))?.status, 'created');
    const session = await attach(c.stateDir);
    await runtime.start(c.id);
    await session.closed;

    assert.equal(session.stdout(), 'hello\na\u0001b\ufffdc"d\ntail');
    assert.equal(session.stderr(), 'oops\n');
    const exit = await waitExit(c.stateDir);
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.signal, null);
    assert.equal(exit.oomKilled, false);
    assert.match(exit.finishedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);

    const raw = readFileSync(c.logFile, 'utf8');
    assert.ok(raw.includes('"a\\u0001b\\ufffdc\\"d\\n"'), `control bytes and invalid UTF-8 escaped: ${raw}`);
    const lines = raw.trim().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
    const byStream = (s: string) => lines.filter((l) => l.stream === s).map((l) => l.log);
    assert.deepEqual(byStream('stdout'), ['hello\n', 'a\u0001b\ufffdc"d\n', 'tail']);
    assert.deepEqual(byStream('stderr'), ['oops\n']);
    for (const l of lines) assert.match(l.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('records 137 and signal 9 when the container is killed', async () => {
    const c = prepare('kill', ['sleep', '100']);
    const { pid, monitorPid } = await c.spawn();
    await runtime.start(c.id);
    const status = readFileSync(`/proc/${monitorPid}/status`, 'utf8');
    const kb = (text: string, field: string) => /(\d+) kB/.exec(text.split('\n').find((l) => l.startsWith(`${field}:`)) ?? '')?.[1];
    const pss = kb(readFileSync(`/proc/${monitorPid}/smaps_rollup`, 'utf8'), 'Pss');
    console.log(`      monitor memory while a container runs: VmRSS ${kb(status, 'VmRSS')} kB, RssAnon ${kb(status, 'RssAnon')} kB, Pss ${pss} kB`);
    assert.ok(pid > 0);
    assert.equal((await runtime.state(c.id))?.status, 'running');
    await runtime.kill(c.id, 'KILL');
    const exit = await waitExit(c.stateDir);
    assert.equal(exit.exitCode, 137);
    assert.equal(exit.signal, 9);
  });

  it('passes stdin frames to the container and closes its stdin on request', async () => {
    const c = prepare('stdin', ['sh', '-c', 'cat; echo done >&2'], { stdin: true });
    await c.spawn();
    const session = await attach(c.stateDir);
    await runtime.start(c.id);
    session.connection.writeStdin('line one\n');
    await until('the first echo', () => session.stdout() === 'line one\n');
    session.connection.writeStdin(Buffer.from('line two\n'));
    session.connection.closeStdin();
    await session.closed;
    assert.equal(session.stdout(), 'line one\nline two\n');
    assert.equal(session.stderr(), 'done\n');
    assert.equal((await waitExit(c.stateDir)).exitCode, 0);
  });

  it('serves several attach clients at once, each from the moment it connects', async () => {
    const c = prepare('many', ['sh', '-c', 'read x; echo "got $x"'], { stdin: true });
    await c.spawn();
    const a = await attach(c.stateDir);
    const b = await attach(c.stateDir);
    await runtime.start(c.id);
    a.connection.writeStdin('it\n');
    await Promise.all([a.closed, b.closed]);
    assert.equal(a.stdout(), 'got it\n');
    assert.equal(b.stdout(), 'got it\n');
  });

  it('drops a client that does not read instead of blocking the container', async () => {
    const c = prepare('slow', ['sh', '-c', "head -c 32000000 /dev/zero | tr '\\0' x; echo end"]);
    await c.spawn();
    const stalled = connect(join(c.stateDir, 'attach.sock'));
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.pause(); // never read: the monitor's buffer for it fills up
    const stalledClosed = new Promise((resolve) => stalled.once('close', resolve));
    stalled.on('error', () => undefined);
    const reader = await attach(c.stateDir);
    await runtime.start(c.id);
    await reader.closed;
    assert.equal(reader.stdout().length, 32000000 + 'end\n'.length, 'a reading client gets everything');
    assert.equal((await waitExit(c.stateDir)).exitCode, 0, 'the container ran to the end');
    let stalledBytes = 0;
    stalled.on('data', (chunk: Buffer) => (stalledBytes += chunk.length));
    stalled.resume();
    await stalledClosed;
    // Cut off once 8 MiB behind (plus what the sockets hold), long before the 32 MB end.
    assert.ok(stalledBytes < 16_000_000, `the stalled client was cut off early (it got ${stalledBytes} bytes)`);
  });

  it('holds the output back for a client that reads slowly, rather than dropping it', async () => {
    const c = prepare('slowreader', ['sh', '-c', "head -c 24000000 /dev/zero | tr '\\0' y; echo end"]);
    await c.spawn();
    const sock = connect(join(c.stateDir, 'attach.sock'));
    await new Promise((resolve) => sock.once('connect', resolve));
    // Frames: 8-byte header (stream, 0, 0, 0, length) then the payload.
    let pending = Buffer.alloc(0);
    let payload = 0;
    let tail = '';
    let sinceNap = 0;
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= 8 + pending.readUInt32BE(4)) {
        const n = pending.readUInt32BE(4);
        payload += n;
        tail = (tail + pending.subarray(8, 8 + n).toString('latin1')).slice(-8);
        pending = pending.subarray(8 + n);
      }
      sinceNap += chunk.length;
      // A reader far slower than the writer: a 700 ms nap after every 4 MB.
      if (sinceNap > 4_000_000) {
        sinceNap = 0;
        sock.pause();
        setTimeout(() => sock.resume(), 700);
      }
    });
    const closed = new Promise((resolve) => sock.once('close', resolve));
    await runtime.start(c.id);
    await closed;
    assert.equal(payload, 24_000_000 + 'end\n'.length, 'the slow reader lost output');
    assert.equal(tail.slice(-4), 'end\n');
    assert.equal((await waitExit(c.stateDir)).exitCode, 0);
  });

  it('rejects with the reason when the monitor cannot set up its state directory', async () => {
    const c = prepare('nostate', ['true']);
    const missing = join(c.stateDir, 'not-there');
    await assert.rejects(
      spawnMonitor({
        mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id: c.id, stateDir: missing,
        bundle: join(runtime.scratch, c.id, 'bundle'), tty: false, stdin: false,
      }),
      /^Error: create gantry-test-nostate-.*: cannot write .*not-there\/monitor\.pid: No such file or directory$/,
    );
    assert.equal(await runtime.state(c.id), undefined, 'nothing was created');
  });

  it("rejects with the runtime's own message when create fails", async () => {
    const c = prepare('bad', ['sh']);
    const config = join(runtime.scratch, c.id, 'bundle', 'config.json');
    const broken = JSON.parse(readFileSync(config, 'utf8'));
    broken.process.cwd = 'relative/cwd';
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, JSON.stringify(broken));
    await assert.rejects(c.spawn(), (err: Error) => {
      assert.match(err.message, /^create gantry-test-bad-/);
      assert.match(err.message, /Cwd must be an absolute path$/, `runc's complaint about the cwd is carried: ${err.message}`);
      return true;
    });
    assert.equal(await runtime.state(c.id), undefined);
  });
});
