// Where a container's mounts come from: `Binds` strings, `Mounts` specs, the
// image's VOLUMEs (anonymous volumes unless something else is mounted there)
// and `VolumesFrom`. Decided at create (volumes are created then, as docker
// does) and kept in the record as docker's inspect `Mounts`.

import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import { badRequest } from '../api/api-error.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { MountPoint } from './container-record.js';
import type { HostConfig } from './docker-types.js';

export interface MountPlanInputs {
  hostConfig: HostConfig;
  imageVolumes: string[];
  volumes: VolumeService;
  /** Mounts of another container, for `VolumesFrom` (`name[:ro|rw]`). */
  mountsOf: (ref: string) => MountPoint[] | undefined;
  /** Labels docker compose puts on the volumes it asks the engine to make. */
}

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

export function planMounts(inputs: MountPlanInputs): MountPoint[] {
  const byTarget = new Map<string, MountPoint>();
  const add = (m: MountPoint, field: string) => {
    if (!isAbsolute(m.Destination)) throw badRequest(`invalid mount config: ${field}: mount path must be absolute: ${m.Destination}`);
    m.Destination = normalize(m.Destination).replace(/(.)\/$/, '$1');
    if (m.Destination === '/') throw badRequest(`invalid mount config: ${field}: invalid specification: destination can't be '/'`);
    if (byTarget.has(m.Destination)) throw badRequest(`Duplicate mount point: ${m.Destination}`);
    byTarget.set(m.Destination, m);
  };

  (inputs.hostConfig.Binds ?? []).forEach((bind, i) => add(parseBind(bind, inputs.volumes, `HostConfig.Binds[${i}]`), `HostConfig.Binds[${i}]`));

  (inputs.hostConfig.Mounts ?? []).forEach((spec, i) => {
    const field = `HostConfig.Mounts[${i}]`;
    if (!spec.Target) throw badRequest(`invalid mount config: ${field}: Target must not be empty`);
    const rw = !spec.ReadOnly;
    if (spec.Type === 'bind') {
      if (!spec.Source || !isAbsolute(spec.Source)) throw badRequest(`invalid mount config for type "bind": ${field}.Source must be an absolute path`);
      if (!existsSync(spec.Source)) {
        if (!spec.BindOptions?.CreateMountpoint) throw badRequest(`invalid mount config for type "bind": bind source path does not exist: ${spec.Source}`);
        mkdirSync(spec.Source, { recursive: true });
      }
      const propagation = spec.BindOptions?.Propagation || 'rprivate';
      if (!PROPAGATIONS.includes(propagation)) throw badRequest(`invalid mount config: ${field}: invalid propagation mode: ${propagation}`);
      add({ Type: 'bind', Source: spec.Source, Destination: spec.Target, Mode: '', RW: rw, Propagation: propagation }, field);
    } else if (spec.Type === 'volume') {
      const volume = inputs.volumes.create({ Name: spec.Source || undefined, Labels: spec.VolumeOptions?.Labels, DriverOpts: spec.VolumeOptions?.DriverConfig?.Options });
      add({ Type: 'volume', Name: volume.Name, Source: volume.Mountpoint, Destination: spec.Target, Driver: 'local', Mode: spec.VolumeOptions?.NoCopy ? 'nocopy' : 'z', RW: rw, Propagation: '' }, field);
    } else if (spec.Type === 'tmpfs') {
      if (spec.Source) throw badRequest(`invalid mount config for type "tmpfs": ${field}.Source must not be specified`);
      add({ Type: 'tmpfs', Source: '', Destination: spec.Target, Mode: '', RW: rw, Propagation: '' }, field);
    } else {
      throw badRequest(`invalid mount config: ${field}: mount type "${spec.Type}" is not supported; use bind, volume or tmpfs`);
    }
  });

  for (const from of inputs.hostConfig.VolumesFrom ?? []) {
    const [ref, mode] = from.split(':');
    const mounts = inputs.mountsOf(ref!);
    if (!mounts) throw badRequest(`No such container: ${ref}`);
    for (const m of mounts) {
      if (byTarget.has(m.Destination) || m.Type === 'tmpfs') continue;
      byTarget.set(m.Destination, { ...m, RW: mode === 'ro' ? false : mode === 'rw' ? true : m.RW });
    }
  }

  for (const target of inputs.imageVolumes) {
    const dest = normalize(target).replace(/(.)\/$/, '$1');
    if (byTarget.has(dest)) continue;
    const volume = inputs.volumes.create({});
    byTarget.set(dest, { Type: 'volume', Name: volume.Name, Source: volume.Mountpoint, Destination: dest, Driver: 'local', Mode: '', RW: true, Propagation: '' });
  }

  return [...byTarget.values()];
}

/** `src:dst[:opts]`: an absolute src is a bind, anything else a named volume. */
function parseBind(bind: string, volumes: VolumeService, field: string): MountPoint {
  const parts = bind.split(':');
  if (parts.length < 2 || parts.length > 3) throw badRequest(`invalid volume specification: '${bind}' (${field})`);
  const [source, destination, opts = ''] = parts as [string, string, string?];
  const options = opts ? opts.split(',') : [];
  let rw = true;
  let propagation = 'rprivate';
  let nocopy = false;
  for (const o of options) {
    if (o === 'ro') rw = false;
    else if (o === 'rw') rw = true;
    else if (PROPAGATIONS.includes(o)) propagation = o;
    else if (o === 'nocopy') nocopy = true;
    else if (o === 'z' || o === 'Z' || o === 'consistent' || o === 'cached' || o === 'delegated') continue;
    else throw badRequest(`invalid mode: ${o} (${field}: '${bind}')`);
  }
  if (isAbsolute(source)) {
    // Binds (unlike Mounts) create a missing source directory, as docker does.
    if (!existsSync(source)) mkdirSync(source, { recursive: true });
    return { Type: 'bind', Source: source, Destination: destination, Mode: opts, RW: rw, Propagation: propagation };
  }
  const volume = volumes.create({ Name: source });
  return { Type: 'volume', Name: volume.Name, Source: volume.Mountpoint, Destination: destination, Driver: 'local', Mode: nocopy ? 'nocopy' : opts || 'z', RW: rw, Propagation: '' };
}
