import type { HostConfig } from '../docker-types.js';
import { BundleError } from './bundle-error.js';
import { DEFAULT_RLIMITS } from './defaults.js';
import type { OciResources, OciRlimit } from './oci-types.js';

// HostConfig's limits in OCI form, with the checks docker makes at create
// time so a bad request fails before runc ever sees it.

export interface HostLimitsSupport {
  /** cgroup v1 without swap accounting cannot take a swap limit; docker drops it. */
  swapLimit: boolean;
}

export const CPU_PERIOD = 100000;

function memoryResources(host: HostConfig, support: HostLimitsSupport): OciResources['memory'] {
  const memory = host.Memory ?? 0;
  const reservation = host.MemoryReservation ?? 0;
  let swap = host.MemorySwap ?? 0;
  if (memory !== 0 && memory < 6 * 1024 * 1024) throw new BundleError('Minimum memory limit allowed is 6MB');
  if (memory > 0 && swap > 0 && swap < memory) {
    throw new BundleError('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (memory === 0 && swap > 0) {
    throw new BundleError('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  if (memory > 0 && reservation > 0 && reservation > memory) {
    throw new BundleError('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  // Docker's default: as much swap as memory.
  if (memory > 0 && swap === 0) swap = memory * 2;
  const result: NonNullable<OciResources['memory']> = {};
  if (memory > 0) result.limit = memory;
  if (reservation > 0) result.reservation = reservation;
  if (memory > 0 && swap !== 0 && support.swapLimit) result.swap = swap;
  if (host.OomKillDisable) result.disableOOMKiller = true;
  return Object.keys(result).length > 0 ? result : undefined;
}

function cpuResources(host: HostConfig): OciResources['cpu'] {
  const nano = host.NanoCpus ?? 0;
  if (nano < 0) throw new BundleError('Range of CPUs is from 0.01 to the number of CPUs available');
  if (nano > 0 && (host.CpuPeriod ?? 0) > 0) {
    throw new BundleError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  }
  if (nano > 0 && (host.CpuQuota ?? 0) > 0) {
    throw new BundleError('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  }
  const result: NonNullable<OciResources['cpu']> = {};
  if (nano > 0) {
    result.period = CPU_PERIOD;
    result.quota = Math.floor((nano * CPU_PERIOD) / 1e9);
  }
  if ((host.CpuShares ?? 0) > 0) result.shares = host.CpuShares!;
  if ((host.CpuQuota ?? 0) > 0) result.quota = host.CpuQuota!;
  if ((host.CpuPeriod ?? 0) > 0) result.period = host.CpuPeriod!;
  if (host.CpusetCpus) result.cpus = host.CpusetCpus;
  return Object.keys(result).length > 0 ? result : undefined;
}

export function resolveResources(host: HostConfig, support: HostLimitsSupport): OciResources {
  const resources: OciResources = {};
  const memory = memoryResources(host, support);
  if (memory) resources.memory = memory;
  const cpu = cpuResources(host);
  if (cpu) resources.cpu = cpu;
  // Zero and negative mean "unlimited" in docker's API: leave the cgroup alone.
  if (host.PidsLimit && host.PidsLimit > 0) resources.pids = { limit: host.PidsLimit };
  return resources;
}

const ULIMIT_NAMES = new Set([
  'as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice',
  'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
]);

/**
 * Docker's default rlimits (brought down to what the host allows), replaced
 * per type by the request's Ulimits. An explicit Ulimit is never lowered: if
 * the host cannot grant it, runc's error says so.
 */
export function resolveRlimits(host: HostConfig, maxNofile?: number): OciRlimit[] {
  const byType = new Map<string, OciRlimit>(
    DEFAULT_RLIMITS.map((r) => {
      const cap = r.type === 'RLIMIT_NOFILE' && maxNofile !== undefined ? maxNofile : Infinity;
      return [r.type, { type: r.type, soft: Math.min(r.soft, cap), hard: Math.min(r.hard, cap) }];
    }),
  );
  for (const [i, ulimit] of (host.Ulimits ?? []).entries()) {
    const name = ulimit.Name.toLowerCase();
    if (!ULIMIT_NAMES.has(name)) throw new BundleError(`HostConfig.Ulimits[${i}]: invalid ulimit type: ${ulimit.Name}`);
    if (ulimit.Soft > ulimit.Hard && ulimit.Hard !== -1) {
      throw new BundleError(
        `HostConfig.Ulimits[${i}]: ulimit soft limit must be less than or equal to hard limit: ${ulimit.Soft} > ${ulimit.Hard}`,
      );
    }
    const type = `RLIMIT_${name.toUpperCase()}`;
    byType.set(type, { type, soft: ulimit.Soft, hard: ulimit.Hard });
  }
  return [...byType.values()];
}

// Sysctls a container may set because the kernel scopes them to its own
// ipc or network namespace; anything else would change the host.
const NAMESPACED_SYSCTLS = new Set([
  'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem',
  'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced',
]);
const NAMESPACED_SYSCTL_PREFIXES = ['net.', 'fs.mqueue.'];

export function resolveSysctls(sysctls: Record<string, string> | null | undefined): Record<string, string> | undefined {
  if (!sysctls || Object.keys(sysctls).length === 0) return undefined;
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(sysctls)) {
    // Docker accepts the slash-separated spelling of a sysctl too.
    const name = key.replaceAll('/', '.');
    const allowed = NAMESPACED_SYSCTLS.has(name) || NAMESPACED_SYSCTL_PREFIXES.some((p) => name.startsWith(p));
    if (!allowed) {
      throw new BundleError(`HostConfig.Sysctls: sysctl '${key}' is not allowed: it is not namespaced to the container`);
    }
    result[name] = value;
  }
  return result;
}

export function resolveOomScoreAdj(host: HostConfig): number | undefined {
  const adj = host.OomScoreAdj;
  if (adj === undefined || adj === 0) return undefined;
  if (!Number.isInteger(adj) || adj < -1000 || adj > 1000) {
    throw new BundleError(`Invalid value ${adj}, range for oom score adj is [-1000, 1000]`);
  }
  return adj;
}
