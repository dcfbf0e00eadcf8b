import { existsSync, readFileSync } from 'node:fs';
import { ALL_CAPABILITIES } from './capabilities.js';

// What the host kernel, and the engine's own privileges, offer that changes
// the spec: the cgroup version (cgroup namespaces only make sense on v2),
// swap accounting on v1, and how high a container's open-file limit can go.

export interface HostFeatures {
  cgroupV2: boolean;
  swapLimit: boolean;
  /**
   * The highest RLIMIT_NOFILE runc can give a container. Without
   * CAP_SYS_RESOURCE (a sandboxed engine) nobody can raise a hard limit past
   * the engine's own, so docker's default must come down to it.
   */
  maxNofile?: number;
  /** The engine's bounding capabilities (`CAP_*` names): the most a privileged container can get. */
  capabilities?: string[];
}

const CAP_SYS_RESOURCE = 24n;

function statusMask(field: 'CapEff' | 'CapBnd'): bigint | undefined {
  const hex = new RegExp(`^${field}:\\s*([0-9a-f]+)`, 'm').exec(readText('/proc/self/status') ?? '')?.[1];
  return hex === undefined ? undefined : BigInt(`0x${hex}`);
}

export function detectCapabilities(): string[] | undefined {
  const bounding = statusMask('CapBnd');
  if (bounding === undefined) return undefined;
  return ALL_CAPABILITIES.filter((_, bit) => ((bounding >> BigInt(bit)) & 1n) === 1n);
}

function readNumber(text: string | undefined): number | undefined {
  const value = Number(text?.trim());
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function detectMaxNofile(): number | undefined {
  const effective = statusMask('CapEff');
  const canRaise = effective !== undefined && ((effective >> CAP_SYS_RESOURCE) & 1n) === 1n;
  if (canRaise) return readNumber(readText('/proc/sys/fs/nr_open'));
  const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(readText('/proc/self/limits') ?? '')?.[1];
  return hard === 'unlimited' ? undefined : readNumber(hard);
}

export function detectHostFeatures(cgroupRoot = '/sys/fs/cgroup'): HostFeatures {
  const cgroupV2 = existsSync(`${cgroupRoot}/cgroup.controllers`);
  const swapLimit = cgroupV2 || existsSync(`${cgroupRoot}/memory/memory.memsw.limit_in_bytes`);
  const maxNofile = detectMaxNofile();
  const capabilities = detectCapabilities();
  return {
    cgroupV2,
    swapLimit,
    ...(maxNofile === undefined ? {} : { maxNofile }),
    ...(capabilities === undefined ? {} : { capabilities }),
  };
}
