// Containers outlive the engine: SIGKILL it while containers run, start it
// again, and nothing is lost — not the container, not a log line, not a
// volume — and removing everything afterwards leaves no mount or process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mountsUnder, startTestEngine, type TestEngine } from './engine-fixture.js';

describe('engine crash and restart', function () {
  this.timeout(120_000);
  let engine: TestEngine;
  before(async () => {
    engine = await startTestEngine();
  });
  after(async () => engine?.stop());

  it('keeps running containers, their logs and volumes across a SIGKILL of the engine', async () => {
    const run = engine.docker(['run', '-d', '--name', 'survivor', '-v', 'keep:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f; i=0; while true; do echo line$i; i=$((i+1)); sleep 0.2; done']);
    assert.equal(run.status, 0, run.stderr);
    const before = JSON.parse(engine.docker(['inspect', 'survivor']).stdout)[0].State;
    await new Promise((r) => setTimeout(r, 1000));

    await engine.kill('SIGKILL');
    // The container keeps going while no engine runs.
    assert.equal(spawnSync('kill', ['-0', String(before.Pid)]).status, 0, 'the container died with the engine');
    await new Promise((r) => setTimeout(r, 1000));
    await engine.restart();

    const after = JSON.parse(engine.docker(['inspect', 'survivor']).stdout)[0].State;
    assert.equal(after.Running, true);
    assert.equal(after.Pid, before.Pid);
    await new Promise((r) => setTimeout(r, 500));
    const lines = engine.docker(['logs', 'survivor']).stdout.trim().split('\n');
    // Every line, in order, none missing across the time the engine was down.
    lines.forEach((line, i) => assert.equal(line, `line${i}`));
    assert.ok(lines.length >= 10, `only ${lines.length} lines`);
    assert.equal(engine.docker(['exec', 'survivor', 'cat', '/data/f']).stdout, 'kept\n');

    // The engine still learns of the exit of a container it found again.
    assert.equal(engine.docker(['kill', 'survivor']).status, 0);
    const waited = engine.docker(['wait', 'survivor']);
    assert.equal(waited.stdout.trim(), '137');
    assert.equal(engine.docker(['rm', 'survivor']).status, 0);
    assert.equal(engine.docker(['volume', 'rm', 'keep']).status, 0);
    assert.deepEqual(mountsUnder(engine.dataRoot), [], 'mounts left behind');
    assert.notEqual(spawnSync('kill', ['-0', String(before.Pid)]).status, 0, 'the container process is still there');
  });

  it('records exits that happened while the engine was down', async () => {
    engine.docker(['run', '-d', '--name', 'shortlived', 'busybox', 'sh', '-c', 'sleep 1; exit 4']);
    await engine.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2000));
    await engine.restart();
    const state = JSON.parse(engine.docker(['inspect', 'shortlived']).stdout)[0].State;
    assert.equal(state.Running, false);
    assert.equal(state.ExitCode, 4);
    engine.docker(['rm', 'shortlived']);
  });

  it('restarts containers by their restart policy', async () => {
    engine.docker(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo try; exit 1']);
    for (let i = 0; i < 100; i++) {
      const s = JSON.parse(engine.docker(['inspect', 'flaky']).stdout)[0];
      if (!s.State.Running && !s.State.Restarting && s.RestartCount === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const s = JSON.parse(engine.docker(['inspect', 'flaky']).stdout)[0];
    assert.equal(s.RestartCount, 2);
    assert.equal(s.State.ExitCode, 1);
    assert.equal(engine.docker(['logs', 'flaky']).stdout, 'try\ntry\ntry\n');
    engine.docker(['rm', '-f', 'flaky']);
  });
});
