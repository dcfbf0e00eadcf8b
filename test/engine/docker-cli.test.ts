// Real clients no one here wrote: Debian's docker CLI against the embedded
// engine, for the calls the engine implements.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startTestEngine, type TestEngine } from './engine-fixture.js';

describe('docker CLI on the embedded engine', function () {
  this.timeout(120_000);
  let engine: TestEngine;
  before(async () => {
    engine = await startTestEngine();
  });
  after(async () => engine?.stop());

  it('docker run --rm busybox echo hi', () => {
    const r = engine.docker(['run', '--rm', 'busybox', 'echo', 'hi']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(engine.docker(['ps', '-aq']).stdout.trim(), '', 'the --rm container is gone');
  });

  it('passes the exit code through docker run', () => {
    const r = engine.docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.equal(r.status, 7);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });

  it('runs detached; ps, logs, exec, inspect, stop, rm -f', () => {
    const run = engine.docker(['run', '-d', '--name', 'sleeper', 'busybox', 'sh', '-c', 'echo started; trap "exit 0" TERM; while true; do sleep 0.1; done']);
    assert.equal(run.status, 0, run.stderr);
    const id = run.stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const ps = engine.docker(['ps', '--format', '{{.Names}} {{.Status}}']);
    assert.match(ps.stdout, /^sleeper Up /m);
    let logs = '';
    for (let i = 0; i < 50 && !logs.includes('started'); i++) {
      logs = engine.docker(['logs', 'sleeper']).stdout;
      spawnSync('sleep', ['0.1']);
    }
    assert.equal(logs, 'started\n');
    const exec = engine.docker(['exec', 'sleeper', 'sh', '-c', 'echo from exec; exit 3']);
    assert.equal(exec.status, 3);
    assert.equal(exec.stdout, 'from exec\n');
    const env = engine.docker(['exec', '-e', 'X=y', '-w', '/tmp', 'sleeper', 'sh', '-c', 'echo $X $(pwd)']);
    assert.equal(env.stdout, 'y /tmp\n');
    const inspect = JSON.parse(engine.docker(['inspect', 'sleeper']).stdout)[0];
    assert.equal(inspect.Id, id);
    assert.equal(inspect.State.Running, true);
    assert.equal(inspect.Name, '/sleeper');
    assert.ok(inspect.State.Pid > 0);
    const stop = engine.docker(['stop', '-t', '5', 'sleeper']);
    assert.equal(stop.status, 0, stop.stderr);
    const after = JSON.parse(engine.docker(['inspect', 'sleeper']).stdout)[0];
    assert.equal(after.State.Running, false);
    assert.equal(after.State.ExitCode, 0);
    assert.match(engine.docker(['ps', '-a', '--format', '{{.Names}} {{.Status}}']).stdout, /^sleeper Exited \(0\)/m);
    assert.equal(engine.docker(['rm', '-f', 'sleeper']).status, 0);
    assert.equal(engine.docker(['inspect', 'sleeper']).status, 1);
  });

  it('gives an interactive shell with a TTY (docker run -it)', () => {
    // `script` gives the docker CLI a terminal, as a person at a shell would have.
    const r = spawnSync('script', ['-qec', `docker -H ${engine.host} run --rm -it busybox sh -c 'tty; read line; echo got:$line'`, '/dev/null'], {
      input: 'hello\n',
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /\/dev\/pts\/\d+/);
    assert.match(r.stdout, /got:hello/);
  });

  it('kills with a signal, and stop escalates to SIGKILL after the grace period', () => {
    engine.docker(['run', '-d', '--name', 'stubborn', 'busybox', 'sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']);
    const started = Date.now();
    assert.equal(engine.docker(['stop', '-t', '1', 'stubborn']).status, 0);
    const took = Date.now() - started;
    assert.ok(took >= 900, `stop returned after ${took} ms, before the grace period`);
    const state = JSON.parse(engine.docker(['inspect', 'stubborn']).stdout)[0].State;
    assert.equal(state.ExitCode, 137);
    engine.docker(['rm', '-f', 'stubborn']);
  });

  it('copies files in and out (docker cp)', () => {
    engine.docker(['run', '-d', '--name', 'files', 'busybox', 'sleep', '60']);
    const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('sh', ['-c', `echo payload > ${dir}/in.txt`]);
    assert.equal(engine.docker(['cp', `${dir}/in.txt`, 'files:/tmp/in.txt']).status, 0);
    assert.equal(engine.docker(['exec', 'files', 'cat', '/tmp/in.txt']).stdout, 'payload\n');
    const out = engine.docker(['cp', 'files:/etc/passwd', `${dir}/passwd`]);
    assert.equal(out.status, 0, out.stderr);
    assert.match(spawnSync('cat', [`${dir}/passwd`], { encoding: 'utf8' }).stdout, /^root:x:0:0/);
    engine.docker(['rm', '-f', 'files']);
    spawnSync('rm', ['-rf', dir]);
  });

  it('pauses and unpauses', () => {
    engine.docker(['run', '-d', '--name', 'pausable', 'busybox', 'sleep', '60']);
    assert.equal(engine.docker(['pause', 'pausable']).status, 0);
    assert.equal(JSON.parse(engine.docker(['inspect', 'pausable']).stdout)[0].State.Status, 'paused');
    assert.equal(engine.docker(['unpause', 'pausable']).status, 0);
    assert.equal(JSON.parse(engine.docker(['inspect', 'pausable']).stdout)[0].State.Status, 'running');
    engine.docker(['rm', '-f', 'pausable']);
  });

  it('docker stats --no-stream, docker export and docker commit', () => {
    engine.docker(['run', '-d', '--name', 'measured', 'busybox', 'sh', '-c', 'echo made > /made; exec sleep 60']);
    const stats = engine.docker(['stats', '--no-stream', '--format', '{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.NetIO}} {{.PIDs}}', 'measured']);
    assert.equal(stats.status, 0, stats.stderr);
    assert.match(stats.stdout, /^measured \d+\.\d\d% [\d.]+[KMG]?i?B \/ [\d.]+[KMGT]?i?B [\d.]+[kMG]?B \/ [\d.]+[kMG]?B [1-9]\d*\n$/);
    const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
    const exported = engine.docker(['export', '-o', `${dir}/fs.tar`, 'measured']);
    assert.equal(exported.status, 0, exported.stderr);
    const listing = spawnSync('tar', ['-tf', `${dir}/fs.tar`], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(listing.includes('made') && listing.includes('bin/busybox'), listing.slice(0, 20).join(' '));
    const committed = engine.docker(['commit', '-c', 'ENV MADE=yes', 'measured', 'measured:snap']);
    assert.equal(committed.status, 0, committed.stderr);
    assert.equal(engine.docker(['run', '--rm', 'measured:snap', 'sh', '-c', 'cat /made; echo $MADE']).stdout, 'made\nyes\n');
    engine.docker(['rm', '-f', 'measured']);
    engine.docker(['rmi', 'measured:snap']);
    spawnSync('rm', ['-rf', dir]);
  });

  it('manages volumes', () => {
    assert.equal(engine.docker(['volume', 'create', 'data1']).status, 0);
    assert.equal(engine.docker(['run', '--rm', '-v', 'data1:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']).status, 0);
    assert.equal(engine.docker(['run', '--rm', '-v', 'data1:/data', 'busybox', 'cat', '/data/f']).stdout, 'kept\n');
    assert.match(engine.docker(['volume', 'ls', '-q']).stdout, /^data1$/m);
    assert.equal(engine.docker(['volume', 'rm', 'data1']).status, 0);
  });
});
