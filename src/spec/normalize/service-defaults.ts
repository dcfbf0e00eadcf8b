// Per-service defaults `docker compose config` shows after the merge:
// build context and Dockerfile, one replica count, the dependencies that
// links and shared namespaces imply, default secret targets and GPU counts.

import { GantryError } from '../../common/errors.js';
import { formatPath, isMapping, positionAt, type Mapping, type Node } from '../tree.js';

/** A build with no context builds the project directory, from its Dockerfile. */
export function buildDefaults(svc: Mapping, projectDir: string): void {
  const build = svc.build;
  if (!isMapping(build)) return;
  if (build.context === undefined || build.context === null) build.context = projectDir;
  if ((build.dockerfile === undefined || build.dockerfile === null) && (build.dockerfile_inline === undefined || build.dockerfile_inline === null)) {
    build.dockerfile = 'Dockerfile';
  }
}

/**
 * `scale` and `deploy.replicas` say the same thing: both written must agree;
 * one written sets `scale`, and `deploy.replicas` stays only where written.
 */
export function reconcileScale(name: string, svc: Mapping, root: Mapping): void {
  const deploy = isMapping(svc.deploy) ? svc.deploy : undefined;
  const replicas = deploy?.replicas;
  const scale = svc.scale;
  if (typeof scale === 'number' && scale < 0) throw belowZero(root, ['services', name, 'scale'], scale);
  if (typeof replicas === 'number' && replicas < 0) throw belowZero(root, ['services', name, 'deploy', 'replicas'], replicas);
  if (typeof scale === 'number' && typeof replicas === 'number' && scale !== replicas) {
    const path = ['services', name, 'scale'];
    throw new GantryError('value', `service "${name}" sets scale: ${scale} and deploy.replicas: ${replicas}`, {
      path: formatPath(path),
      position: positionAt(root, path),
      hint: 'set only one of `scale` and `deploy.replicas`, or give both the same value',
    });
  }
  if (scale === undefined && typeof replicas === 'number') svc.scale = replicas;
}

function belowZero(root: Mapping, path: string[], value: number): GantryError {
  return new GantryError('value', `${formatPath(path)} is ${value}, below 0`, {
    path: formatPath(path),
    position: positionAt(root, path),
    hint: 'use 0 or more replicas',
  });
}

const SHARED_NAMESPACES = ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'];

/**
 * `links`, `network_mode: service:x` (and ipc, pid, uts, cgroup) and
 * `volumes_from` need the other service to run first: compose-go records
 * that as dependencies, and `config` prints them.
 */
export function implicitDependencies(svc: Mapping): void {
  const added: [string, Mapping][] = [];
  const has = (n: string) => (isMapping(svc.depends_on) && Object.hasOwn(svc.depends_on, n)) || added.some(([a]) => a === n);
  const add = (n: string, restart: boolean) => {
    if (n === '' || has(n)) return;
    const dep: Mapping = { condition: 'service_started' };
    if (restart) dep.restart = true;
    dep.required = true;
    added.push([n, dep]);
  };
  if (Array.isArray(svc.links)) {
    for (const link of svc.links) {
      if (typeof link !== 'string') continue;
      const parts = link.split(':');
      add(parts.length === 2 ? parts[0]! : link, true);
    }
  }
  for (const ns of SHARED_NAMESPACES) {
    const ref = svc[ns];
    if (typeof ref === 'string' && ref.startsWith('service:')) add(ref.slice('service:'.length), true);
  }
  if (Array.isArray(svc.volumes_from)) {
    for (const v of svc.volumes_from) {
      if (typeof v === 'string' && !v.startsWith('container:')) add(v.split(':')[0]!, false);
    }
  }
  if (added.length === 0) return;
  if (!isMapping(svc.depends_on)) svc.depends_on = {};
  const deps = svc.depends_on as Mapping;
  for (const [n, dep] of added) deps[n] = dep;
}

/** A secret without a target is mounted at /run/secrets/<source>. */
export function secretTargets(svc: Mapping): void {
  if (!Array.isArray(svc.secrets)) return;
  for (const s of svc.secrets) {
    if (isMapping(s) && s.target === undefined && typeof s.source === 'string') s.target = `/run/secrets/${s.source}`;
  }
}

function countAll(requests: Node | undefined): void {
  if (!Array.isArray(requests)) return;
  for (const r of requests) {
    if (isMapping(r) && r.count === undefined && r.device_ids === undefined) r.count = 'all';
  }
}

/** A GPU or device request that names neither a count nor devices asks for all of them. */
export function deviceRequestDefaults(svc: Mapping): void {
  countAll(svc.gpus);
  const deploy = svc.deploy;
  if (isMapping(deploy) && isMapping(deploy.resources) && isMapping(deploy.resources.reservations)) {
    countAll(deploy.resources.reservations.devices);
  }
}

/** `pull_policy: if_not_present` is the old spelling of `missing`. */
export function pullPolicy(svc: Mapping): void {
  if (svc.pull_policy === 'if_not_present') svc.pull_policy = 'missing';
}

/** A `pre_start` hook without an image runs the service's image. */
export function preStartImages(svc: Mapping): void {
  if (!Array.isArray(svc.pre_start) || typeof svc.image !== 'string' || svc.image === '') return;
  for (const hook of svc.pre_start) if (isMapping(hook) && hook.image === undefined) hook.image = svc.image;
}

function sortedHosts(list: Node | undefined): void {
  if (!Array.isArray(list) || !list.every((h) => typeof h === 'string')) return;
  // compose-go keeps extra hosts in a map and prints them sorted as text;
  // a host=ip written in two merged files is one entry.
  const unique = [...new Set(list as string[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  list.length = 0;
  list.push(...unique);
}

/** `extra_hosts` (service and build) sorted and without repeats, as `config` prints them. */
export function extraHostsOrder(svc: Mapping): void {
  sortedHosts(svc.extra_hosts);
  if (isMapping(svc.build)) sortedHosts(svc.build.extra_hosts);
}
