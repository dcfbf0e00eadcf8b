import assert from 'node:assert/strict';
import { resolveOomScoreAdj, resolveResources, resolveRlimits, resolveSysctls } from '../../../src/engine/containers/bundle/resources.js';

const MiB = 1024 * 1024;
const swap = { swapLimit: true };

describe('bundle: resources', () => {
  it('is empty for an unlimited container', () => {
    assert.deepEqual(resolveResources({}, swap), {});
  });

  it('maps memory with docker\'s double-swap default', () => {
    assert.deepEqual(resolveResources({ Memory: 64 * MiB, MemoryReservation: 32 * MiB }, swap).memory, {
      limit: 64 * MiB,
      reservation: 32 * MiB,
      swap: 128 * MiB,
    });
    assert.deepEqual(resolveResources({ Memory: 64 * MiB, MemorySwap: -1 }, swap).memory, { limit: 64 * MiB, swap: -1 });
    assert.deepEqual(resolveResources({ Memory: 64 * MiB }, { swapLimit: false }).memory, { limit: 64 * MiB });
    assert.deepEqual(resolveResources({ OomKillDisable: true }, swap).memory, { disableOOMKiller: true });
  });

  it('rejects memory settings docker rejects', () => {
    assert.throws(() => resolveResources({ Memory: 1024 }, swap), /Minimum memory limit allowed is 6MB/);
    assert.throws(() => resolveResources({ Memory: 64 * MiB, MemorySwap: 32 * MiB }, swap), /memoryswap limit should be larger/);
    assert.throws(() => resolveResources({ Memory: 64 * MiB, MemoryReservation: 128 * MiB }, swap), /memory reservation/);
  });

  it('turns NanoCpus into a quota over a 100ms period', () => {
    assert.deepEqual(resolveResources({ NanoCpus: 1.5e9 }, swap).cpu, { period: 100000, quota: 150000 });
    assert.deepEqual(resolveResources({ CpuShares: 512, CpuQuota: 50000, CpuPeriod: 200000, CpusetCpus: '0' }, swap).cpu, {
      shares: 512,
      quota: 50000,
      period: 200000,
      cpus: '0',
    });
    assert.throws(() => resolveResources({ NanoCpus: 1e9, CpuQuota: 1000 }, swap), /Nano CPUs and CPU Quota/);
  });

  it('limits pids only for a positive limit', () => {
    assert.deepEqual(resolveResources({ PidsLimit: 100 }, swap).pids, { limit: 100 });
    assert.equal(resolveResources({ PidsLimit: -1 }, swap).pids, undefined);
  });

  it('lays Ulimits over the default nofile', () => {
    assert.deepEqual(resolveRlimits({}), [{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }]);
    assert.deepEqual(resolveRlimits({ Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }, { Name: 'nproc', Soft: 50, Hard: 50 }] }), [
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 },
      { type: 'RLIMIT_NPROC', soft: 50, hard: 50 },
    ]);
    assert.deepEqual(resolveRlimits({}, 20000), [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
    assert.deepEqual(resolveRlimits({ Ulimits: [{ Name: 'nofile', Soft: 30000, Hard: 30000 }] }, 20000), [
      { type: 'RLIMIT_NOFILE', soft: 30000, hard: 30000 },
    ]);
    assert.throws(() => resolveRlimits({ Ulimits: [{ Name: 'bogus', Soft: 1, Hard: 1 }] }), /Ulimits\[0\]: invalid ulimit type: bogus/);
    assert.throws(() => resolveRlimits({ Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 5 }] }), /10 > 5/);
  });

  it('allows only namespaced sysctls and names the offender', () => {
    assert.deepEqual(resolveSysctls({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'fs/mqueue/msg_max': '20', 'kernel.sem': '1 2 3 4' }), {
      'net.ipv4.ip_forward': '1',
      'kernel.shmmax': '1',
      'fs.mqueue.msg_max': '20',
      'kernel.sem': '1 2 3 4',
    });
    assert.equal(resolveSysctls({}), undefined);
    assert.throws(() => resolveSysctls({ 'kernel.hostname': 'x' }), /sysctl 'kernel.hostname' is not allowed/);
    assert.throws(() => resolveSysctls({ 'vm.swappiness': '1' }), /'vm.swappiness'/);
  });

  it('checks the oom score range', () => {
    assert.equal(resolveOomScoreAdj({ OomScoreAdj: 500 }), 500);
    assert.equal(resolveOomScoreAdj({}), undefined);
    assert.throws(() => resolveOomScoreAdj({ OomScoreAdj: 1001 }), /range for oom score adj is \[-1000, 1000\]/);
  });
});
