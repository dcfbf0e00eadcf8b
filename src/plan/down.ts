// Deciding what `down` must do: every container of the project (one-offs and
// orphans with --remove-orphans), then its networks, then, with -v, its
// volumes. External networks and volumes are never removed.

import { Label } from '../common/labels.js';
import type { Project } from '../spec/types.js';
import { containerNumber, isOneOff, replicasByService } from './observed.js';
import type { ObservedState, Plan } from './types.js';

export interface DownPlanOptions {
  removeOrphans?: boolean;
  volumes?: boolean;
  /** `--rmi local`: the images built for services without an `image:`; `all`: every service's image. */
  rmi?: 'local' | 'all';
}

export function planDown(project: Project, observed: ObservedState, opts: DownPlanOptions = {}): Plan {
  const plan: Plan = { project: project.name, resources: [], services: {}, orphans: [], cleanup: [], warnings: [] };
  const replicas = replicasByService(observed.containers, project.name);
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]);
  for (const [service, list] of replicas) {
    const actions = list.map((c) => ({ kind: 'remove-container' as const, name: c.name, service, number: containerNumber(c), containerId: c.id, reason: 'down' }));
    if (known.has(service)) plan.services[service] = actions;
    else if (opts.removeOrphans) plan.orphans.push(...actions.map((a) => ({ ...a, reason: 'orphan' })));
    else plan.warnings.push(`found orphan containers (${list.map((c) => c.name).join(', ')}) of service "${service}"; run with --remove-orphans to remove them`);
  }
  for (const c of observed.containers) {
    if (c.labels[Label.project] === project.name && isOneOff(c)) {
      plan.orphans.push({ kind: 'remove-container', name: c.name, service: c.labels[Label.service], containerId: c.id, reason: 'one-off container' });
    }
  }
  const networks = new Set(observed.networks.map((n) => n.name));
  for (const [key, net] of Object.entries(project.networks)) {
    if (!net.external && networks.has(net.name)) plan.cleanup.push({ kind: 'remove-network', name: net.name, key, reason: 'down' });
  }
  if (opts.volumes) {
    const volumes = new Set(observed.volumes.map((v) => v.name));
    for (const [key, vol] of Object.entries(project.volumes)) {
      if (!vol.external && volumes.has(vol.name)) plan.cleanup.push({ kind: 'remove-volume', name: vol.name, key, reason: 'down -v' });
    }
  }
  if (opts.rmi) {
    const images = new Set<string>();
    for (const [name, svc] of Object.entries({ ...project.services, ...project.disabledServices })) {
      const built = svc.build && !svc.image ? `${project.name}-${name}` : undefined;
      const image = opts.rmi === 'all' ? (svc.image ?? built) : built;
      if (image) images.add(image);
    }
    for (const image of [...images].sort()) plan.cleanup.push({ kind: 'remove-image', name: image, reason: `down --rmi ${opts.rmi}` });
  }
  return plan;
}
