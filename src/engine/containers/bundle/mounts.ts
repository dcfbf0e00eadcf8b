import { posix } from 'node:path';
import { BundleError } from './bundle-error.js';
import type { OciMount } from './oci-types.js';

// The container's own mounts in OCI form. Sources are already resolved (the
// volume service turned names into host paths); this module checks targets,
// spells options and orders the list so parents mount before children.

export type Propagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';

export interface ResolvedMount {
  type: 'bind' | 'volume' | 'tmpfs';
  /** Host path for bind and volume mounts; ignored for tmpfs. */
  source?: string;
  target: string;
  readOnly?: boolean;
  propagation?: Propagation;
  tmpfsSize?: number;
  tmpfsMode?: number;
  /** Where the mount came from in the request, e.g. `HostConfig.Mounts[1]`, for error messages. */
  origin?: string;
}

export interface EtcFiles {
  hosts: string;
  resolvConf: string;
  hostname: string;
}

export interface MountsInput {
  mounts: ResolvedMount[];
  tmpfs?: Record<string, string> | null;
  etcFiles?: EtcFiles;
  /** The engine's per-container files follow the rootfs into read-only. */
  readonlyRootfs?: boolean;
}

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

const TMPFS_FLAGS = new Set([
  'rw', 'ro', 'exec', 'noexec', 'suid', 'nosuid', 'dev', 'nodev', 'sync', 'async', 'dirsync',
  'mand', 'nomand', 'atime', 'noatime', 'diratime', 'nodiratime', 'relatime', 'norelatime',
  'strictatime', 'nostrictatime',
]);
const TMPFS_DATA_KEYS = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol', 'huge']);

// Docker mounts every tmpfs hardened unless the options say otherwise.
const TMPFS_DEFAULTS: ReadonlyArray<[flag: string, opposite: string]> = [
  ['noexec', 'exec'],
  ['nosuid', 'suid'],
  ['nodev', 'dev'],
];

/** A clean absolute target, or an error naming the request field. */
export function cleanTarget(target: string, field: string): string {
  if (!target) throw new BundleError(`${field}: mount target must not be empty`);
  if (!target.startsWith('/')) throw new BundleError(`${field}: invalid mount path: '${target}' mount path must be absolute`);
  const clean = posix.normalize(target).replace(/(.)\/+$/, '$1');
  if (clean === '/') throw new BundleError(`${field}: invalid specification: destination can't be '/'`);
  return clean;
}

export function tmpfsOptions(options: string, field: string): string[] {
  const given = options
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const option of given) {
    const key = option.split('=')[0]!;
    const known = option.includes('=') ? TMPFS_DATA_KEYS.has(key) : TMPFS_FLAGS.has(option);
    if (!known) throw new BundleError(`${field}: invalid tmpfs option "${option}"`);
  }
  const defaults = TMPFS_DEFAULTS.filter(([flag, opposite]) => !given.includes(flag) && !given.includes(opposite)).map(
    ([flag]) => flag,
  );
  return [...defaults, ...given];
}

function depth(path: string): number {
  return path.split('/').length;
}

function toOci(mount: ResolvedMount, field: string, target: string): OciMount {
  if (mount.type === 'tmpfs') {
    const data: string[] = [];
    if (mount.tmpfsSize && mount.tmpfsSize > 0) data.push(`size=${mount.tmpfsSize}`);
    if (mount.tmpfsMode !== undefined) data.push(`mode=${mount.tmpfsMode.toString(8)}`);
    if (mount.readOnly) data.push('ro');
    return { destination: target, type: 'tmpfs', source: 'tmpfs', options: tmpfsOptions(data.join(','), field) };
  }
  if (!mount.source || !mount.source.startsWith('/')) {
    throw new BundleError(`${field}.Source: a ${mount.type} mount needs an absolute host path, got '${mount.source ?? ''}'`);
  }
  const propagation = mount.propagation ?? 'rprivate';
  if (!PROPAGATIONS.has(propagation)) throw new BundleError(`${field}.BindOptions.Propagation: invalid propagation mode: ${propagation}`);
  const options = ['rbind', propagation];
  if (mount.readOnly) options.push('ro');
  return { destination: target, type: 'bind', source: mount.source, options };
}

export function resolveMounts(input: MountsInput): OciMount[] {
  const result: OciMount[] = [];
  const seen = new Set<string>();
  const claim = (target: string, field: string) => {
    if (seen.has(target)) throw new BundleError(`${field}: Duplicate mount point: ${target}`);
    seen.add(target);
  };

  input.mounts.forEach((mount, i) => {
    const field = mount.origin ?? `Mounts[${i}]`;
    const target = cleanTarget(mount.target, `${field}.Target`);
    claim(target, `${field}.Target`);
    result.push(toOci(mount, field, target));
  });

  for (const [rawTarget, options] of Object.entries(input.tmpfs ?? {})) {
    const field = `HostConfig.Tmpfs["${rawTarget}"]`;
    const target = cleanTarget(rawTarget, field);
    claim(target, field);
    result.push({ destination: target, type: 'tmpfs', source: 'tmpfs', options: tmpfsOptions(options, field) });
  }

  if (input.etcFiles) {
    const etc: Array<[string, string]> = [
      ['/etc/resolv.conf', input.etcFiles.resolvConf],
      ['/etc/hostname', input.etcFiles.hostname],
      ['/etc/hosts', input.etcFiles.hosts],
    ];
    // A user mount on one of these files wins over the engine's copy.
    for (const [target, source] of etc) {
      if (seen.has(target)) continue;
      const options = ['rbind', 'rprivate'];
      if (input.readonlyRootfs) options.push('ro');
      result.push({ destination: target, type: 'bind', source, options });
    }
  }

  // Array.prototype.sort is stable: equal depths keep the request's order.
  return result.sort((a, b) => depth(a.destination) - depth(b.destination));
}
