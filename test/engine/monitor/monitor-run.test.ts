import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { monitorArguments, spawnMonitor, type MonitorSpawnOptions } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { monitorBinaryPath } from '../../../src/engine/containers/monitor/monitor-binary.js';
import { attach, cleanup, prepareContainer, processAlive, requireRuntime, until, waitExit } from './busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;

describe('container monitor: run mode', function () {
  let runtime: Runtime;
  const ids: string[] = [];

  before(async () => {
    runtime = await requireRuntime();
  });
  after(async () => cleanup(runtime, ids));

  function options(name: string, args: string[]): MonitorSpawnOptions & { logFile: string } {
    const c = prepareContainer(runtime, ids, name, { args });
    return { mode: 'run', runtimePath: runtime.path, runtimeRoot: runtime.root, id: c.id, stateDir: c.stateDir, bundle: c.bundle, logFile: c.logFile, tty: false, stdin: false };
  }

  it('runs nothing until the first client connects, then creates and starts in one go, and lets go of it after', async () => {
    const opts = options('go', ['sh', '-c', 'echo early-err >&2; echo out; exit 5']);
    // Stands in for the container's root filesystem: the monitor mounts it first and unmounts it at the end.
    const layers = join(opts.stateDir, '..', 'layers');
    for (const d of ['lower', 'upper', 'work', 'merged']) mkdirSync(join(layers, d), { recursive: true });
    opts.rootfs = join(layers, 'merged');
    opts.mountOverlay = { options: 'lowerdir=lower,upperdir=upper,workdir=work', cwd: layers };
    let listening = 0;
    const ready = spawnMonitor(opts, (pid) => (listening = pid));
    await until('the monitor listens', () => listening > 0);
    assert.ok(mountsUnder(opts.rootfs), 'the monitor did not mount the root filesystem before listening');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await runtime.state(opts.id), undefined, 'the container ran before the signal');
    const session = await attach(opts.stateDir);
    let exitedBeforeClose = false;
    session.connection.once('exited', () => (exitedBeforeClose = true));
    const { pid, monitorPid } = await ready;
    assert.equal(monitorPid, listening);
    assert.ok(pid > 0 && pid !== monitorPid);
    await session.closed;
    // Written before the runtime had even exited, and still not lost.
    assert.equal(session.stderr(), 'early-err\n');
    assert.equal(session.stdout(), 'out\n');
    assert.equal((await waitExit(opts.stateDir)).exitCode, 5);
    assert.ok(exitedBeforeClose, 'no exit frame came before the session closed');
    assert.equal(await runtime.state(opts.id), undefined, 'the runtime still has the ended container');
    assert.ok(!mountsUnder(opts.rootfs), 'the root filesystem is still mounted');
  });

  it('leaves at once, having run nothing, when the engine goes away before connecting', async () => {
    const opts = options('gone', ['true']);
    const child = spawn(monitorBinaryPath(), monitorArguments(opts), { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    const sync = child.stdio[3] as Readable;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => sync.once('data', () => resolve()));
    assert.ok(processAlive(child.pid!), 'the monitor should be waiting for its signal');
    sync.destroy();
    assert.equal(await exited, 1);
    assert.equal(await runtime.state(opts.id), undefined);
    assert.equal(existsSync(join(opts.stateDir, 'attach.sock')), false, 'the attach socket was left behind');
  });

  it('undoes the run when the engine went away while the runtime ran the container', async () => {
    const opts = options('undo', ['sleep', '100']);
    const child = spawn(monitorBinaryPath(), monitorArguments(opts), { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    const sync = child.stdio[3] as Readable;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => sync.once('data', () => resolve()));
    const session = await attach(opts.stateDir);
    // The engine dies with the runtime at work: its readiness line finds no reader.
    sync.destroy();
    assert.equal(await exited, 1);
    await session.closed;
    assert.equal(await runtime.state(opts.id), undefined, 'a container no one knows of was left running');
    const pids = spawnSync('pgrep', ['-f', 'sleep 100'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    const cgroupOf = (pid: string) => {
      try {
        return readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      } catch {
        return ''; // gone meanwhile
      }
    };
    for (const pid of pids) assert.ok(!cgroupOf(pid).includes(opts.id), `the container's sleep ${pid} still runs`);
  });

  it("rejects with the runtime's own message when the run fails", async () => {
    const opts = options('bad', ['/no/such/program']);
    const ready = spawnMonitor(opts, () => void attach(opts.stateDir).catch(() => undefined));
    await assert.rejects(ready, /no\/such\/program/);
    assert.equal(await runtime.state(opts.id), undefined, 'a failed run left runtime state behind');
  });
});

function mountsUnder(dir: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);
}
