import type { HostConfig } from '../docker-types.js';
import { BundleError } from './bundle-error.js';
import type { OciNamespace } from './oci-types.js';

// Which namespaces the container gets of its own. Docker's `host` modes share
// the host's by leaving the namespace out of the spec; joining another
// container's (`container:<id>`) needs its path, which the engine resolves.

export interface NamespaceInput {
  hostConfig: HostConfig;
  /** The network namespace to join (one the network service made, or another container's). */
  netnsPath?: string;
  /** Paths of other containers' namespaces for `container:<id>` ipc/pid modes. */
  joinPaths?: { ipc?: string; pid?: string };
  cgroupV2: boolean;
}

const isHost = (mode: string | undefined) => mode === 'host';

function joined(type: 'ipc' | 'pid', mode: string | undefined, path: string | undefined, field: string): OciNamespace[] {
  if (isHost(mode)) return [];
  if (mode?.startsWith('container:')) {
    if (!path) throw new BundleError(`${field}: ${mode} needs the other container's ${type} namespace path`);
    return [{ type, path }];
  }
  return [{ type }];
}

export function resolveNamespaces(input: NamespaceInput): OciNamespace[] {
  const { hostConfig } = input;
  const list: OciNamespace[] = [
    ...joined('pid', hostConfig.PidMode, input.joinPaths?.pid, 'HostConfig.PidMode'),
    ...joined('ipc', hostConfig.IpcMode, input.joinPaths?.ipc, 'HostConfig.IpcMode'),
  ];
  if (!isHost(hostConfig.UTSMode)) list.push({ type: 'uts' });
  list.push({ type: 'mount' });
  if (!isHost(hostConfig.NetworkMode)) {
    list.push(input.netnsPath ? { type: 'network', path: input.netnsPath } : { type: 'network' });
  }
  // On cgroup v1 docker's default is the host's cgroup namespace; v2 gets a private one.
  if (hostConfig.CgroupnsMode === 'private' && !input.cgroupV2) {
    throw new BundleError('HostConfig.CgroupnsMode: private cgroup namespaces need cgroup v2 on this host');
  }
  if (input.cgroupV2 && !isHost(hostConfig.CgroupnsMode)) list.push({ type: 'cgroup' });
  return list;
}

/** Sysctls for a namespace the container shares with the host would change the host. */
export function checkSysctlNamespaces(sysctls: Record<string, string> | undefined, namespaces: OciNamespace[]): void {
  const unshared = new Set(namespaces.map((n) => n.type));
  for (const name of Object.keys(sysctls ?? {})) {
    if (name.startsWith('net.') && !unshared.has('network')) {
      throw new BundleError(`HostConfig.Sysctls: sysctl '${name}' is not allowed in the host's network namespace`);
    }
    if (!name.startsWith('net.') && !unshared.has('ipc')) {
      throw new BundleError(`HostConfig.Sysctls: sysctl '${name}' is not allowed in the host's IPC namespace`);
    }
  }
}
