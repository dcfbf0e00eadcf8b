import assert from 'node:assert/strict';
import { spawnMonitor } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { RuntimeError, runtimeMessage } from '../../../src/engine/containers/runtime/oci-runtime.js';
import { cleanup, prepareContainer, requireRuntime, until, waitExit, type PreparedContainer } from '../monitor/busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;

describe('runtime: OciRuntime against runc', function () {
  let runtime: Runtime;
  let box: PreparedContainer;
  let pid: number;
  const ids: string[] = [];

  before(async () => {
    runtime = await requireRuntime();
    box = prepareContainer(runtime, ids, 'oci', { args: ['sh', '-c', 'sleep 1000 & sleep 1000'] });
    ({ pid } = await spawnMonitor({
      mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id: box.id, stateDir: box.stateDir,
      bundle: box.bundle, tty: false, stdin: false,
    }));
  });
  after(async () => cleanup(runtime, ids));

  it('walks a container through created, running, paused, running and stopped', async () => {
    const created = await runtime.state(box.id);
    assert.equal(created?.status, 'created');
    assert.equal(created?.pid, pid);
    assert.equal(created?.bundle, box.bundle);

    await runtime.start(box.id);
    assert.equal((await runtime.state(box.id))?.status, 'running');
    const listed = await runtime.list();
    assert.deepEqual(listed.map((c) => [c.id, c.status]), [[box.id, 'running']]);

    await runtime.pause(box.id);
    assert.equal((await runtime.state(box.id))?.status, 'paused');
    await runtime.resume(box.id);
    assert.equal((await runtime.state(box.id))?.status, 'running');

    let pids: number[] = [];
    await until('both sleeps in ps', () => pids.length >= 2, 5000, async () => {
      pids = await runtime.ps(box.id);
    });
    assert.ok(pids.includes(pid), `ps lists the init pid ${pid}: ${pids}`);

    await runtime.kill(box.id, 'SIGKILL', { all: true });
    const exit = await waitExit(box.stateDir);
    assert.equal(exit.exitCode, 137);
    assert.equal((await runtime.state(box.id))?.status, 'stopped');
    await runtime.delete(box.id);
    assert.equal(await runtime.state(box.id), undefined);
    assert.deepEqual(await runtime.list(), []);
  });

  it("rejects with the runtime's message when a call fails", async () => {
    await assert.rejects(runtime.start('gantry-test-no-such-container'), (err: unknown) => {
      assert.ok(err instanceof RuntimeError);
      assert.match(err.message, /runc start gantry-test-no-such-container: container does not exist$/);
      assert.equal(err.notFound, true);
      assert.equal(err.exitCode, 1);
      return true;
    });
    await assert.rejects(runtime.kill('gantry-test-no-such-container', 'KILL'), /container does not exist/);
  });

  it('keeps the message from logrus-decorated stderr', () => {
    assert.equal(runtimeMessage('time="2026-11-23T08:02:14Z" level=error msg="runc create failed: a \\"quoted\\" word"\n'), 'runc create failed: a "quoted" word');
    assert.equal(runtimeMessage('plain words\n\n'), 'plain words');
  });
});
