import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { down, logs, ps, up } from '../../src/project/index.js';
import { runCli } from '../cli/run-cli.js';

const compose = 'services:\n  talk:\n    image: busybox\n    command: ["sh", "-c", "echo one; echo two >&2; echo three; exec sleep 3600"]\n    stop_grace_period: 1s\n    scale: 2\n  done:\n    image: busybox\n    command: ["sh", "-c", "echo finished; exit 4"]\n';

describe('ps and logs on an engine', function () {
  this.timeout(60_000);
  const name = `gtps${randomBytes(3).toString('hex')}`;
  const load = () => ({ files: ['-'], stdin: compose, workingDir: '/tmp', projectName: name, env: {} });

  before(async () => {
    await up(load());
    await new Promise((r) => setTimeout(r, 500));
  });
  after(async () => {
    await down(load(), { timeout: 0 });
  });

  it('ps lists running replicas; -a adds exited ones with their exit code', async () => {
    assert.deepEqual((await ps(load())).map((r) => r.Name), [`${name}-talk-1`, `${name}-talk-2`]);
    const all = await ps(load(), { all: true });
    const done = all.find((r) => r.Service === 'done')!;
    assert.equal(done.State, 'exited');
    assert.equal(done.ExitCode, 4);
    assert.deepEqual((await ps(load(), { status: ['exited'] })).map((r) => r.Service), ['done']);
  });

  it('logs merges every replica, stdout and stderr, and honours tail', async () => {
    const lines: string[] = [];
    for await (const l of logs(load(), { services: ['talk'] })) lines.push(`${l.source} ${l.stream} ${l.line}`);
    assert.deepEqual(lines.filter((l) => l.startsWith('talk-1')).sort(), ['talk-1 stderr two', 'talk-1 stdout one', 'talk-1 stdout three']);
    assert.equal(lines.length, 6);
    const tail: string[] = [];
    for await (const l of logs(load(), { services: ['done'], tail: 1, timestamps: true })) {
      assert.match(l.timestamp ?? '', /^\d{4}-\d\d-\d\dT/);
      tail.push(l.line);
    }
    assert.deepEqual(tail, ['finished']);
  });

  it('the CLI prints prefixed lines, or bare ones with --no-log-prefix; ps --format json is one object per line', () => {
    const cli = (...args: string[]) => runCli(['-f', '-', '-p', name, ...args], { input: compose, cwd: '/tmp' });
    assert.equal(cli('logs', 'done').stdout, 'done-1  | finished\n');
    assert.equal(cli('logs', '--no-log-prefix', 'done').stdout, 'finished\n');
    const json = cli('ps', '--format', 'json').stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(json.map((r) => r.Service), ['talk', 'talk']);
    assert.equal(cli('ps', '--services').stdout, 'talk\n');
    assert.equal(cli('ps', '-q').stdout.trim().split('\n').length, 2);
  });
});
