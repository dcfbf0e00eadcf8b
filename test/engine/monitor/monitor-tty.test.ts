import assert from 'node:assert/strict';
import { spawnMonitor } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { attach, cleanup, prepareContainer, requireRuntime, until, waitExit } from './busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;

describe('container monitor: TTY', function () {
  let runtime: Runtime;
  const ids: string[] = [];

  before(async () => {
    runtime = await requireRuntime();
  });
  after(async () => cleanup(runtime, ids));

  it('runs a shell on a pty: input echoes back, resize changes stty size, exit code is kept', async () => {
    const c = prepareContainer(runtime, ids, 'tty', { args: ['sh'], terminal: true });
    await spawnMonitor({
      mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id: c.id, stateDir: c.stateDir,
      bundle: c.bundle, logFile: c.logFile, tty: true, stdin: true,
    });
    const session = await attach(c.stateDir);
    session.connection.resize(40, 100);
    await runtime.start(c.id);

    session.connection.writeStdin('echo h""i\n');
    await until('the echo through the pty', () => /\bhi\r\n/.test(session.stdout()));
    assert.equal(session.stderr(), '', 'a pty has one stream: everything is stdout');

    session.connection.writeStdin('stty size\n');
    await until('the first size', () => session.stdout().includes('40 100'));
    session.connection.resize(25, 132);
    session.connection.writeStdin('stty size\n');
    await until('the new size', () => session.stdout().includes('25 132'));

    session.connection.writeStdin('exit 5\n');
    await session.closed;
    assert.equal((await waitExit(c.stateDir)).exitCode, 5);
  });
});
