// compose attach on a real engine: the container's own stdio, input when it
// keeps stdin open, its exit code when it ends, detaching leaves it running.

import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { attach } from '../../src/project/index.js';
import { fakeProject, type FakeProject } from './fake-project.js';

describe('attach to a service container', function () {
  this.timeout(60_000);
  let p: FakeProject;
  const load = () => ({ projectName: p.name, workingDir: '/tmp' });

  before(async () => {
    p = await fakeProject('gtattach');
    await p.add('echo', { openStdin: true, cmd: ['sh', '-c', 'while read l; do echo "got $l"; echo "err $l" >&2; [ "$l" = bye ] && exit 5; done'] });
    await p.add('ticker', { cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'] });
  });
  after(async () => p.sweep());

  it('sends input to the main process, streams its output, and ends with its exit code', async () => {
    const proc = await attach(load(), { service: 'echo' });
    assert.equal(proc.container, `${p.name}-echo-1`);
    assert.equal(proc.tty, false);
    proc.stdin!.write('hello\n');
    proc.stdin!.write('bye\n');
    const [out, err, code] = await Promise.all([text(proc.stdout!), text(proc.stderr!), proc.exitCode]);
    assert.equal(out, 'got hello\ngot bye\n');
    assert.equal(err, 'err hello\nerr bye\n');
    assert.equal(code, 5);
  });

  it('without stdin only watches; closing leaves the container running', async () => {
    const proc = await attach(load(), { service: 'ticker', noStdin: true });
    assert.equal(proc.stdin, undefined);
    const first = await new Promise<string>((resolve) => proc.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
    assert.match(first, /^tick \d+\n/);
    proc.close();
    assert.equal(await proc.exitCode, 0);
    assert.equal((await p.engine.containers.inspect(`${p.name}-ticker-1`))!.State.Running, true);
  });

  it('says so when the service is not running', async () => {
    await assert.rejects(attach(load(), { service: 'nosuch' }), /service "nosuch" is not running/);
  });
});
