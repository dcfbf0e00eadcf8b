// Stage 9: what the schema cannot say. References between services and to
// top-level resources, dependency cycles, replica/name conflicts and image
// references, checked on the merged canonical document.

import { GantryError, GantryErrors } from '../common/errors.js';
import { imageReferenceProblem } from '../common/image-ref.js';
import { suggestion } from '../common/suggest.js';
import type { WarningSink } from './context.js';
import { childPosition, formatPath, isMapping, positionAt, type Mapping, type Node, type Path } from './tree.js';

export interface CheckContext {
  /** Services moved out by profiles: referring to them gets a profile hint, not "unknown". */
  disabled: Mapping;
  warn: WarningSink;
}

/** A dependency edge between two services, in the words of the attribute that makes it. */
export interface ServiceEdge {
  from: string;
  to: string;
  via: 'depends_on' | 'links' | 'network_mode' | 'volumes_from';
  path: Path;
}

export function checkProject(doc: Mapping, ctx: CheckContext): void {
  const errors: GantryError[] = [];
  const fail = (kind: 'reference' | 'value', path: Path, message: string, hint?: string) =>
    errors.push(new GantryError(kind, message, { path: formatPath(path), position: positionAt(doc, path), hint }));

  const services = mappingAt(doc, 'services');
  const names = Object.keys(services);
  const edges = serviceEdges(services);

  for (const e of edges) {
    if (e.to in services) continue;
    const optional = e.via === 'depends_on' && isOptionalDependency(services[e.from], e.to);
    if (optional) {
      ctx.warn({ message: `service "${e.from}" depends on "${e.to}", which is not part of the project; ignored because required: false`, path: formatPath(e.path), position: positionAt(doc, e.path) });
      continue;
    }
    const disabled = ctx.disabled[e.to];
    const hint = isMapping(disabled) ? profileHint(disabled) : suggestion(e.to, names, 'service');
    const what = isMapping(disabled) ? 'a service that is not enabled' : 'an undefined service';
    fail('reference', e.path, `service "${e.from}" refers to ${what} "${e.to}" (${e.via})`, hint);
  }

  checkResourceReferences(doc, services, fail);
  checkCycles(edges.filter((e) => e.to in services), doc, errors);

  for (const [name, svc] of Object.entries(services)) {
    if (!isMapping(svc)) continue;
    const image = svc.image;
    if (typeof image === 'string' && !image.includes('${')) {
      const problem = imageReferenceProblem(image);
      if (problem) fail('value', ['services', name, 'image'], `invalid image reference "${image}" in service "${name}": ${problem}`, 'write it as [registry/]name[:tag][@digest], e.g. busybox:1.36 or localhost:5000/app:dev');
    }
    if (svc.image === undefined && svc.build === undefined && !isProvider(svc)) {
      fail('value', ['services', name], `service "${name}" has neither an image nor a build context specified`, 'add image: NAME or build: DIR');
    }
    const replicas = replicaCount(svc);
    if (typeof svc.container_name === 'string' && replicas > 1) {
      fail('value', ['services', name, 'container_name'], `service "${name}" sets container_name "${svc.container_name}" but asks for ${replicas} replicas; container names must be unique`, 'remove container_name, or use one replica');
    }
  }

  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new GantryErrors(errors);
}

/** Every service-to-service reference in declaration order (stable for messages). */
export function serviceEdges(services: Mapping): ServiceEdge[] {
  const edges: ServiceEdge[] = [];
  for (const [from, svc] of Object.entries(services)) {
    if (!isMapping(svc)) continue;
    const base = ['services', from];
    if (isMapping(svc.depends_on)) {
      for (const to of Object.keys(svc.depends_on)) edges.push({ from, to, via: 'depends_on', path: [...base, 'depends_on', to] });
    }
    if (Array.isArray(svc.links)) {
      svc.links.forEach((l, i) => {
        if (typeof l === 'string') edges.push({ from, to: l.split(':')[0]!, via: 'links', path: [...base, 'links', i] });
      });
    }
    if (typeof svc.network_mode === 'string' && svc.network_mode.startsWith('service:')) {
      edges.push({ from, to: svc.network_mode.slice('service:'.length), via: 'network_mode', path: [...base, 'network_mode'] });
    }
    if (Array.isArray(svc.volumes_from)) {
      svc.volumes_from.forEach((v, i) => {
        if (typeof v !== 'string' || v.startsWith('container:')) return;
        edges.push({ from, to: v.split(':')[0]!, via: 'volumes_from', path: [...base, 'volumes_from', i] });
      });
    }
  }
  // normalize records links, service: namespaces and volumes_from as implied
  // depends_on entries too; report those references once, as the user wrote them.
  const written = new Set(edges.filter((e) => e.via !== 'depends_on').map((e) => `${e.from}\u0000${e.to}`));
  return edges.filter((e) => {
    if (e.via !== 'depends_on' || !written.has(`${e.from}\u0000${e.to}`)) return true;
    const deps = (services[e.from] as Mapping).depends_on as Mapping;
    return childPosition(deps, e.to) !== undefined;
  });
}

