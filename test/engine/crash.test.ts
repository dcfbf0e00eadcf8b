// Containers outlive the engine: SIGKILL it while containers run, or while
// a `compose up` is half done, start it again, and nothing is lost — not the
// container, not a log line, not a volume — nothing is half there, and
// removing everything afterwards leaves no mount, process, cgroup or link.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountsUnder, repoRoot, startTestEngine, type TestEngine } from './engine-fixture.js';
import { leftovers, namesOf, snapshotHost } from './host-network-state.js';

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

  it('knows who holds a driver-option volume mount across a SIGKILL: unmounts after the last user, mounts only once', async () => {
    const mountpoint = join(engine.dataRoot, 'volumes', 'shared-tmpfs', '_data');
    const mounted = () => mountsUnder(engine.dataRoot).filter((m) => m === mountpoint).length;
    assert.equal(engine.docker(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=1m', 'shared-tmpfs']).status, 0);
    for (const name of ['holder1', 'holder2']) {
      const r = engine.docker(['run', '-d', '--name', name, '-v', 'shared-tmpfs:/data', 'busybox', 'sleep', '300']);
      assert.equal(r.status, 0, r.stderr);
    }
    engine.docker(['run', '-d', '--name', 'holder3', '-v', 'shared-tmpfs:/data', 'busybox', 'sh', '-c', 'sleep 1']);
    assert.equal(engine.docker(['exec', 'holder1', 'sh', '-c', 'echo shared > /data/f']).status, 0);
    assert.equal(mounted(), 1);

    await engine.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1500)); // holder3 exits while no engine runs
    await engine.restart();

    // A new user after the restart shares the mount rather than stacking another.
    const r = engine.docker(['run', '--rm', '-v', 'shared-tmpfs:/data', 'busybox', 'cat', '/data/f']);
    assert.equal(r.stdout, 'shared\n', r.stderr);
    assert.equal(mounted(), 1, 'mounted twice');
    assert.equal(engine.docker(['rm', '-f', 'holder1']).status, 0);
    assert.equal(mounted(), 1, 'unmounted while holder2 still uses it');
    assert.equal(engine.docker(['exec', 'holder2', 'cat', '/data/f']).stdout, 'shared\n');
    assert.equal(engine.docker(['rm', '-f', 'holder2', 'holder3']).status, 0);
    assert.equal(mounted(), 0, 'the mount outlived its last user');
    assert.equal(engine.docker(['volume', 'rm', 'shared-tmpfs']).status, 0);
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

  it('lets go of what a container without a record left: its directories and a mounted layer', async () => {
    await engine.kill('SIGKILL');
    // As an engine killed between making a container's directories and writing its record leaves them.
    const orphan = 'f'.repeat(64);
    const layer = join(engine.dataRoot, 'rootfs', orphan);
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(layer, d), { recursive: true });
    assert.equal(spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', join(layer, 'merged')]).status, 0);
    mkdirSync(join(engine.dataRoot, 'containers', orphan, 'bundle'), { recursive: true });
    await engine.restart();
    assert.deepEqual(mountsUnder(layer), [], 'the orphan layer is still mounted');
    assert.equal(existsSync(layer), false, 'the orphan layer is still there');
    assert.equal(existsSync(join(engine.dataRoot, 'containers', orphan)), false, 'the orphan container directory is still there');
  });

  describe('SIGKILL while a compose up is in flight', () => {
    const project = 'gtcrash';
    let dir: string;
    const cli = join(repoRoot, 'dist/src/cli/main.js');
    const env = () => ({ ...process.env, DOCKER_HOST: engine.host, NO_COLOR: '1' });
    const compose = (args: string[]) => {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env: env(), encoding: 'utf8', timeout: 90_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const services = ['a', 'b', 'c', 'd', 'e', 'f'];

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'gantry-crash-up-'));
      const svc = (name: string, deps: string[]) =>
        `  ${name}:\n    image: busybox:latest\n    command: ["sh", "-c", "echo ${name} up; trap 'exit 0' TERM; while true; do sleep 0.1; done"]\n` +
        (deps.length ? `    depends_on: [${deps.join(', ')}]\n` : '');
      writeFileSync(
        join(dir, 'compose.yaml'),
        `name: ${project}\nservices:\n${svc('a', [])}${svc('b', ['a'])}${svc('c', ['a'])}${svc('d', ['b', 'c'])}${svc('e', ['d'])}${svc('f', ['e'])}`,
      );
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    // Kill points along the way: records being created, the first container
    // just started, the group half up.
    const killPoints: Array<[string, (all: Array<{ State: string }>) => boolean]> = [
      ['the first record exists', (all) => all.length >= 1],
      ['the first container runs', (all) => all.some((c) => c.State === 'running')],
      ['three containers run', (all) => all.filter((c) => c.State === 'running').length >= 3],
    ];
    for (const [when, reached] of killPoints) {
      it(`after a kill when ${when}: ps and logs whole, a second up completes, down leaves nothing`, async () => {
        const atStart = snapshotHost();
        const seenIds = new Set<string>();
        const seenNetworks = new Set<string>();
        const seenPids = new Set<number>();
        const up = spawn(process.execPath, [cli, 'up', '-d'], { cwd: dir, env: env(), stdio: 'ignore' });
        const upDone = new Promise((resolve) => up.once('exit', resolve));
        for (let i = 0; ; i++) {
          const r = await engine.request('GET', '/containers/json?all=1');
          if (r.status === 200 && reached(JSON.parse(r.body) as Array<{ State: string }>)) break;
          assert.ok(i < 4000 && up.exitCode === null, `compose up ended or took too long before ${when}`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        await engine.kill('SIGKILL');
        await upDone;
        // Whatever the dead engine left on disk names the containers it had begun.
        for (const d of [join(engine.dataRoot, 'containers'), join(engine.dataRoot, 'rootfs'), join(engine.execRoot, 'runtime')]) {
          for (const name of existsSync(d) ? readdirSync(d) : []) if (/^[0-9a-f]{64}$/.test(name)) seenIds.add(name);
        }
        await engine.restart();

        const inspectAll = () => {
          const ids = engine.docker(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
          ids.forEach((id) => seenIds.add(id));
          if (ids.length === 0) return [];
          const r = engine.docker(['inspect', ...ids]);
          assert.equal(r.status, 0, r.stderr);
          return JSON.parse(r.stdout) as Array<{ Id: string; Name: string; State: { Status: string; Running: boolean; Pid: number } }>;
        };
        // Running means a live process; anything else means no process, no runtime state, no monitor.
        const consistent = () => {
          const monitors = monitorsOf(engine.execRoot);
          for (const c of inspectAll()) {
            if (c.State.Pid) seenPids.add(c.State.Pid);
            if (c.State.Running) {
              assert.equal(c.State.Status, 'running', `${c.Name}: ${JSON.stringify(c.State)}`);
              assert.equal(spawnSync('kill', ['-0', String(c.State.Pid)]).status, 0, `${c.Name} says running but its process is gone`);
            } else {
              assert.ok(['created', 'exited'].includes(c.State.Status), `${c.Name}: ${JSON.stringify(c.State)}`);
              assert.equal(c.State.Pid, 0, `${c.Name} is ${c.State.Status} with a pid`);
              assert.equal(existsSync(join(engine.execRoot, 'runtime', c.Id)), false, `${c.Name} is ${c.State.Status} but the runtime still has it`);
              assert.deepEqual(monitors.filter((m) => m.includes(c.Id)), [], `${c.Name} is ${c.State.Status} but its monitor runs`);
            }
          }
        };
        consistent();
        const ps = compose(['ps', '-a', '--format', 'json']);
        assert.equal(ps.status, 0, ps.stderr);
        for (const line of ps.stdout.split('\n').filter(Boolean)) {
          const p = JSON.parse(line) as { Service: string; State: string };
          assert.ok(['running', 'created', 'exited'].includes(p.State), line);
        }
        const logs = compose(['logs', '--no-color']);
        assert.equal(logs.status, 0, logs.stderr);

        const again = compose(['up', '-d']);
        assert.equal(again.status, 0, again.stderr);
        consistent();
        const states = compose(['ps', '--format', 'json']).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Service: string; State: string });
        assert.deepEqual(states.map((p) => `${p.Service} ${p.State}`).sort(), services.map((s) => `${s} running`));
        // Running in earnest: every service has said so in its log.
        let said = '';
        for (let i = 0; i < 50 && !services.every((s) => said.includes(`${s} up`)); i++) {
          said = compose(['logs', '--no-color']).stdout;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        for (const s of services) assert.match(said, new RegExp(`${s} up`), `service ${s} never ran: ${said}`);
        for (const n of JSON.parse(engine.docker(['network', 'inspect', `${project}_default`]).stdout || '[]') as Array<{ Id: string }>) seenNetworks.add(n.Id);

        const down = compose(['down', '-v']);
        assert.equal(down.status, 0, down.stderr);
        assert.equal(engine.docker(['ps', '-aq']).stdout.trim(), '');
        assert.deepEqual(mountsUnder(engine.dataRoot), [], 'mounts left behind');
        assert.deepEqual(readdirSync(join(engine.execRoot, 'runtime')), [], 'runtime state left behind');
        for (const pid of seenPids) assert.notEqual(spawnSync('kill', ['-0', String(pid)]).status, 0, `container process ${pid} is still there`);
        assert.deepEqual(monitorsOf(engine.execRoot), [], 'container monitors left behind');
        assert.deepEqual(cgroupsOf([...seenIds]), [], 'cgroups left behind');
        assert.deepEqual(leftovers(atStart, snapshotHost(), namesOf([...seenIds], [...seenNetworks]), engine.id), []);
        for (const d of ['containers', 'rootfs']) {
          const left = readdirSync(join(engine.dataRoot, d)).filter((n) => !n.startsWith('.'));
          assert.deepEqual(left, [], `${d} left behind`);
        }
      });
    }
  });
});

/** Live processes whose command line names the engine's exec root: its monitors. */
function monitorsOf(execRoot: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes('gantry-monitor') && cmd.includes(execRoot)) out.push(`${pid} ${cmd}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Cgroup directories (v1 hierarchies or v2) the runtime made for these containers. */
function cgroupsOf(ids: string[]): string[] {
  const roots = existsSync('/sys/fs/cgroup/cgroup.controllers') ? ['/sys/fs/cgroup'] : readdirSync('/sys/fs/cgroup').map((h) => join('/sys/fs/cgroup', h));
  return roots.flatMap((r) => ids.map((id) => join(r, 'gantry', id))).filter((p) => existsSync(p));
}
