import assert from 'node:assert/strict';
import { checkSysctlNamespaces, resolveNamespaces } from '../../../src/engine/containers/bundle/namespaces.js';

const types = (list: { type: string; path?: string }[]) => list.map((n) => (n.path ? `${n.type}=${n.path}` : n.type));

describe('bundle: namespaces', () => {
  it('gives a container its own namespaces, the cgroup one only on v2', () => {
    assert.deepEqual(types(resolveNamespaces({ hostConfig: {}, cgroupV2: false })), ['pid', 'ipc', 'uts', 'mount', 'network']);
    assert.deepEqual(types(resolveNamespaces({ hostConfig: {}, cgroupV2: true })), ['pid', 'ipc', 'uts', 'mount', 'network', 'cgroup']);
    assert.deepEqual(types(resolveNamespaces({ hostConfig: { CgroupnsMode: 'host' }, cgroupV2: true })).at(-1), 'network');
    assert.throws(() => resolveNamespaces({ hostConfig: { CgroupnsMode: 'private' }, cgroupV2: false }), /CgroupnsMode/);
  });

  it("shares the host's for host modes and joins given paths", () => {
    const hostAll = { PidMode: 'host', IpcMode: 'host', UTSMode: 'host', NetworkMode: 'host' };
    assert.deepEqual(types(resolveNamespaces({ hostConfig: hostAll, netnsPath: '/ignored', cgroupV2: false })), ['mount']);
    const joined = resolveNamespaces({
      hostConfig: { IpcMode: 'container:abc', PidMode: 'container:abc' },
      netnsPath: '/run/netns/n',
      joinPaths: { ipc: '/proc/42/ns/ipc', pid: '/proc/42/ns/pid' },
      cgroupV2: false,
    });
    assert.deepEqual(types(joined), ['pid=/proc/42/ns/pid', 'ipc=/proc/42/ns/ipc', 'uts', 'mount', 'network=/run/netns/n']);
    assert.throws(() => resolveNamespaces({ hostConfig: { IpcMode: 'container:abc' }, cgroupV2: false }), /HostConfig.IpcMode: container:abc needs/);
  });

  it('refuses sysctls for namespaces shared with the host', () => {
    const hostNet = resolveNamespaces({ hostConfig: { NetworkMode: 'host' }, cgroupV2: false });
    assert.throws(() => checkSysctlNamespaces({ 'net.core.somaxconn': '1' }, hostNet), /'net.core.somaxconn' is not allowed in the host's network namespace/);
    checkSysctlNamespaces({ 'kernel.shmmax': '1' }, hostNet);
    const hostIpc = resolveNamespaces({ hostConfig: { IpcMode: 'host' }, cgroupV2: false });
    assert.throws(() => checkSysctlNamespaces({ 'kernel.shmmax': '1' }, hostIpc), /IPC namespace/);
  });
});
