import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { spawnMonitor } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { attach, cleanup, prepareContainer, processAlive, requireRuntime, waitExit } from './busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;

// The module under test, as this file sees it (src/….ts under tsx, dist/….js compiled).
const spawnModule = new URL('../../../src/engine/containers/monitor/spawn-monitor.js', import.meta.url).href;

/** Runs spawnMonitor in a separate Node process that exits as soon as the container is created. */
function spawnFromShortLivedProcess(options: Parameters<typeof spawnMonitor>[0]): Promise<{ pid: number; monitorPid: number; nodePid: number }> {
  const script = `
    const { spawnMonitor } = await import(${JSON.stringify(spawnModule)});
    const r = await spawnMonitor(JSON.parse(process.argv[1]));
    process.stdout.write(JSON.stringify({ ...r, nodePid: process.pid }));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...process.execArgv, '--input-type=module', '-e', script, JSON.stringify(options)],
      { encoding: 'utf8', timeout: 20000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}

describe('container monitor: outliving its spawner', function () {
  let runtime: Runtime;
  const ids: string[] = [];

  before(async () => {
    runtime = await requireRuntime();
  });
  after(async () => cleanup(runtime, ids));

  it('keeps the monitor and the container running after the spawning Node process exits', async () => {
    const c = prepareContainer(runtime, ids, 'orphan', { args: ['sh', '-c', 'read x; echo "after $x"; exit 7'] });
    const spawned = await spawnFromShortLivedProcess({
      mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id: c.id, stateDir: c.stateDir,
      bundle: c.bundle, logFile: c.logFile, tty: false, stdin: true,
    });
    assert.equal(processAlive(spawned.nodePid), false, 'the spawning process has exited');
    assert.ok(processAlive(spawned.monitorPid), 'the monitor outlives it');

    assert.ok(processAlive(spawned.pid), "the created container process is alive");
    await runtime.start(c.id);
    assert.equal((await runtime.state(c.id))?.status, 'running');
    const session = await attach(c.stateDir);
    session.connection.writeStdin('the restart\n');
    await session.closed;
    assert.equal(session.stdout(), 'after the restart\n');
    assert.equal((await waitExit(c.stateDir)).exitCode, 7);
  });
});
