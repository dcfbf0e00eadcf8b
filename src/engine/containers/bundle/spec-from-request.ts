import { hostDevices, resolveDevices } from './devices.js';
import type { BundleInput } from './oci-spec.js';
import { buildOciSpec } from './oci-spec.js';
import type { OciSpec } from './oci-types.js';
import { resolveProcess } from './process-spec.js';
import { readUserDatabase } from './rootfs-files.js';
import { resolveUser } from './user.js';

// The one impure step the engine calls: read the image's user database from
// the rootfs and the requested device nodes from the host, resolve user and
// process, and build the spec.

export type SpecRequest = Omit<BundleInput, 'user' | 'process' | 'devices'>;

export async function specFromRequest(request: SpecRequest): Promise<OciSpec> {
  const { passwd, group } = await readUserDatabase(request.rootfsPath);
  const userName = request.config.User || request.image.User || '';
  const user = resolveUser(userName, passwd, group, request.hostConfig.GroupAdd ?? []);
  const process = resolveProcess(request.config, request.image, { home: user.home });
  const devices = await resolveDevices(request.hostConfig);
  if (request.hostConfig.Privileged) {
    // Explicit mappings keep their container paths; the host's nodes fill in the rest.
    const mapped = new Set(devices.map((d) => d.device.path));
    for (const device of await hostDevices()) if (!mapped.has(device.path)) devices.push({ device, access: 'rwm' });
  }
  return buildOciSpec({ ...request, user, process, devices });
}
