// compose stats on a real engine: docker's figures and units, once and
// streamed, running containers only unless -a; plus the arithmetic alone.

import assert from 'node:assert/strict';
import type { ContainerStats } from '../../src/engine-client/index.js';
import { followStats, stats, type StatsRow } from '../../src/project/index.js';
import { binarySize, decimalSize, figures } from '../../src/project/stats.js';
import { fakeProject, until, type FakeProject } from './fake-project.js';

describe('stats arithmetic', () => {
  it('works out CPU from the deltas to precpu, memory less inactive file pages, and sums I/O', () => {
    const sample = {
      read: '',
      cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 10_000_000_000 },
      memory_stats: { usage: 10 * 1024 * 1024, limit: 100 * 1024 * 1024, stats: { total_inactive_file: 2 * 1024 * 1024 } },
      networks: { eth0: { rx_bytes: 1500, tx_bytes: 500 }, eth1: { rx_bytes: 500, tx_bytes: 148 } },
      blkio_stats: { io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 8192 }, { major: 8, minor: 0, op: 'Total', value: 12288 }] },
      pids_stats: { current: 3 },
    } as ContainerStats;
    assert.deepEqual(figures(sample), { cpuPercent: 40, memoryUsed: 8 * 1024 * 1024, memoryLimit: 100 * 1024 * 1024, memoryPercent: 8, netRx: 2000, netTx: 648, blockRead: 4096, blockWrite: 8192, pids: 3 });
    // No previous sample: no CPU figure rather than a wrong one.
    assert.equal(figures({ ...sample, precpu_stats: {} }).cpuPercent, 0);
  });

  it('spells sizes as docker does: memory in units of 1024, I/O in units of 1000', () => {
    assert.deepEqual([0, 512, 1536, 1024 * 1024 * 1.5, 7.75 * 1024 ** 3].map(binarySize), ['0B', '512B', '1.5KiB', '1.5MiB', '7.75GiB']);
    assert.deepEqual([0, 648, 1234, 2_000_000, 1_234_567_890].map(decimalSize), ['0B', '648B', '1.23kB', '2MB', '1.23GB']);
  });
});

describe('stats on an engine', function () {
  this.timeout(60_000);
  let p: FakeProject;
  const load = () => ({ projectName: p.name, workingDir: '/tmp' });

  before(async () => {
    p = await fakeProject('gtstats');
    await p.add('busy', { cmd: ['sh', '-c', 'while :; do :; done'] });
    await p.add('idle', { cmd: ['sleep', '300'] });
    await p.add('done', { cmd: ['true'] });
    await until(async () => (await p.engine.containers.inspect(`${p.name}-done-1`))!.State.Status === 'exited', 10_000, 'done to exit');
  });
  after(async () => p.sweep());

  it('samples the running containers once with docker\'s figures; -a adds the stopped ones at zero', async () => {
    const rows = await stats(load());
    assert.deepEqual(rows.map((r) => [r.Name, r.Service]), [[`${p.name}-busy-1`, 'busy'], [`${p.name}-idle-1`, 'idle']]);
    const [busy, idle] = rows as [StatsRow, StatsRow];
    assert.ok(Number.parseFloat(busy.CPUPerc) > 20, `a busy loop at ${busy.CPUPerc}`);
    assert.ok(Number.parseFloat(idle.CPUPerc) < 20, `sleep at ${idle.CPUPerc}`);
    for (const r of rows) {
      assert.match(r.ID, /^[0-9a-f]{12}$/);
      assert.match(r.MemUsage, /^[\d.]+(B|KiB|MiB|GiB) \/ [\d.]+(B|KiB|MiB|GiB|TiB)$/);
      assert.ok(Number.parseFloat(r.MemUsage) > 0, r.MemUsage);
      assert.match(r.MemPerc, /^\d+\.\d\d%$/);
      assert.match(r.NetIO, /^[\d.]+(B|kB|MB) \/ [\d.]+(B|kB|MB)$/);
      assert.match(r.BlockIO, /^[\d.]+(B|kB|MB|GB) \/ [\d.]+(B|kB|MB|GB)$/);
      assert.ok(Number(r.PIDs) >= 1, r.PIDs);
    }
    const all = await stats(load(), { all: true });
    const done = all.find((r) => r.Service === 'done')!;
    assert.deepEqual([done.CPUPerc, done.MemUsage, done.PIDs], ['0.00%', '0B / 0B', '0']);
    assert.deepEqual((await stats(load(), { services: ['idle'] })).map((r) => r.Service), ['idle']);
  });

  it('streams a table a sample at a time until stopped', async () => {
    const abort = new AbortController();
    const seen: StatsRow[][] = [];
    await followStats(load(), {
      signal: abort.signal,
      onRows: (rows) => {
        seen.push(rows);
        if (rows.every((r) => r.PIDs !== '0') && seen.length >= 3) abort.abort();
      },
    });
    const last = seen[seen.length - 1]!;
    assert.deepEqual(last.map((r) => r.Service), ['busy', 'idle']);
    assert.ok(last.every((r) => Number(r.PIDs) >= 1));
  });
});
