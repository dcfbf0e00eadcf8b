// compose exec on a real engine: output, exit code, -e/-w/-u, stdin, TTY,
// detached runs and replicas.

import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { exec, type ExecOptions } from '../../src/project/index.js';
import { fakeProject, until, type FakeProject } from './fake-project.js';

async function text(stream: Readable | undefined): Promise<string> {
  let out = '';
  for await (const c of stream ?? []) out += (c as Buffer).toString('utf8');
  return out;
}

describe('exec on an engine', function () {
  this.timeout(60_000);
  let p: FakeProject;
  const load = () => ({ projectName: p.name, workingDir: '/tmp', env: { FROM_ENV: 'from the environment' } });
  const run = async (opts: Omit<ExecOptions, 'service'> & { service?: string }, input?: string) => {
    const proc = await exec(load(), { service: 'web', ...opts });
    if (proc.stdin) proc.stdin.end(input ?? '');
    const [stdout, stderr, code] = await Promise.all([text(proc.stdout), text(proc.stderr), proc.exitCode]);
    return { stdout, stderr, code };
  };

  before(async () => {
    p = await fakeProject('gtexec');
    await p.add('web', { cmd: ['sleep', '300'], env: ['IN_CONTAINER=yes'] });
    await p.add('web', { number: 2, cmd: ['sleep', '300'] });
    await p.add('db', { cmd: ['true'] });
  });
  after(async () => p.sweep());

  it('runs a command and hands back stdout, stderr and the exit code', async () => {
    assert.deepEqual(await run({ command: ['sh', '-c', 'echo out; echo err >&2; exit 7'] }), { stdout: 'out\n', stderr: 'err\n', code: 7 });
    assert.equal((await run({ command: ['true'] })).code, 0);
  });

  it('-e sets variables (KEY alone from the environment), -w the directory, -u the user', async () => {
    const r = await run({
      command: ['sh', '-c', 'echo "$GIVEN|$FROM_ENV|$IN_CONTAINER|$(pwd)|$(id -u)"'],
      environment: ['GIVEN=a=b', 'FROM_ENV', 'NOT_SET_ANYWHERE'],
      workdir: '/etc',
      user: '1234',
    });
    assert.equal(r.stdout, 'a=b|from the environment|yes|/etc|1234\n');
  });

  it('forwards stdin, with EOF', async () => {
    assert.equal((await run({ command: ['sh', '-c', 'cat; echo done'] }, 'line one\nline two\n')).stdout, 'line one\nline two\ndone\n');
  });

  it('with a TTY, everything arrives on stdout from a sized terminal, and a resize reaches it', async () => {
    const proc = await exec(load(), { service: 'web', command: ['sh', '-c', 'sleep 0.3; tty; stty size; echo err >&2; read x; stty size'], tty: true, consoleSize: { height: 30, width: 100 } });
    let stdout = '';
    let resized = false;
    for await (const c of proc.stdout!) {
      stdout += (c as Buffer).toString('utf8');
      if (!resized && stdout.includes('err')) {
        resized = true;
        await proc.resize({ height: 40, width: 120 });
        proc.stdin!.write('\n');
      }
    }
    assert.equal(await proc.exitCode, 0);
    assert.equal(await text(proc.stderr), '');
    assert.match(stdout, /^\/dev\/pts\/\d+\r\n30 100\r\nerr\r\n\r\n40 120\r\n$/);
  });

  it('--index picks the replica; -d returns at once and leaves the command running', async () => {
    const hostnames = await Promise.all([1, 2].map(async (index) => (await run({ command: ['hostname'], index })).stdout.trim()));
    const ids = await Promise.all([1, 2].map(async (n) => (await p.engine.containers.inspect(`${p.name}-web-${n}`))!.Id.slice(0, 12)));
    assert.deepEqual(hostnames, ids);
    const started = Date.now();
    const detached = await exec(load(), { service: 'web', command: ['sh', '-c', 'sleep 1; touch /tmp/detached-done'], detach: true });
    assert.equal(await detached.exitCode, 0);
    assert.equal(detached.stdout, undefined);
    assert.ok(Date.now() - started < 1000);
    await until(async () => (await run({ command: ['test', '-e', '/tmp/detached-done'] })).code === 0, 10_000, 'the detached command');
  });

  it('--privileged gives the process every capability', async () => {
    const caps = async (privileged: boolean) => (await run({ command: ['sh', '-c', 'grep CapEff /proc/self/status'], privileged })).stdout;
    assert.notEqual(await caps(true), await caps(false));
  });

  it('a service without a running container is an error that says what to do', async () => {
    await assert.rejects(exec(load(), { service: 'db', command: ['true'] }), /service "db" is not running/);
    await assert.rejects(exec(load(), { service: 'web', command: ['true'], index: 5 }), /service "web" is not running container #5/);
  });
});
