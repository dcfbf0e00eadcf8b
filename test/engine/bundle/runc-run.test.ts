import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { detectHostFeatures } from '../../../src/engine/containers/bundle/host-features.js';
import { RuncLab, requireRuntime, type RunResult } from './runc-harness.js';

const sh = (script: string) => ({ Cmd: ['sh', '-c', script] });

function ok(result: RunResult): string {
  assert.equal(result.code, 0, `container failed (${result.code}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

function capEff(status: string): bigint {
  const line = status.split('\n').find((l) => l.startsWith('CapEff:'));
  assert.ok(line, `no CapEff in ${status}`);
  return BigInt(`0x${line.split(/\s+/)[1]}`);
}

describe('bundle: generated specs run under runc', function () {
  this.timeout(60000);
  const lab = new RuncLab();

  before(async () => {
    requireRuntime();
    await lab.setUp();
  });
  after(() => lab.tearDown());

  it('runs as the resolved user', async () => {
    const out = ok(await lab.run({ config: { Cmd: ['id'], User: 'nobody' } }));
    assert.equal(out.trim(), 'uid=65534(nobody) gid=65534(nogroup)');
    const app = ok(await lab.run({ config: { Cmd: ['id'], User: 'app' }, hostConfig: { GroupAdd: ['4242'] } }));
    assert.match(app, /^uid=1000\(app\) gid=1000\(app\) groups=10\(wheel\),4242$/m);
  });

  it("holds docker's default capabilities, or exactly the requested ones", async () => {
    const defaults = capEff(ok(await lab.run({ config: { Cmd: ['cat', '/proc/self/status'] } })));
    assert.equal(defaults, 0xa80425fbn, 'the fourteen default capabilities');
    const netAdmin = capEff(
      ok(await lab.run({ config: { Cmd: ['cat', '/proc/self/status'] }, hostConfig: { CapDrop: ['ALL'], CapAdd: ['net_admin'] } })),
    );
    assert.equal(netAdmin, 1n << 12n, 'CAP_NET_ADMIN alone');
    const nonRoot = capEff(ok(await lab.run({ config: { Cmd: ['cat', '/proc/self/status'], User: '1000' } })));
    assert.equal(nonRoot, 0n, 'a non-root user has no effective capabilities');
  });

  it('masks kernel files and keeps /proc/sys read-only', async () => {
    // This host's kernel has no /proc/kcore (runc skips masking what is
    // absent), so the masked files that exist here prove the masking.
    const present = ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/interrupts'].filter((p) => existsSync(p));
    assert.ok(present.length > 0, 'no maskable /proc file exists on this host');
    const script = present.map((p) => `echo ${p}=$(wc -c < ${p})`).join('; ');
    const sizes = ok(await lab.run({ config: sh(script) }));
    for (const path of present) assert.match(sizes, new RegExp(`^${path}=0$`, 'm'));
    const unmasked = ok(await lab.run({ config: sh(script), hostConfig: { Privileged: true } }));
    assert.doesNotMatch(unmasked, /=0$/m, 'a privileged container sees them');
    const touch = await lab.run({ config: { Cmd: ['touch', '/proc/sys/kernel/hostname'] } });
    assert.notEqual(touch.code, 0);
    assert.match(touch.stderr, /Read-only file system/);
  });

  it('refuses writes to a read-only rootfs while its tmpfs stays writable with its size', async () => {
    const out = ok(
      await lab.run({
        config: sh('touch /written 2>&1; echo rootfs=$?; echo hi > /scratch/f && cat /scratch/f; df -k /scratch | tail -1'),
        hostConfig: { ReadonlyRootfs: true, Tmpfs: { '/scratch': 'rw,size=2m' } },
      }),
    );
    assert.match(out, /Read-only file system/);
    assert.match(out, /rootfs=1/);
    assert.match(out, /^hi$/m);
    assert.match(out, /^tmpfs\s+2048\s/m);
  });

  it('has the resolved env, cwd, hostname and engine files', async () => {
    const out = ok(
      await lab.run({
        config: { ...sh('pwd; hostname; env | sort; cat /etc/hosts'), Env: ['GREETING=hello'], WorkingDir: '/srv/app' },
        image: { Env: ['GREETING=image', 'FROM_IMAGE=1'] },
      }),
    );
    const lines = out.split('\n');
    assert.equal(lines[0], '/srv/app');
    assert.equal(lines[1], 'labhost');
    for (const expected of ['GREETING=hello', 'FROM_IMAGE=1', 'HOME=/root', 'HOSTNAME=labhost', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']) {
      assert.ok(lines.includes(expected), `${expected} in ${out}`);
    }
    assert.match(out, /10\.9\.8\.7\tlabhost/);
  });

  it('applies Ulimits over the default nofile', async () => {
    const expected = Math.min(1048576, detectHostFeatures().maxNofile ?? Infinity);
    assert.equal(ok(await lab.run({ config: sh('ulimit -n') })).trim(), String(expected));
    const limited = await lab.run({ config: sh('ulimit -n'), hostConfig: { Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] } });
    assert.equal(ok(limited).trim(), '1024');
  });

  it('runs tini as pid 1 with Init', async () => {
    const out = ok(await lab.run({ config: { Cmd: ['cat', '/proc/1/cmdline'] }, hostConfig: { Init: true }, init: true }));
    assert.deepEqual(out.split('\0').filter(Boolean), ['/sbin/docker-init', '--', 'cat', '/proc/1/cmdline']);
    const plain = ok(await lab.run({ config: { Cmd: ['cat', '/proc/1/cmdline'] } }));
    assert.deepEqual(plain.split('\0').filter(Boolean), ['cat', '/proc/1/cmdline']);
  });

  it('sizes /dev/shm from ShmSize', async () => {
    assert.match(ok(await lab.run({ config: sh('df -k /dev/shm | tail -1') })), /^shm\s+65536\s/);
    assert.match(ok(await lab.run({ config: sh('df -k /dev/shm | tail -1'), hostConfig: { ShmSize: 16 * 1024 * 1024 } })), /^shm\s+16384\s/);
  });

  it('puts the memory limit on the container cgroup', async () => {
    const limit = String(96 * 1024 * 1024);
    let seenFromHost = '';
    const result = await lab.run(
      {
        config: sh('cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes; sleep 1'),
        hostConfig: { Memory: 96 * 1024 * 1024 },
      },
      async (id) => {
        // Read the limit from the host side while the container sleeps.
        const path = `/sys/fs/cgroup/memory/${lab.cgroupParent}/${id}/memory.limit_in_bytes`;
        for (let i = 0; i < 40 && !seenFromHost; i++) {
          seenFromHost = (await readFile(path, 'utf8').catch(() => '')).trim();
          if (!seenFromHost) await sleep(50);
        }
      },
    );
    // Docker's default swap allowance equals the memory limit (memsw is memory plus swap).
    assert.deepEqual(ok(result).trim().split('\n'), [limit, String(2 * 96 * 1024 * 1024)]);
    assert.equal(seenFromHost, limit);
  });

  it('sets namespaced sysctls in the container only', async () => {
    const out = ok(await lab.run({ config: { Cmd: ['cat', '/proc/sys/net/ipv4/ip_forward', '/proc/sys/kernel/shmmni'] }, hostConfig: { Sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.shmmni': '1234' } } }));
    assert.deepEqual(out.trim().split('\n'), ['1', '1234']);
  });

  it('binds host directories read-only or writable', async () => {
    const hostDir = join(lab.dir, 'shared');
    await mkdir(hostDir);
    await writeFile(join(hostDir, 'hello'), 'from host\n');
    const out = ok(
      await lab.run({
        config: sh('cat /ro/hello; touch /ro/x 2>&1; echo ro=$?; echo back > /rw/reply; echo rw=$?'),
        mounts: [
          { type: 'bind', source: hostDir, target: '/ro', readOnly: true },
          { type: 'volume', source: hostDir, target: '/rw' },
        ],
      }),
    );
    assert.match(out, /^from host$/m);
    assert.match(out, /Read-only file system/);
    assert.match(out, /^ro=1$/m);
    assert.match(out, /^rw=0$/m);
    assert.equal(await readFile(join(hostDir, 'reply'), 'utf8'), 'back\n');
  });

  it('puts pids and cpu limits on the cgroup', async () => {
    const out = ok(
      await lab.run({
        config: sh('cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares'),
        hostConfig: { PidsLimit: 42, NanoCpus: 5e8, CpuShares: 512 },
      }),
    );
    assert.deepEqual(out.trim().split('\n'), ['42', '50000', '100000', '512']);
  });

  it("shares the host's pid namespace with PidMode host", async () => {
    const own = ok(await lab.run({ config: sh('echo \$\$') }));
    assert.equal(own.trim(), '1');
    const shared = ok(await lab.run({ config: sh('echo \$\$'), hostConfig: { PidMode: 'host' } }));
    assert.notEqual(shared.trim(), '1');
  });

  it('gives a mapped device node with exactly the granted access', async () => {
    const device = (access: string) => ({ Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: access }] });
    // The subshell keeps a failed redirection from ending the script.
    const script = sh('ls -l /dev/fuse; (: > /dev/fuse) 2>&1; echo write=$?; (: < /dev/fuse) 2>&1; echo read=$?');
    const granted = ok(await lab.run({ config: script, hostConfig: device('rw') }));
    assert.match(granted, /^crw.* 10,\s+229 .*\/dev\/fuse$/m);
    assert.match(granted, /^write=0$/m);
    assert.match(granted, /^read=0$/m);
    const readOnly = ok(await lab.run({ config: script, hostConfig: device('r') }));
    assert.match(readOnly, /Operation not permitted/);
    assert.match(readOnly, /^write=1$/m);
    assert.match(readOnly, /^read=0$/m);
    const absent = ok(await lab.run({ config: sh('test -e /dev/fuse; echo exists=$?') }));
    assert.match(absent, /^exists=1$/m);
  });

  it("shows a privileged container the host's devices", async () => {
    const script = sh('test -c /dev/kmsg; echo kmsg=$?');
    assert.match(ok(await lab.run({ config: script, hostConfig: { Privileged: true } })), /^kmsg=0$/m);
    assert.match(ok(await lab.run({ config: script })), /^kmsg=1$/m);
  });

  it('sets the oom score adjustment', async () => {
    assert.equal(ok(await lab.run({ config: { Cmd: ['cat', '/proc/self/oom_score_adj'] }, hostConfig: { OomScoreAdj: 321 } })).trim(), '321');
  });

  it('fails a user the rootfs does not know before runc starts', async () => {
    await assert.rejects(lab.run({ config: { Cmd: ['id'], User: 'xyz' } }), /unable to find user xyz: no matching entries in passwd file/);
  });
});
