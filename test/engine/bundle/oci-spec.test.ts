import assert from 'node:assert/strict';
import { buildOciSpec, type BundleInput } from '../../../src/engine/containers/bundle/oci-spec.js';
import { DEFAULT_CAPABILITIES, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../../src/engine/containers/bundle/defaults.js';
import { resolveProcess } from '../../../src/engine/containers/bundle/process-spec.js';

function input(overrides: Partial<BundleInput> = {}): BundleInput {
  const config = overrides.config ?? { Cmd: ['sleep', '1'], Hostname: 'web1' };
  return {
    id: 'c1',
    rootfsPath: '/var/lib/gantry/c1/rootfs',
    config,
    hostConfig: {},
    image: {},
    user: { uid: 0, gid: 0, additionalGids: [], home: '/root' },
    process: resolveProcess(config, {}),
    mounts: [],
    etcFiles: { hosts: '/run/c1/hosts', resolvConf: '/run/c1/resolv.conf', hostname: '/run/c1/hostname' },
    cgroupsPath: '/gantry/c1',
    host: { cgroupV2: false, swapLimit: true },
    ...overrides,
  };
}

const destinations = (spec: ReturnType<typeof buildOciSpec>) => spec.mounts.map((m) => m.destination);

describe('bundle: buildOciSpec', () => {
  it("writes docker's defaults for a plain container", () => {
    const spec = buildOciSpec(input());
    assert.equal(spec.ociVersion, '1.0.2');
    assert.deepEqual(spec.process.args, ['sleep', '1']);
    assert.equal(spec.process.terminal, false);
    assert.deepEqual(spec.process.capabilities.effective, DEFAULT_CAPABILITIES);
    assert.deepEqual(spec.root, { path: '/var/lib/gantry/c1/rootfs', readonly: false });
    assert.equal(spec.hostname, 'web1');
    assert.deepEqual(spec.linux.namespaces.map((n) => n.type), ['pid', 'ipc', 'uts', 'mount', 'network']);
    assert.deepEqual(spec.linux.maskedPaths, DEFAULT_MASKED_PATHS);
    assert.deepEqual(spec.linux.readonlyPaths, DEFAULT_READONLY_PATHS);
    assert.deepEqual(spec.linux.resources.devices?.[0], { allow: false, access: 'rwm' });
    assert.equal(spec.linux.cgroupsPath, '/gantry/c1');
    assert.deepEqual(destinations(spec), [
      '/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm',
      '/etc/resolv.conf', '/etc/hostname', '/etc/hosts',
    ]);
    assert.ok(spec.mounts.find((m) => m.destination === '/sys')!.options!.includes('ro'));
    assert.ok(spec.mounts.find((m) => m.destination === '/dev/shm')!.options!.includes('size=67108864'));
  });

  it('joins a given network namespace and adds a cgroup namespace on v2', () => {
    const spec = buildOciSpec(input({ netnsPath: '/run/netns/n1', host: { cgroupV2: true, swapLimit: true } }));
    assert.deepEqual(spec.linux.namespaces.slice(4), [{ type: 'network', path: '/run/netns/n1' }, { type: 'cgroup' }]);
  });

  it('sets no hostname when sharing the host UTS namespace', () => {
    const spec = buildOciSpec(input({ hostConfig: { UTSMode: 'host' } }));
    assert.equal(spec.hostname, undefined);
    assert.ok(!spec.linux.namespaces.some((n) => n.type === 'uts'));
  });

  it('wraps the command in the init binary', () => {
    const spec = buildOciSpec(input({ hostConfig: { Init: true }, init: { path: '/usr/bin/tini-static' } }));
    assert.deepEqual(spec.process.args, ['/sbin/docker-init', '--', 'sleep', '1']);
    assert.deepEqual(spec.mounts.at(-1), {
      destination: '/sbin/docker-init', type: 'bind', source: '/usr/bin/tini-static', options: ['rbind', 'rprivate', 'ro'],
    });
    assert.deepEqual(buildOciSpec(input({ hostConfig: { Init: false }, init: { path: '/x' } })).process.args, ['sleep', '1']);
    assert.throws(() => buildOciSpec(input({ hostConfig: { Init: true } })), (e: Error & { status?: number }) => e.status === 500 && /no init binary/.test(e.message));
  });

  it('opens everything up for a privileged container', () => {
    const spec = buildOciSpec(input({ hostConfig: { Privileged: true } }));
    assert.deepEqual(spec.linux.maskedPaths, []);
    assert.deepEqual(spec.linux.readonlyPaths, []);
    assert.deepEqual(spec.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
    assert.ok(spec.mounts.find((m) => m.destination === '/sys')!.options!.includes('rw'));
    assert.ok(spec.process.capabilities.bounding.includes('CAP_SYS_ADMIN'));
  });

  it('carries tty, read-only root, domain name, limits, sysctls and security options', () => {
    const config = { Cmd: ['sh'], Tty: true, Hostname: 'h', Domainname: 'example.test' };
    const spec = buildOciSpec(
      input({
        config,
        process: resolveProcess(config, {}),
        hostConfig: {
          ReadonlyRootfs: true,
          Memory: 64 * 1024 * 1024,
          PidsLimit: 50,
          Sysctls: { 'net.core.somaxconn': '1024' },
          OomScoreAdj: 100,
          SecurityOpt: ['no-new-privileges:true'],
          ShmSize: 1024 * 1024,
          Ulimits: [{ Name: 'nproc', Soft: 10, Hard: 20 }],
        },
        host: { cgroupV2: false, swapLimit: true, maxNofile: 4096 },
      }),
    );
    assert.equal(spec.process.terminal, true);
    assert.ok(spec.process.env.includes('TERM=xterm'));
    assert.equal(spec.root.readonly, true);
    assert.equal(spec.domainname, 'example.test');
    assert.equal(spec.linux.resources.memory?.limit, 64 * 1024 * 1024);
    assert.deepEqual(spec.linux.resources.pids, { limit: 50 });
    assert.deepEqual(spec.linux.sysctl, { 'net.core.somaxconn': '1024' });
    assert.equal(spec.process.oomScoreAdj, 100);
    assert.equal(spec.process.noNewPrivileges, true);
    assert.deepEqual(spec.process.rlimits, [
      { type: 'RLIMIT_NOFILE', soft: 4096, hard: 4096 },
      { type: 'RLIMIT_NPROC', soft: 10, hard: 20 },
    ]);
    assert.ok(spec.mounts.find((m) => m.destination === '/dev/shm')!.options!.includes('size=1048576'));
    assert.ok(spec.mounts.find((m) => m.destination === '/etc/hosts')!.options!.includes('ro'));
  });

  it('lets a user mount replace a default one', () => {
    const spec = buildOciSpec(input({ mounts: [{ type: 'tmpfs', target: '/dev/shm', tmpfsSize: 1 << 20 }] }));
    const shm = spec.mounts.filter((m) => m.destination === '/dev/shm');
    assert.equal(shm.length, 1);
    assert.equal(shm[0]!.source, 'tmpfs');
  });

  it('gives a non-root user only bounding capabilities and its groups', () => {
    const spec = buildOciSpec(input({ user: { uid: 1000, gid: 1000, additionalGids: [10], home: '/home/app' } }));
    assert.deepEqual(spec.process.user, { uid: 1000, gid: 1000, additionalGids: [10] });
    assert.equal(spec.process.capabilities.effective, undefined);
  });

  it('passes request errors through with the field named', () => {
    assert.throws(() => buildOciSpec(input({ hostConfig: { Sysctls: { 'kernel.panic': '1' } } })), /sysctl 'kernel.panic'/);
    assert.throws(() => buildOciSpec(input({ hostConfig: { CapAdd: ['WIZARD'] } })), /unknown capability: "CAP_WIZARD"/);
  });
});
