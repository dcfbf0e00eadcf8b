// Everything a start needs on disk before the runtime runs: the root
// filesystem mounted, volumes ready (filled from the image the first time, as
// docker does), /etc files written, and the bundle's config.json.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { badRequest } from '../api/api-error.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerService } from './container-service.js';
import { writeEtcFiles } from './etc-files.js';
import type { Plugged } from './container-network.js';
import { buildOciSpec, detectHostFeatures, readUserDatabase, resolveProcess, resolveUser, writeBundle, type HostFeatures, type Propagation, type ResolvedMount } from './bundle/index.js';

let hostFeatures: HostFeatures | undefined;

const run = promisify(execFile);

/** Returns the bundle directory. */
export async function prepareBundle(svc: ContainerService, c: ContainerRecord, network: Plugged): Promise<string> {
  const { deps } = svc;
  const { rootfs } = await deps.snapshots.prepare(c.Id, deps.images.layerDirs(c.Image));
  const mounts: ResolvedMount[] = [];
  for (const m of c.Mounts) {
    if (m.Type === 'volume' && m.Name) {
      const fresh = deps.volumes.isEmpty(m.Name);
      const source = await deps.volumes.acquire(m.Name, c.Id);
      if (fresh && m.Mode !== 'nocopy') await copyImageContent(join(rootfs, m.Destination), source);
      mounts.push({ type: 'volume', source, target: m.Destination, readOnly: !m.RW });
    } else if (m.Type === 'bind') {
      if (!existsSync(m.Source)) throw badRequest(`invalid mount config for type "bind": bind source path does not exist: ${m.Source}`);
      mounts.push({ type: 'bind', source: m.Source, target: m.Destination, readOnly: !m.RW, propagation: (m.Propagation || undefined) as Propagation | undefined });
    } else if (m.Type === 'tmpfs') {
      const spec = c.HostConfig.Mounts?.find((s) => s.Type === 'tmpfs' && s.Target === m.Destination);
      mounts.push({ type: 'tmpfs', source: 'tmpfs', target: m.Destination, readOnly: !m.RW, tmpfsSize: spec?.TmpfsOptions?.SizeBytes, tmpfsMode: spec?.TmpfsOptions?.Mode });
    }
  }

  const { passwd, group } = await readUserDatabase(rootfs);
  const user = resolveUser(c.Config.User || '', passwd, group, c.HostConfig.GroupAdd ?? undefined);
  const image = deps.images.resolve(c.Image);
  const process = resolveProcess({ ...c.Config, Entrypoint: [c.Path], Cmd: c.Args }, image?.config ?? {}, { home: user.home });

  writeEtcFiles(c, {
    hostname: c.Config.Hostname || c.Id.slice(0, 12),
    domainname: c.Config.Domainname,
    addresses: Object.values(c.Networks).map((n) => n.IPAddress ?? '').filter(Boolean),
    extraHosts: c.HostConfig.ExtraHosts ?? [],
    // On a network with the embedded DNS, `dns:` servers are its upstreams for
    // this container (as in docker), so service names keep resolving.
    dns: network.nameservers.length ? network.nameservers : c.HostConfig.Dns?.length ? c.HostConfig.Dns : undefined,
    dnsSearch: c.HostConfig.DnsSearch ?? undefined,
    dnsOptions: c.HostConfig.DnsOptions ?? undefined,
  });

  const netnsPath = network.netnsPath;
  const spec = buildOciSpec({
    id: c.Id,
    rootfsPath: rootfs,
    config: c.Config,
    hostConfig: c.HostConfig,
    image: image?.config ?? {},
    user,
    process,
    mounts,
    etcFiles: { hosts: c.HostsPath, resolvConf: c.ResolvConfPath, hostname: c.HostnamePath },
    netnsPath,
    host: (hostFeatures ??= detectHostFeatures()),
    cgroupsPath: `/gantry/${c.Id}`,
    init: c.HostConfig.Init ? { path: deps.initPath ?? '/usr/bin/tini-static' } : undefined,
  });
  const bundleDir = bundleDirOf(svc, c.Id);
  mkdirSync(bundleDir, { recursive: true, mode: 0o700 });
  await writeBundle(bundleDir, spec);
  return bundleDir;
}

export function bundleDirOf(svc: ContainerService, id: string): string {
  return join(svc.containerDir(id), 'bundle');
}

async function copyImageContent(from: string, to: string): Promise<void> {
  if (!existsSync(from) || readdirSync(from).length === 0) return;
  await run('cp', ['-a', '--', `${from}/.`, to]);
}
