// The service-to-service references a compose file can make, read off the
// bound Project. Each edge keeps the attribute that made it and its tree path,
// so a cycle or a missing service can be reported in the user's own words.

import type { ServiceConfig, ServiceDependency } from '../spec/types.js';

export type DependencyCondition = ServiceDependency['condition'];

/** The attribute that makes a service depend on another. */
export type EdgeAttribute = 'depends_on' | 'links' | 'network_mode' | 'ipc' | 'pid' | 'uts' | 'cgroup' | 'volumes_from';

/** `from` needs `to`: `to` is started first and stopped last. */
export interface DependencyEdge {
  from: string;
  to: string;
  via: EdgeAttribute;
  /** Tree path of the reference, e.g. `services.web.depends_on.db`. */
  path: string;
  condition: DependencyCondition;
  /** false: `depends_on.x.required: false`; a missing `to` is then ignored. */
  required: boolean;
  /** Restart `from` when `to` is restarted or recreated. */
  restart: boolean;
}

// Sharing a namespace with another service's container (`network_mode:
// service:x` and its siblings) needs that container running, and a new one
// when it is recreated, as compose-go's implicit dependencies say.
const SHARED_NAMESPACES = ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const;

/** Every reference `service` makes to another service, in declaration order. */
export function edgesOf(service: ServiceConfig, name: string): DependencyEdge[] {
  const edges: DependencyEdge[] = [];
  const started = (to: string, via: EdgeAttribute, path: string, restart: boolean): DependencyEdge => ({
    from: name,
    to,
    via,
    path,
    condition: 'service_started',
    required: true,
    restart,
  });

  const deps = service.depends_on;
  if (deps && typeof deps === 'object') {
    for (const [to, dep] of Object.entries(deps)) {
      edges.push({
        from: name,
        to,
        via: 'depends_on',
        path: treePath('services', name, 'depends_on', to),
        condition: dep?.condition ?? 'service_started',
        required: dep?.required !== false,
        restart: dep?.restart === true,
      });
    }
  }
  if (Array.isArray(service.links)) {
    service.links.forEach((link, i) => {
      if (typeof link !== 'string') return;
      // `svc:alias` — the alias is a host name inside `from`, not a service.
      const colon = link.indexOf(':');
      const to = colon === -1 ? link : link.slice(0, colon);
      edges.push(started(to, 'links', treePath('services', name, 'links', i), true));
    });
  }
  for (const attr of SHARED_NAMESPACES) {
    const mode = service[attr];
    if (typeof mode === 'string' && mode.startsWith('service:')) {
      edges.push(started(mode.slice('service:'.length), attr, treePath('services', name, attr), true));
    }
  }
  if (Array.isArray(service.volumes_from)) {
    service.volumes_from.forEach((source, i) => {
      // `container:name` points outside the project: no ordering to keep.
      if (typeof source !== 'string' || source.startsWith('container:')) return;
      const colon = source.indexOf(':');
      const to = colon === -1 ? source : source.slice(0, colon);
      edges.push(started(to, 'volumes_from', treePath('services', name, 'volumes_from', i), false));
    });
  }
  return edges;
}

/** How an edge reads in a sentence: `web links db`, `app network_mode service:vpn`. */
export function describeEdge(e: DependencyEdge): string {
  const shared = (SHARED_NAMESPACES as readonly string[]).includes(e.via);
  return shared ? `${e.from} ${e.via} service:${e.to}` : `${e.from} ${e.via} ${e.to}`;
}

/**
 * The loader's path notation (spec/tree.ts formatPath), repeated here because
 * graph/ may not import spec/ code: names with dots or odd characters are
 * bracketed so the path stays unambiguous.
 */
export function treePath(...segments: (string | number)[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
