// compose logs on a real engine: prefixes, tail, timestamps, and a follow that
// keeps up with restarts and scale-ups without showing a line twice.

import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { logs, type ServiceLogLine } from '../../src/project/index.js';
import { fakeProject, until, type FakeProject } from './fake-project.js';

const counting = (tag: string) => ['sh', '-c', `r=$RANDOM; i=0; while true; do i=$((i+1)); echo "${tag} $r $i"; sleep 0.1; done`];

describe('logs on an engine', function () {
  this.timeout(60_000);
  let p: FakeProject;
  const load = () => ({ projectName: p.name, workingDir: '/tmp' });

  before(async () => {
    p = await fakeProject('gtlogs');
    await p.add('talk', { cmd: ['sh', '-c', 'echo one; echo two >&2; sleep 0.2; echo three'] });
    await p.add('talk', { number: 2, cmd: ['sh', '-c', 'echo uno; echo dos'] });
    await p.add('quiet', { cmd: ['true'] });
    await p.add('talk', { oneoff: true, cmd: ['echo', 'from a run container'] });
    await until(async () => (await p.engine.containers.list({ filters: { label: [`com.docker.compose.project=${p.name}`] } })).length === 0, 10_000, 'containers to exit');
  });
  after(async () => p.sweep());

  const collect = async (req: Parameters<typeof logs>[1]) => {
    const out: ServiceLogLine[] = [];
    for await (const l of logs(load(), req)) out.push(l);
    return out;
  };

  it('merges every replica, stdout and stderr, leaves one-off containers out', async () => {
    const lines = await collect({});
    assert.deepEqual(lines.map((l) => `${l.source} ${l.stream} ${l.line}`).sort(), [
      'talk-1 stderr two',
      'talk-1 stdout one',
      'talk-1 stdout three',
      'talk-2 stdout dos',
      'talk-2 stdout uno',
    ]);
    // Each container's own lines keep their order.
    assert.deepEqual(lines.filter((l) => l.source === 'talk-2').map((l) => l.line), ['uno', 'dos']);
  });

  it('with the compose file, leaves out attach: false services unless named', async () => {
    const withFile = { projectName: p.name, files: [resolve('test/fixtures/projects/inspect/compose.yaml')], workingDir: '/tmp', env: {} };
    await p.add('quiet', { number: 2, cmd: ['echo', 'not attached'] });
    await until(async () => (await p.engine.containers.inspect(`${p.name}-quiet-2`))!.State.Status === 'exited', 10_000, 'quiet-2 to exit');
    const sources = async (services?: string[]) => {
      const seen = new Set<string>();
      for await (const l of logs(withFile, { services })) seen.add(l.source);
      return [...seen].sort();
    };
    // talk is no service of that file, so it is left out too.
    assert.deepEqual(await sources(), []);
    assert.deepEqual(await sources(['quiet']), ['quiet-2']);
    await p.engine.containers.remove(`${p.name}-quiet-2`);
  });

  it('announces every container before its lines', async () => {
    const sources: string[] = [];
    let firstLineAt = -1;
    for await (const l of logs(load(), { onSource: (s) => sources.push(s.source) })) {
      if (firstLineAt < 0) firstLineAt = sources.length;
      void l;
    }
    assert.deepEqual(sources, ['quiet-1', 'talk-1', 'talk-2']);
    assert.equal(firstLineAt, 3);
  });

  it('--tail counts from the end of each container; --index picks one replica', async () => {
    const lines = await collect({ services: ['talk'], tail: 1 });
    assert.deepEqual(lines.map((l) => `${l.source} ${l.line}`).sort(), ['talk-1 three', 'talk-2 dos']);
    const second = await collect({ services: ['talk'], index: 2 });
    assert.deepEqual(second.map((l) => l.line), ['uno', 'dos']);
    await assert.rejects(collect({ services: ['talk'], index: 7 }), /has no container #7/);
    await assert.rejects(collect({ index: 1 }), /--index needs exactly one service/);
  });

  it('--timestamps gives each line the engine time; --since and --until filter by it', async () => {
    const lines = await collect({ services: ['talk'], index: 1, timestamps: true });
    for (const l of lines) assert.match(l.timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    assert.deepEqual(await collect({ services: ['talk'], since: '2999-01-01T00:00:00Z' }), []);
    assert.deepEqual(await collect({ services: ['talk'], until: '2000-01-01' }), []);
    assert.equal((await collect({ services: ['talk'], since: '1h' })).length, 5);
    await assert.rejects(collect({ since: 'yesterday' }), /invalid --since value "yesterday"/);
  });

  it('follow picks up a restart and a scale-up, shows no line twice, loses none, and ends once all stopped', async function () {
    const web1 = await p.add('web', { cmd: counting('w1') });
    const seen: ServiceLogLine[] = [];
    const done = (async () => {
      for await (const l of logs(load(), { services: ['web'], follow: true })) seen.push(l);
    })();
    const runsOf = (tag: string) => new Set(seen.filter((l) => l.line.startsWith(tag)).map((l) => l.line.split(' ')[1]));
    await until(() => seen.length >= 3, 10_000, 'first lines');
    await p.engine.containers.restart(web1, { timeout: 0 });
    await until(() => runsOf('w1').size >= 2, 10_000, 'lines of the restarted container');
    const web2 = await p.add('web', { number: 2, cmd: counting('w2') });
    await until(() => runsOf('w2').size >= 1 && seen.filter((l) => l.source === 'web-2').length >= 3, 10_000, 'lines of the added replica');
    await Promise.all([p.engine.containers.kill(web1), p.engine.containers.kill(web2)]);
    await done;

    const texts = seen.map((l) => l.line);
    assert.equal(new Set(texts).size, texts.length, 'no line twice');
    // Every run's lines are 1, 2, 3, … with no gap.
    const byRun = new Map<string, number[]>();
    for (const l of seen) {
      const [tag, run, n] = l.line.split(' ');
      const key = `${tag} ${run}`;
      byRun.set(key, [...(byRun.get(key) ?? []), Number(n)]);
      assert.equal(l.source, tag === 'w1' ? 'web-1' : 'web-2');
    }
    assert.ok(byRun.size >= 3, `runs seen: ${[...byRun.keys()].join(', ')}`);
    for (const [run, numbers] of byRun) assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `run ${run} complete`);
  });

  it('an abort ends a follow at once', async () => {
    await p.add('tick', { cmd: counting('t') });
    const abort = new AbortController();
    let count = 0;
    const started = Date.now();
    for await (const l of logs(load(), { services: ['tick'], follow: true, signal: abort.signal })) {
      void l;
      if (++count === 2) abort.abort();
    }
    assert.ok(Date.now() - started < 5_000);
  });
});
