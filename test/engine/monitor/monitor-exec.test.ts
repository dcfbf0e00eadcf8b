import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectMonitor } from '../../../src/engine/containers/monitor/monitor-connection.js';
import { spawnMonitor } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { attach, cleanup, prepareContainer, requireRuntime, until, waitExit, type PreparedContainer } from './busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;

describe('container monitor: exec mode', function () {
  let runtime: Runtime;
  let box: PreparedContainer;
  const ids: string[] = [];
  let execs = 0;

  before(async () => {
    runtime = await requireRuntime();
    box = prepareContainer(runtime, ids, 'exec-host', { args: ['sleep', '1000'] });
    await spawnMonitor({
      mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir: box.stateDir,
      bundle: box.bundle, tty: false, stdin: false,
    });
    await runtime.start(box.id);
  });
  after(async () => cleanup(runtime, ids));

  function execIn(args: string[], terminal: boolean) {
    const dir = join(box.dir, `exec-${++execs}`);
    mkdirSync(dir, { recursive: true });
    const processFile = join(dir, 'process.json');
    const process = { terminal, args, cwd: '/', env: ['PATH=/bin', 'TERM=xterm'], user: { uid: 0, gid: 0 } };
    writeFileSync(processFile, JSON.stringify(process));
    return { stateDir: dir, processFile };
  }

  it('waits for the first client, then frames both streams and records the exit code', async () => {
    const e = execIn(['sh', '-c', 'echo out; echo err >&2; exit 4'], false);
    const spawned = spawnMonitor({
      mode: 'exec', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir: e.stateDir,
      processFile: e.processFile, tty: false, stdin: false,
    });
    const session = await attach(e.stateDir);
    const { pid } = await spawned;
    assert.ok(pid > 0);
    await session.closed;
    assert.equal(session.stdout(), 'out\n');
    assert.equal(session.stderr(), 'err\n');
    assert.equal((await waitExit(e.stateDir)).exitCode, 4);
    assert.equal((await runtime.state(box.id))?.status, 'running', 'the container outlives its exec');
  });

  it('runs an exec on a pty with stdin', async () => {
    const e = execIn(['sh'], true);
    const spawned = spawnMonitor({
      mode: 'exec', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir: e.stateDir,
      processFile: e.processFile, tty: true, stdin: true,
    });
    const session = await attach(e.stateDir);
    await spawned;
    session.connection.writeStdin('echo in-""tty\n');
    await until('the echo', () => session.stdout().includes('in-tty\r\n'));
    session.connection.writeStdin('exit 6\n');
    await session.closed;
    assert.equal((await waitExit(e.stateDir)).exitCode, 6);
  });

  it('runs at once when detached and still records the exit', async () => {
    const e = execIn(['sh', '-c', 'exit 2'], false);
    const { pid } = await spawnMonitor({
      mode: 'exec', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir: e.stateDir,
      processFile: e.processFile, tty: false, stdin: false, detach: true,
    });
    assert.ok(pid > 0);
    assert.equal((await waitExit(e.stateDir)).exitCode, 2);
  });

  it('is known to be gone at once when its exec ended before anyone connected', async () => {
    const e = execIn(['sh', '-c', 'exit 3'], false);
    await spawnMonitor({
      mode: 'exec', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir: e.stateDir,
      processFile: e.processFile, tty: false, stdin: false, detach: true,
    });
    await waitExit(e.stateDir);
    await until('the monitor to stop listening', () => !existsSync(join(e.stateDir, 'attach.sock')));
    const asked = Date.now();
    // A detached exec's end is learnt by connecting; a monitor already gone must not be waited for.
    await assert.rejects(connectMonitor(e.stateDir), /cannot attach to the container monitor/);
    assert.ok(Date.now() - asked < 1000, `connectMonitor took ${Date.now() - asked} ms to give up`);
  });

  it("rejects with the runtime's message when the exec cannot start", async () => {
    const e = execIn(['/no/such/binary'], false);
    const spawned = spawnMonitor({
      mode: 'exec', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir: e.stateDir,
      processFile: e.processFile, tty: false, stdin: false,
    });
    const session = await attach(e.stateDir);
    await assert.rejects(spawned, /^Error: exec gantry-test-exec-host-.*no such file or directory/i);
    await session.closed;
  });
});
