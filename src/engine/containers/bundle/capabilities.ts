import { BundleError } from './bundle-error.js';
import { DEFAULT_CAPABILITIES } from './defaults.js';
import type { OciCapabilities } from './oci-types.js';

// The container's capability set from docker's defaults, CapAdd/CapDrop and
// Privileged, following moby's TweakCapabilities.

/** Every capability Linux defines up to 6.x, in number order. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/** `net_admin`, `NET_ADMIN` and `CAP_NET_ADMIN` all name one capability; `ALL` stays `ALL`. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL' || upper === 'CAP_ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) throw new BundleError(`unknown capability: "${full}"`);
  return full;
}

export interface CapabilityRequest {
  capAdd?: string[] | null;
  capDrop?: string[] | null;
  privileged?: boolean;
  /**
   * What "all" can mean here: the engine's own bounding set. A sandboxed
   * engine cannot hand out a capability it lacks, and runc would refuse the
   * whole container rather than the one capability.
   */
  available?: readonly string[];
}

/** The capability list the container's process may hold. */
export function resolveCapabilities(request: CapabilityRequest): string[] {
  const all = request.available ? ALL_CAPABILITIES.filter((c) => request.available!.includes(c)) : ALL_CAPABILITIES;
  if (request.privileged) return [...all];
  const adds = (request.capAdd ?? []).map(normalizeCapability);
  const drops = (request.capDrop ?? []).map(normalizeCapability);
  let caps: string[];
  if (adds.includes('ALL')) caps = all.filter((c) => !drops.includes(c));
  else if (drops.includes('ALL')) caps = adds;
  else caps = [...DEFAULT_CAPABILITIES.filter((c) => !drops.includes(c)), ...adds];
  return [...new Set(caps)];
}

/**
 * Root gets the list in every set that matters; any other user gets it only
 * as the bounding set, as execve would leave a non-root process (moby does
 * the same).
 */
export function capabilitySets(caps: string[], uid: number): OciCapabilities {
  if (uid === 0) return { bounding: [...caps], effective: [...caps], permitted: [...caps] };
  return { bounding: [...caps] };
}
