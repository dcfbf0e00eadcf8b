import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GantryError } from '../../src/common/errors.js';
import { EngineError, isNotFound, type CreateContainerRequest, type EngineClient } from '../../src/engine-client/index.js';
import { collect, newTestRun, TEST_IMAGE, testClient, textOf } from './test-engine.js';

describe('containers (real engine)', function () {
  this.timeout(30_000);
  const run = newTestRun();
  let client: EngineClient;
  let counter = 0;

  /** Creates a container of the test image running `sh -c script`; returns its name. */
  async function container(script: string, extra: Partial<CreateContainerRequest> = {}): Promise<string> {
    const name = run.name(`c${++counter}`);
    await client.containers.create({ Image: TEST_IMAGE, Cmd: ['sh', '-c', script], Labels: run.labels, ...extra }, { name });
    return name;
  }

  before(async () => {
    client = await testClient();
  });
  after(async () => {
    await run.sweep(client);
  });

  it('creates, starts, waits, and reads stdout and stderr apart', async () => {
    const name = await container('echo out1; echo err1 >&2; echo out2; exit 3');
    await client.containers.start(name);
    assert.equal(await client.containers.wait(name), 3);
    const lines = await collect(client.containers.logs(name));
    assert.deepEqual(lines.filter((l) => l.stream === 'stdout').map((l) => l.line), ['out1', 'out2']);
    assert.deepEqual(lines.filter((l) => l.stream === 'stderr').map((l) => l.line), ['err1']);
    const onlyErr = await collect(client.containers.logs(name, { stdout: false, tty: false }));
    assert.deepEqual(onlyErr, [{ stream: 'stderr', line: 'err1' }]);
    const details = await client.containers.inspect(name);
    assert.equal(details?.Name, `/${name}`);
    assert.equal(details?.State.ExitCode, 3);
    assert.equal(details?.Config.Labels?.['dev.gantry.test-run'], run.id);
  });

  it('reads the tail with timestamps, and a line longer than the engine\'s buffer whole', async () => {
    const name = await container('for i in 1 2 3 4 5; do echo line$i; done; head -c 40000 /dev/zero | tr "\\0" x; echo; echo end');
    await client.containers.start(name);
    await client.containers.wait(name);
    // dockerd stores the long line as three partial entries; tail counts entries.
    const tail = await collect(client.containers.logs(name, { tail: 6, timestamps: true }));
    assert.deepEqual(tail.map((l) => l.line.slice(0, 8)), ['line4', 'line5', 'xxxxxxxx', 'end']);
    const long = tail[2]!;
    assert.equal(long.line.length, 40000, 'the long line comes back as one line, without timestamps inside');
    assert.ok(/^x+$/.test(long.line), 'only x characters');
    for (const l of tail) assert.match(l.timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    const all = await collect(client.containers.logs(name));
    assert.deepEqual(all.map((l) => l.line.slice(0, 8)), ['line1', 'line2', 'line3', 'line4', 'line5', 'xxxxxxxx', 'end']);
    assert.equal(all[5]!.line.length, 40000);
    assert.equal(all[5]!.timestamp, undefined);
  });

  it('follows logs until the container exits, and stops quietly when aborted', async () => {
    const name = await container('for i in 1 2 3; do echo tick$i; sleep 0.2; done');
    await client.containers.start(name);
    const followed = await collect(client.containers.logs(name, { follow: true }));
    assert.deepEqual(followed.map((l) => l.line), ['tick1', 'tick2', 'tick3']);

    const forever = await container('echo first; sleep 1000');
    await client.containers.start(forever);
    const ac = new AbortController();
    const seen: string[] = [];
    for await (const l of client.containers.logs(forever, { follow: true, signal: ac.signal })) {
      seen.push(l.line);
      ac.abort();
    }
    assert.deepEqual(seen, ['first']);
  });

  it('reads a TTY container raw', async () => {
    const name = await container('echo on a tty; echo to stderr >&2', { Tty: true });
    await client.containers.start(name);
    await client.containers.wait(name);
    const lines = await collect(client.containers.logs(name));
    assert.deepEqual(lines, [
      { stream: 'stdout', line: 'on a tty' },
      { stream: 'stdout', line: 'to stderr' },
    ]);
  });

  it('runs exec commands attached and detached, with env, workdir and user, and reads their exit codes', async () => {
    const name = await container('sleep 1000');
    await client.containers.start(name);
    const exec = await client.containers.execCreate(name, { Cmd: ['sh', '-c', 'echo $FOO; pwd; id -u; echo oops >&2; exit 5'], Env: ['FOO=bar'], WorkingDir: '/tmp', User: '1234' });
    const streams = await client.containers.execStart(exec);
    assert.ok(streams);
    const [out, err] = await Promise.all([textOf(streams.stdout), textOf(streams.stderr)]);
    await streams.done;
    assert.equal(out, 'bar\n/tmp\n1234\n');
    assert.equal(err, 'oops\n');
    assert.equal((await client.containers.execInspect(exec))?.ExitCode, 5);

    const withInput = await client.containers.execCreate(name, { Cmd: ['sh', '-c', 'tr a-z A-Z'], AttachStdin: true });
    const io = await client.containers.execStart(withInput, { stdin: true });
    io!.stdin!.end('shout\n');
    assert.equal(await textOf(io!.stdout), 'SHOUT\n');

    const detached = await client.containers.execCreate(name, { Cmd: ['sh', '-c', 'exit 2'] });
    assert.equal(await client.containers.execStart(detached, { detach: true }), undefined);
    let details = await client.containers.execInspect(detached);
    for (let i = 0; i < 50 && details?.Running; i++) {
      await new Promise((r) => setTimeout(r, 50));
      details = await client.containers.execInspect(detached);
    }
    assert.equal(details?.ExitCode, 2);
    assert.equal(await client.containers.execInspect('0000000000000000000000000000000000000000000000000000000000000000'), undefined);
  });

  it('runs an exec on a TTY, raw, and resizes it', async () => {
    const name = await container('sleep 1000');
    await client.containers.start(name);
    const exec = await client.containers.execCreate(name, { Cmd: ['sh', '-c', 'sleep 0.5; stty size; echo to stderr >&2'], Tty: true });
    const streams = await client.containers.execStart(exec, { tty: true });
    await client.containers.execResize(exec, { height: 33, width: 101 });
    const [out, err] = await Promise.all([textOf(streams!.stdout), textOf(streams!.stderr)]);
    assert.equal(out, '33 101\r\nto stderr\r\n');
    assert.equal(err, '');
    assert.equal((await client.containers.execInspect(exec))?.ProcessConfig.tty, true);
  });

  it('attaches stdin and the output streams', async () => {
    const name = await container('cat; echo done >&2', { OpenStdin: true, StdinOnce: true, AttachStdin: true });
    const streams = await client.containers.attach(name, { stdin: true });
    const output = Promise.all([textOf(streams.stdout), textOf(streams.stderr)]);
    await client.containers.start(name);
    streams.stdin!.write('hello\n');
    streams.stdin!.end('world\n');
    assert.deepEqual(await output, ['hello\nworld\n', 'done\n']);
    assert.equal(await client.containers.wait(name), 0);

    // An abort detaches, leaving the container running.
    const sleeper = await container('sleep 1000');
    await client.containers.start(sleeper);
    const ac = new AbortController();
    const attached = await client.containers.attach(sleeper, { signal: ac.signal });
    ac.abort();
    await attached.done;
    assert.equal((await client.containers.inspect(sleeper))?.State.Running, true);
  });

  it('waits for the next exit, and an abort ends a wait', async () => {
    const name = await container('exit 7');
    const exited = client.containers.wait(name, { condition: 'next-exit' });
    await new Promise((r) => setTimeout(r, 100));
    await client.containers.start(name);
    assert.equal(await exited, 7);

    const sleeper = await container('sleep 1000');
    await client.containers.start(sleeper);
    const ac = new AbortController();
    const waiting = client.containers.wait(sleeper, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(waiting, (e: unknown) => (e as Error).name === 'AbortError');
  });

  it('stops, kills, restarts, renames, pauses and removes', async () => {
    const name = await container('sleep 1000');
    await client.containers.start(name);
    await client.containers.start(name); // already running: not an error
    await client.containers.pause(name);
    assert.equal((await client.containers.inspect(name))?.State.Paused, true);
    await client.containers.unpause(name);
    const top = await client.containers.top(name);
    assert.ok(top.Titles.includes('PID'));
    assert.ok(top.Processes.some((p) => p.join(' ').includes('sleep 1000')));
    const stats = await client.containers.stats(name);
    assert.equal(typeof stats.read, 'string');

    // sleep as PID 1 ignores SIGTERM, so stop has to wait out its timeout.
    const started = Date.now();
    await client.containers.stop(name, { timeout: 1 });
    assert.ok(Date.now() - started >= 900);
    assert.equal((await client.containers.inspect(name))?.State.Running, false);
    await client.containers.stop(name); // already stopped: not an error

    await client.containers.restart(name, { timeout: 0 });
    assert.equal((await client.containers.inspect(name))?.State.Running, true);
    await client.containers.kill(name, { signal: 'SIGKILL' });
    assert.equal(await client.containers.wait(name), 137);

    const renamed = `${name}-renamed`;
    await client.containers.rename(name, renamed);
    assert.equal(await client.containers.inspect(name), undefined);
    await client.containers.remove(renamed, { force: true });
    assert.equal(await client.containers.inspect(renamed), undefined);
    await assert.rejects(client.containers.remove(renamed), (e: unknown) => {
      assert.ok(e instanceof EngineError && isNotFound(e));
      assert.match(e.message, new RegExp(`^remove container ${renamed}: No such container: ${renamed}`));
      return true;
    });
  });

  it('lists by label, stopped ones only with all', async () => {
    const name = await container('true');
    const running = await client.containers.list({ filters: { label: [run.filter] } });
    assert.ok(!running.some((c) => c.Names.includes(`/${name}`)));
    const all = await client.containers.list({ all: true, filters: { label: [run.filter] } });
    const mine = all.find((c) => c.Names.includes(`/${name}`));
    assert.equal(mine?.State, 'created');
    assert.ok(all.every((c) => c.Labels['dev.gantry.test-run'] === run.id));
  });

  it('copies files in and out as tar archives', async () => {
    const name = await container('sleep 1000');
    await client.containers.start(name);
    const dir = mkdtempSync(join(tmpdir(), 'gantry-ec-'));
    try {
      writeFileSync(join(dir, 'note.txt'), 'copied in\n');
      const tar = execFileSync('tar', ['-c', '-C', dir, 'note.txt']);
      await client.containers.putArchive(name, '/tmp', tar);
      const stat = await client.containers.statPath(name, '/tmp/note.txt');
      assert.equal(stat?.name, 'note.txt');
      assert.equal(stat?.size, 10);
      assert.equal(await client.containers.statPath(name, '/tmp/absent'), undefined);

      const back = await client.containers.getArchive(name, '/tmp/note.txt');
      assert.equal(back.stat?.name, 'note.txt');
      const out = join(dir, 'out');
      execFileSync('mkdir', [out]);
      execFileSync('tar', ['-x', '-C', out], { input: Buffer.concat(await collect(back.tar as AsyncIterable<Buffer>)) });
      assert.equal(readFileSync(join(out, 'note.txt'), 'utf8'), 'copied in\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports the engine's own words, what failed and on which object", async () => {
    const name = await container('true');
    await assert.rejects(client.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: run.labels }, { name }), (e: unknown) => {
      assert.ok(e instanceof GantryError && e instanceof EngineError);
      assert.equal(e.kind, 'engine');
      assert.equal(e.statusCode, 409);
      assert.match(e.message, new RegExp(`^create container ${name}: Conflict\\. The container name "/${name}" is already in use`));
      return true;
    });
    await assert.rejects(client.containers.create({ Image: 'gantry-no-such-image:nope', Labels: run.labels }, { name: run.name('noimage') }), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.equal(e.statusCode, 404);
      assert.match(e.message, /^create container gantry-test-\w+-noimage: No such image: gantry-no-such-image:nope/);
      return true;
    });
    assert.equal(await client.containers.inspect(run.name('never-created')), undefined);
    await assert.rejects(collect(client.containers.logs(run.name('never-created'))), /read logs of container gantry-test-\w+-never-created: No such container/);
  });
});
