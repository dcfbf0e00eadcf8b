// `compose volumes`: the project's volumes (those carrying its label), or
// those the named services' containers mount.

import { Label } from '../common/labels.js';
import type { LoadOptions } from '../spec/index.js';
import { serviceOf } from './containers.js';
import type { EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface VolumesOptions extends EngineOptions {
  services?: string[];
}

/** One volume, in the words of `docker volume ls --format json`. */
export interface VolumeRow {
  Driver: string;
  Name: string;
  Mountpoint: string;
  Scope: string;
  /** `k=v,k2=v2`, as the docker CLI prints labels. */
  Labels: string;
}

export async function volumes(load: LoadOptions, opts: VolumesOptions = {}): Promise<VolumeRow[]> {
  const named = opts.services ?? [];
  const { name, engine } = await openTarget(load, opts, named);
  const list = await engine.volumes.list({ filters: { label: [`${Label.project}=${name}`] }, signal: opts.signal });
  let wanted: Set<string> | undefined;
  if (named.length) {
    const services = new Set(named);
    const containers = await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${name}`] }, signal: opts.signal });
    wanted = new Set(containers.filter((c) => services.has(serviceOf(c))).flatMap((c) => (c.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name!)));
  }
  return list
    .filter((v) => !wanted || wanted.has(v.Name))
    .map((v) => ({
      Driver: v.Driver,
      Name: v.Name,
      Mountpoint: v.Mountpoint,
      Scope: v.Scope,
      Labels: Object.entries(v.Labels ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, val]) => `${k}=${val}`)
        .join(','),
    }))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}
