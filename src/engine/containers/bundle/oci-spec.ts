import type { ContainerConfig, HostConfig, ImageRuntimeConfig } from '../docker-types.js';
import { BundleError } from './bundle-error.js';
import { capabilitySets, resolveCapabilities } from './capabilities.js';
import {
  DEFAULT_DEVICE_RULES,
  DEFAULT_DEVICES,
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  PRIVILEGED_DEVICE_RULES,
  defaultMounts,
} from './defaults.js';
import { deviceRules, type ResolvedDevice } from './devices.js';
import type { HostFeatures } from './host-features.js';
import { type EtcFiles, type ResolvedMount, resolveMounts } from './mounts.js';
import { checkSysctlNamespaces, resolveNamespaces } from './namespaces.js';
import type { OciMount, OciProcess, OciSpec } from './oci-types.js';
import type { ResolvedProcess } from './process-spec.js';
import { resolveOomScoreAdj, resolveResources, resolveRlimits, resolveSysctls } from './resources.js';
import type { ResolvedUser } from './user.js';

// Assembles config.json for one container from parts already resolved: the
// process (resolveProcess), its user ids (resolveUser), its mounts with host
// sources, and the engine's per-container files.

export const OCI_VERSION = '1.0.2';

/** Where docker mounts its init inside the container; `docker inspect` users expect this path. */
export const INIT_TARGET = '/sbin/docker-init';

export interface BundleInput {
  id: string;
  rootfsPath: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  image: ImageRuntimeConfig;
  user: ResolvedUser;
  process: ResolvedProcess;
  mounts: ResolvedMount[];
  etcFiles: EtcFiles;
  /** Join this network namespace (e.g. one the network service made); absent means a fresh one; 'host' the engine's own. */
  netnsPath?: string;
  cgroupsPath: string;
  /** The init binary to run as pid 1 when HostConfig.Init is set (the engine passes tini-static). */
  init?: { path: string };
  /** HostConfig.Devices looked up on the host (resolveDevices). */
  devices?: ResolvedDevice[];
  /** Other containers' namespaces for `container:<id>` IpcMode/PidMode. */
  joinPaths?: { ipc?: string; pid?: string };
  host: HostFeatures;
}

function noNewPrivileges(hostConfig: HostConfig): boolean {
  return (hostConfig.SecurityOpt ?? []).some((opt) => {
    const [key, value] = opt.split(/[=:]/, 2);
    return key === 'no-new-privileges' && (value === undefined || value === 'true');
  });
}

function wantsInit(input: BundleInput): boolean {
  if (input.hostConfig.Init !== true) return false;
  // Running without the init the request asked for would change signal and
  // zombie handling silently; this is the engine's fault, not the request's.
  if (!input.init) throw new BundleError('HostConfig.Init is set but the engine has no init binary configured', 500);
  return true;
}

function processSpec(input: BundleInput): OciProcess {
  const { hostConfig, user } = input;
  const caps = resolveCapabilities({
    capAdd: hostConfig.CapAdd,
    capDrop: hostConfig.CapDrop,
    privileged: hostConfig.Privileged ?? false,
    ...(input.host.capabilities ? { available: input.host.capabilities } : {}),
  });
  const args = wantsInit(input) ? [INIT_TARGET, '--', ...input.process.args] : [...input.process.args];
  const process: OciProcess = {
    terminal: input.config.Tty ?? false,
    user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length > 0 ? { additionalGids: [...user.additionalGids] } : {}) },
    args,
    env: [...input.process.env],
    cwd: input.process.cwd,
    capabilities: capabilitySets(caps, user.uid),
    rlimits: resolveRlimits(hostConfig, input.host.maxNofile),
  };
  if (noNewPrivileges(hostConfig)) process.noNewPrivileges = true;
  const oomScoreAdj = resolveOomScoreAdj(hostConfig);
  if (oomScoreAdj !== undefined) process.oomScoreAdj = oomScoreAdj;
  return process;
}

function mountList(input: BundleInput): OciMount[] {
  const { hostConfig } = input;
  const own = resolveMounts({
    mounts: input.mounts,
    tmpfs: hostConfig.Tmpfs,
    etcFiles: input.etcFiles,
    readonlyRootfs: hostConfig.ReadonlyRootfs ?? false,
  });
  const overridden = new Set(own.map((m) => m.destination));
  const defaults = defaultMounts({ shmSize: hostConfig.ShmSize, privileged: hostConfig.Privileged ?? false }).filter(
    (m) => !overridden.has(m.destination),
  );
  const init: OciMount[] = wantsInit(input)
    ? [{ destination: INIT_TARGET, type: 'bind', source: input.init!.path, options: ['rbind', 'rprivate', 'ro'] }]
    : [];
  return [...defaults, ...own, ...init];
}

export function buildOciSpec(input: BundleInput): OciSpec {
  const { config, hostConfig } = input;
  const privileged = hostConfig.Privileged ?? false;
  const namespaces = resolveNamespaces({
    hostConfig,
    cgroupV2: input.host.cgroupV2,
    ...(input.netnsPath ? { netnsPath: input.netnsPath } : {}),
    ...(input.joinPaths ? { joinPaths: input.joinPaths } : {}),
  });
  const resources = resolveResources(hostConfig, input.host);
  const requested = input.devices ?? [];
  resources.devices = privileged ? [...PRIVILEGED_DEVICE_RULES] : [...DEFAULT_DEVICE_RULES, ...deviceRules(requested)];
  // A requested node at a default path replaces the default one.
  const requestedPaths = new Set(requested.map((d) => d.device.path));
  const devices = [...DEFAULT_DEVICES.filter((d) => !requestedPaths.has(d.path)), ...requested.map((d) => d.device)];
  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    process: processSpec(input),
    root: { path: input.rootfsPath, readonly: hostConfig.ReadonlyRootfs ?? false },
    mounts: mountList(input),
    linux: {
      namespaces,
      devices,
      resources,
      cgroupsPath: input.cgroupsPath,
      // A privileged container sees the kernel's files as the host does.
      maskedPaths: privileged ? [] : [...(hostConfig.MaskedPaths ?? DEFAULT_MASKED_PATHS)],
      readonlyPaths: privileged ? [] : [...(hostConfig.ReadonlyPaths ?? DEFAULT_READONLY_PATHS)],
    },
  };
  // runc refuses a hostname for a UTS namespace the container does not own.
  const ownUts = namespaces.some((n) => n.type === 'uts');
  if (ownUts && config.Hostname) spec.hostname = config.Hostname;
  if (ownUts && config.Domainname) spec.domainname = config.Domainname;
  const sysctl = resolveSysctls(hostConfig.Sysctls);
  checkSysctlNamespaces(sysctl, namespaces);
  if (sysctl) spec.linux.sysctl = sysctl;
  return spec;
}
