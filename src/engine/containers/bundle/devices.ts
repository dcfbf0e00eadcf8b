import { lstat, readdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { HostConfig } from '../docker-types.js';
import { BundleError } from './bundle-error.js';
import type { OciDevice, OciDeviceRule } from './oci-types.js';

// HostConfig.Devices (`--device /dev/fuse:/dev/fuse:rwm`): the host node is
// looked up once (resolveDevices, the impure half); the spec entries and the
// cgroup rules that let the container use it are derived purely.

export interface ResolvedDevice {
  /** The node as it appears in the container (path is PathInContainer). */
  device: OciDevice;
  /** The cgroup access the request grants: some of r, w, m. */
  access: string;
}

export function checkPermissions(permissions: string, field: string): string {
  const access = permissions === '' ? 'rwm' : permissions;
  if (!/^[rwm]{1,3}$/.test(access) || new Set(access).size !== access.length) {
    throw new BundleError(`${field}: invalid device cgroup permissions '${permissions}': use a combination of r, w and m`);
  }
  return access;
}

/** Linux's dev_t split, as glibc's major()/minor() do it. */
function splitDeviceNumber(rdev: number): { major: number; minor: number } {
  const dev = BigInt(rdev);
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  return { major, minor };
}

function nodeOf(info: Awaited<ReturnType<typeof stat>>, path: string): OciDevice | undefined {
  const type = info.isCharacterDevice() ? 'c' : info.isBlockDevice() ? 'b' : undefined;
  if (!type) return undefined;
  return { type, path, ...splitDeviceNumber(Number(info.rdev)), fileMode: Number(info.mode) & 0o7777, uid: Number(info.uid), gid: Number(info.gid) };
}

// Directories under /dev that hold per-container mounts, not host devices.
const SKIPPED_DEV_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

/**
 * Every device node under the host's /dev, as a privileged docker container
 * sees them. The console stays the container's own.
 */
export async function hostDevices(dir = '/dev'): Promise<OciDevice[]> {
  const result: OciDevice[] = [];
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const name of entries) {
    const path = posix.join(dir, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) {
      if (!SKIPPED_DEV_DIRS.has(name)) result.push(...(await hostDevices(path)));
      continue;
    }
    if (path === '/dev/console') continue;
    const node = nodeOf(info, path);
    if (node) result.push(node);
  }
  return result;
}

export async function resolveDevices(hostConfig: HostConfig): Promise<ResolvedDevice[]> {
  const result: ResolvedDevice[] = [];
  for (const [i, mapping] of (hostConfig.Devices ?? []).entries()) {
    const field = `HostConfig.Devices[${i}]`;
    const access = checkPermissions(mapping.CgroupPermissions ?? '', `${field}.CgroupPermissions`);
    const inContainer = mapping.PathInContainer || mapping.PathOnHost;
    if (!inContainer.startsWith('/')) throw new BundleError(`${field}.PathInContainer: ${inContainer} is not an absolute path`);
    const info = await stat(mapping.PathOnHost).catch((error: NodeJS.ErrnoException) => {
      throw new BundleError(`${field}: error gathering device information while adding custom device "${mapping.PathOnHost}": ${error.code ?? error.message}`);
    });
    const device = nodeOf(info, posix.normalize(inContainer));
    if (!device) throw new BundleError(`${field}: error gathering device information while adding custom device "${mapping.PathOnHost}": not a device node`);
    result.push({ device, access });
  }
  return result;
}

export function deviceRules(devices: ResolvedDevice[]): OciDeviceRule[] {
  return devices.map(({ device, access }) => ({
    allow: true,
    type: device.type === 'b' ? 'b' : 'c',
    major: device.major,
    minor: device.minor,
    access,
  }));
}
