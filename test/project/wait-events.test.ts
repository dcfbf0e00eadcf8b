// compose wait and compose events on a real engine.

import assert from 'node:assert/strict';
import { events, wait, type ComposeEvent, type ContainerExit } from '../../src/project/index.js';
import { fakeProject, until, type FakeProject } from './fake-project.js';

describe('wait and events on an engine', function () {
  this.timeout(60_000);
  let p: FakeProject;
  const load = () => ({ projectName: p.name, workingDir: '/tmp' });

  beforeEach(async () => {
    p = await fakeProject('gtwait');
  });
  afterEach(async () => p.sweep());

  it('wait blocks until the containers stop and answers the first non-zero exit code', async () => {
    await p.add('ok', { cmd: ['sh', '-c', 'sleep 1; exit 0'] });
    await p.add('bad', { cmd: ['sh', '-c', 'sleep 1.6; exit 5'] });
    await p.add('worse', { cmd: ['sh', '-c', 'sleep 2.2; exit 9'] });
    const seen: ContainerExit[] = [];
    const started = Date.now();
    const r = await wait(load(), { services: ['ok', 'bad', 'worse'], onExit: (e) => seen.push(e) });
    assert.ok(Date.now() - started >= 1500, 'waited for the slowest');
    assert.equal(r.exitCode, 5);
    assert.deepEqual(seen.map((e) => [e.service, e.exitCode]), [['ok', 0], ['bad', 5], ['worse', 9]]);
    assert.deepEqual(r.exits, seen);
  });

  it('wait answers 0 when every container ends well, and refuses a project with nothing running', async () => {
    await p.add('ok', { cmd: ['sh', '-c', 'sleep 0.2'] });
    assert.equal((await wait(load(), { services: ['ok'] })).exitCode, 0);
    await assert.rejects(wait(load(), { services: ['ok'] }), /no running containers for services ok/);
    await assert.rejects(wait(load(), { services: ['ok'], downProject: true }), /cannot take project .* down without its compose file/);
  });

  it('events streams the project\'s container events in docker compose\'s shape', async () => {
    const abort = new AbortController();
    const got: ComposeEvent[] = [];
    const reading = (async () => {
      for await (const e of events(load(), { services: ['web'], signal: abort.signal })) got.push(e);
    })();
    await new Promise((r) => setTimeout(r, 300));
    await p.add('other', { cmd: ['true'] });
    const id = await p.add('web', { cmd: ['sh', '-c', 'exit 2'], labels: { 'my.label': 'kept' } });
    await until(() => got.some((e) => e.action === 'die'), 10_000, 'the die event');
    abort.abort();
    await reading;
    assert.deepEqual(got.map((e) => e.action).slice(0, 3), ['create', 'start', 'die']);
    for (const e of got) {
      assert.equal(e.type, 'container');
      assert.equal(e.id, id);
      assert.equal(e.service, 'web');
      assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      assert.equal(e.attributes['my.label'], 'kept');
      assert.equal(e.attributes.name, `${p.name}-web-1`);
      assert.ok(!Object.keys(e.attributes).some((k) => k.startsWith('com.docker.compose.')));
    }
    assert.equal(got.find((e) => e.action === 'die')!.attributes.exitCode, '2');
  });

  it('events --since replays what already happened, --until ends the stream', async () => {
    await p.add('web', { cmd: ['true'] });
    await until(async () => (await p.engine.containers.inspect(`${p.name}-web-1`))!.State.Status === 'exited', 10_000, 'exit');
    const got: string[] = [];
    for await (const e of events(load(), { since: '1m', until: '0s' })) got.push(e.action);
    assert.deepEqual(got.slice(0, 3), ['create', 'start', 'die']);
  });
});
