import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { spawnMonitor } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { attach, cleanup, prepareContainer, requireRuntime, waitExit, type PreparedContainer } from './busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;

// A process that prints and exits at once races the runtime's own exit: its
// output must still reach the first attach client, every time.
describe('container monitor: fast-exiting exec', function () {
  this.timeout(120_000);
  let runtime: Runtime;
  let box: PreparedContainer;
  const ids: string[] = [];

  before(async () => {
    runtime = await requireRuntime();
    box = prepareContainer(runtime, ids, 'exec-fast', { args: ['sleep', '1000'] });
    await spawnMonitor({
      mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id,
      stateDir: box.stateDir, bundle: box.bundle, tty: false, stdin: false,
    });
    await runtime.start(box.id);
  });
  after(async () => cleanup(runtime, ids));

  function fastExec(tag: string, i: number) {
    const stateDir = join(box.dir, `fast-${tag}-${i}`);
    mkdirSync(stateDir, { recursive: true });
    const processFile = join(stateDir, 'process.json');
    const spec = { terminal: false, args: ['sh', '-c', 'echo $X'], cwd: '/tmp', env: ['PATH=/bin', `X=run-${i}`], user: { uid: 0, gid: 0 } };
    writeFileSync(processFile, JSON.stringify(spec));
    const spawned = spawnMonitor({
      mode: 'exec', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir, processFile, tty: false, stdin: false,
    });
    return { stateDir, spawned };
  }

  it('delivers the output of 50 execs that print and exit at once', async () => {
    const lost: string[] = [];
    for (let i = 0; i < 50; i++) {
      const { stateDir, spawned } = fastExec('plain', i);
      const session = await attach(stateDir);
      await spawned;
      await session.closed;
      assert.equal((await waitExit(stateDir)).exitCode, 0);
      if (session.stdout() !== `run-${i}\n`) lost.push(`#${i}: ${JSON.stringify(session.stdout())}`);
    }
    assert.deepEqual(lost, [], `execs whose output never arrived: ${lost.join(', ')}`);
  });

  // How the engine lost output: its client wrote (stray stdin) after the
  // process was gone, while the output sat unread in the socket; the monitor
  // had already closed, so the write failed with EPIPE and Node destroyed the
  // socket without ever reading it. The event loop is held here from the
  // exit record on, so nothing is read before the write, as it was there.
  it('keeps the output of 20 fast execs whose client writes after the exit', async () => {
    const lost: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { stateDir, spawned } = fastExec('late-write', i);
      const socket = await rawAttach(stateDir);
      await spawned;
      holdUntil(() => existsSync(join(stateDir, 'exit.json')), 10_000);
      // A monitor that closes at once is gone within a few ms; one that waits for the client is not.
      const monitorPid = Number(readFileSync(join(stateDir, 'monitor.pid'), 'utf8'));
      holdUntil(() => exited(monitorPid), 100);
      const received: Buffer[] = [];
      const ended = new Promise<string | undefined>((resolve) => {
        socket.on('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message));
        socket.on('close', () => resolve(undefined));
      });
      const stdinFrame = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 5]), Buffer.from('stray')]);
      socket.write(stdinFrame);
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      const error = await ended;
      const all = Buffer.concat(received);
      const expected = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, `run-${i}\n`.length]), Buffer.from(`run-${i}\n`)]);
      if (!all.equals(expected)) lost.push(`#${i}: ${JSON.stringify(all.toString('latin1'))}${error ? ` (${error})` : ''}`);
    }
    assert.deepEqual(lost, [], `execs whose output never arrived: ${lost.join(', ')}`);
  });
});

/** A bare connection to the attach socket, retried until the monitor listens. */
async function rawAttach(stateDir: string): Promise<Socket> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(join(stateDir, 'attach.sock'));
        socket.once('connect', () => {
          socket.removeListener('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (err) {
      assert.ok(Date.now() < deadline, `cannot attach to ${stateDir}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Blocks the whole event loop until `check` holds or `ms` pass: no socket is read meanwhile. */
function holdUntil(check: () => boolean, ms: number): void {
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) Atomics.wait(tick, 0, 0, 2);
}

/** Gone or a zombie: our child is only reaped by the event loop, which is held. */
function exited(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z');
  } catch {
    return true;
  }
}
