import { existsSync } from 'node:fs';

// What the host kernel offers that changes the spec: the cgroup version
// (cgroup namespaces only make sense on v2) and swap accounting on v1.

export interface HostFeatures {
  cgroupV2: boolean;
  swapLimit: boolean;
}

export function detectHostFeatures(cgroupRoot = '/sys/fs/cgroup'): HostFeatures {
  const cgroupV2 = existsSync(`${cgroupRoot}/cgroup.controllers`);
  const swapLimit = cgroupV2 || existsSync(`${cgroupRoot}/memory/memory.memsw.limit_in_bytes`);
  return { cgroupV2, swapLimit };
}
