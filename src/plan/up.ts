// Deciding what `up` must do: per service, which replicas to create,
// recreate (and why), start, remove or leave alone; which networks and
// volumes to create; what to do with orphans. Pure: the executor acts.

import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import type { ServiceGraph } from '../graph/index.js';
import { serviceConfigHash, serviceFieldDigests } from '../spec/hash.js';
import type { Project } from '../spec/types.js';
import { decodeDigests } from './labels.js';
import { containerNumber, replicasByService } from './observed.js';
import type { Action, ObservedState, Plan } from './types.js';

export interface UpPlanOptions {
  /** Services named on the command line (default: all). */
  services?: string[];
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  alwaysRecreateDeps?: boolean;
  scale?: Record<string, number>;
  removeOrphans?: boolean;
  /** Service → the id of the image its containers should run now (pulled or built since): a container on another image is recreated, as docker compose does. */
  imageIds?: Record<string, string>;
}

/** The services an `up` covers: those named and (unless noDeps) what they depend on; all when none are named. */
export function upServices(project: Project, graph: ServiceGraph, opts: Pick<UpPlanOptions, 'services' | 'noDeps'>): string[] {
  const named = opts.services?.length ? opts.services : undefined;
  return named ? (opts.noDeps ? named : graph.withDependencies(named)) : Object.keys(project.services);
}

export function planUp(project: Project, observed: ObservedState, graph: ServiceGraph, opts: UpPlanOptions = {}): Plan {
  if (opts.forceRecreate && opts.noRecreate) {
    throw new GantryError('usage', '--force-recreate and --no-recreate cannot be used together', { hint: 'choose one' });
  }
  const named = opts.services?.length ? opts.services : undefined;
  const selected = new Set(upServices(project, graph, opts));
  const plan: Plan = { project: project.name, resources: [], services: {}, orphans: [], cleanup: [], warnings: [] };

  planResources(project, observed, plan);

  const replicas = replicasByService(observed.containers, project.name);
  const recreated = new Set<string>();
  for (const name of graph.order()) {
    if (!selected.has(name)) continue;
    const service = project.services[name]!;
    const want = opts.scale?.[name] ?? service.scale ?? 1;
    const have = replicas.get(name) ?? [];
    const hash = serviceConfigHash(service);
    const digests = serviceFieldDigests(service);
    const actions: Action[] = [];
    const byDependency = Object.entries(service.depends_on ?? {}).find(([dep, d]) => d.restart === true && recreated.has(dep))?.[0];
    const asDependency = opts.alwaysRecreateDeps && named && !named.includes(name);

    for (const c of have.slice(want).reverse()) {
      actions.push({ kind: 'remove-container', name: c.name, service: name, number: containerNumber(c), containerId: c.id, reason: `scale ${have.length} → ${want}` });
    }
    for (const c of have.slice(0, want)) {
      const base = { name: c.name, service: name, number: containerNumber(c), containerId: c.id };
      const changed = c.labels[Label.configHash] !== hash;
      let why: string | undefined;
      if (opts.forceRecreate) why = 'forced (--force-recreate)';
      else if (!opts.noRecreate && changed) why = changedFields(c.labels[Label.fieldDigests], digests);
      else if (!opts.noRecreate && opts.imageIds?.[name] && c.imageId && c.imageId !== opts.imageIds[name]) why = 'image changed';
      else if (!opts.noRecreate && byDependency) why = `dependency "${byDependency}" was recreated (restart: true)`;
      else if (!opts.noRecreate && asDependency) why = 'dependency of a named service (--always-recreate-deps)';
      if (why) {
        actions.push({ ...base, kind: 'recreate-container', reason: why });
        recreated.add(name);
      } else if (c.state === 'running' || c.state === 'restarting') {
        actions.push({ ...base, kind: 'keep-container', reason: 'up to date' });
      } else {
        actions.push({ ...base, kind: 'start-container', reason: c.state === 'paused' ? 'paused' : `${c.state}` });
      }
    }
    const used = new Set(have.slice(0, want).map(containerNumber));
    let next = 1;
    for (let i = have.length; i < want; i++) {
      while (used.has(next)) next++;
      used.add(next);
      const cname = service.container_name ?? `${project.name}-${name}-${next}`;
      actions.push({ kind: 'create-container', name: cname, service: name, number: next, reason: have.length === 0 ? 'new' : `scale ${have.length} → ${want}` });
    }
    plan.services[name] = actions;
  }

  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]);
  for (const [service, list] of replicas) {
    if (known.has(service)) continue;
    for (const c of list) {
      if (opts.removeOrphans) plan.orphans.push({ kind: 'remove-container', name: c.name, service, containerId: c.id, reason: 'orphan (service no longer in the project)' });
      else plan.warnings.push(`found orphan container ${c.name} of service "${service}"; run with --remove-orphans to remove it`);
    }
  }
  return plan;
}

function planResources(project: Project, observed: ObservedState, plan: Plan): void {
  const networks = new Set(observed.networks.map((n) => n.name));
  for (const [key, net] of Object.entries(project.networks)) {
    if (networks.has(net.name)) continue;
    if (net.external) {
      throw new GantryError('reference', `network ${net.name} declared as external, but could not be found`, { path: `networks.${key}`, hint: `create it first: docker network create ${net.name}` });
    }
    plan.resources.push({ kind: 'create-network', name: net.name, key, reason: 'new' });
  }
  const volumes = new Set(observed.volumes.map((v) => v.name));
  for (const [key, vol] of Object.entries(project.volumes)) {
    if (volumes.has(vol.name)) continue;
    if (vol.external) {
      throw new GantryError('reference', `external volume "${vol.name}" not found`, { path: `volumes.${key}`, hint: `create it first: docker volume create ${vol.name}` });
    }
    plan.resources.push({ kind: 'create-volume', name: vol.name, key, reason: 'new' });
  }
}

/** "image, environment changed", from the digests label when the container has one. */
function changedFields(label: string | undefined, now: Record<string, string>): string {
  const before = decodeDigests(label);
  if (!before) return 'configuration changed';
  const fields = new Set([...Object.keys(before), ...Object.keys(now)]);
  const changed = [...fields].filter((f) => before[f] !== now[f]).sort();
  return changed.length ? `${changed.join(', ')} changed` : 'configuration changed';
}
