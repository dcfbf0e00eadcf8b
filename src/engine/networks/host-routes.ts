// The destinations the host already routes to: a new network's subnet must
// not overlap them, or the bridge would hijack traffic meant for them.

import { runHost } from './host-command.js';
import { parseCidr, type Cidr } from './ipv4.js';

export interface HostRoute {
  cidr: Cidr;
  /** The interface it leaves by ('' when the route names none, e.g. a blackhole). */
  dev: string;
}

export async function hostRoutes(): Promise<HostRoute[]> {
  const out = await runHost('ip', ['-j', '-4', 'route', 'show', 'table', 'all']);
  const routes = JSON.parse(out || '[]') as Array<{ dst?: string; type?: string; dev?: string }>;
  const found: HostRoute[] = [];
  for (const r of routes) {
    // The default route covers everything and would forbid every subnet;
    // broadcast/local entries of the local table are single addresses already
    // covered by their link's route.
    if (!r.dst || r.dst === 'default' || (r.type && r.type !== 'unicast')) continue;
    const c = parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
    if (c) found.push({ cidr: c, dev: r.dev ?? '' });
  }
  return found;
}

export async function hostRouteSubnets(): Promise<Cidr[]> {
  return (await hostRoutes()).map((r) => r.cidr);
}