function checkResourceReferences(doc: Mapping, services: Mapping, fail: (k: 'reference', p: Path, m: string, h?: string) => void): void {
  const networks = Object.keys(mappingAt(doc, 'networks'));
  const volumes = Object.keys(mappingAt(doc, 'volumes'));
  const secrets = Object.keys(mappingAt(doc, 'secrets'));
  const configs = Object.keys(mappingAt(doc, 'configs'));
  for (const [name, svc] of Object.entries(services)) {
    if (!isMapping(svc)) continue;
    const base = ['services', name];
    if (isMapping(svc.networks)) {
      for (const net of Object.keys(svc.networks)) {
        if (!networks.includes(net) && net !== 'default') {
          fail('reference', [...base, 'networks', net], `service "${name}" uses network "${net}", which is not declared`, suggestion(net, networks, 'network') ?? `declare it under the top-level networks:`);
        }
      }
    }
    if (Array.isArray(svc.volumes)) {
      svc.volumes.forEach((v, i) => {
        if (!isMapping(v) || v.type !== 'volume' || typeof v.source !== 'string' || v.source === '') return;
        if (!volumes.includes(v.source)) {
          fail('reference', [...base, 'volumes', i], `service "${name}" mounts volume "${v.source}", which is not declared`, suggestion(v.source, volumes, 'volume') ?? `declare it under the top-level volumes:, or write a path (./${v.source}) for a bind mount`);
        }
      });
    }
    for (const [key, declared] of [['secrets', secrets], ['configs', configs]] as const) {
      const list = svc[key];
      if (!Array.isArray(list)) continue;
      list.forEach((ref, i) => {
        const source = isMapping(ref) ? ref.source : ref;
        if (typeof source === 'string' && !declared.includes(source)) {
          fail('reference', [...base, key, i], `service "${name}" uses ${key.slice(0, -1)} "${source}", which is not declared`, suggestion(source, declared, key.slice(0, -1)) ?? `declare it under the top-level ${key}:`);
        }
      });
    }
  }
}

/** Depth-first search in declaration order, so the reported cycle is stable. */
function checkCycles(edges: ServiceEdge[], doc: Mapping, errors: GantryError[]): void {
  const out = new Map<string, ServiceEdge[]>();
  for (const e of edges) {
    const list = out.get(e.from);
    if (list) list.push(e);
    else out.set(e.from, [e]);
  }
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const stack: ServiceEdge[] = [];
  const reported = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 1);
    for (const e of out.get(node) ?? []) {
      const s = state.get(e.to);
      if (s === 1) {
        const start = stack.findIndex((x) => x.from === e.to);
        const cycle = [...stack.slice(start === -1 ? stack.length : start), e];
        const key = [...cycle.map((c) => c.from)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const names = [...cycle.map((c) => c.from), e.to].join(' -> ');
          const vias = new Set(cycle.map((c) => c.via));
          errors.push(new GantryError('cycle', `dependency cycle: ${names}`, {
            path: formatPath(cycle[0]!.path),
            position: positionAt(doc, cycle[0]!.path),
            hint: `services cannot wait for each other; remove one of these ${[...vias].join('/')} references`,
          }));
        }
      } else if (s === undefined) {
        stack.push(e);
        visit(e.to);
        stack.pop();
      }
    }
    state.set(node, 2);
  };
  for (const node of out.keys()) if (!state.has(node)) visit(node);
}

function isOptionalDependency(svc: Node | undefined, to: string): boolean {
  if (!isMapping(svc) || !isMapping(svc.depends_on)) return false;
  const dep = svc.depends_on[to];
  return isMapping(dep) && dep.required === false;
}

function profileHint(svc: Mapping): string | undefined {
  const profiles = Array.isArray(svc.profiles) ? svc.profiles.filter((p): p is string => typeof p === 'string') : [];
  if (profiles.length === 0) return undefined;
  return `enable its profile with --profile ${profiles[0]} (or COMPOSE_PROFILES=${profiles[0]})`;
}

function isProvider(svc: Mapping): boolean {
  return svc.provider !== undefined;
}

function replicaCount(svc: Mapping): number {
  const deploy = svc.deploy;
  const r = isMapping(deploy) ? deploy.replicas : undefined;
  const n = Number(svc.scale ?? r ?? 1);
  return Number.isFinite(n) ? n : 1;
}

function mappingAt(doc: Mapping, key: string): Mapping {
  const v = doc[key];
  return isMapping(v) ? v : {};
}
