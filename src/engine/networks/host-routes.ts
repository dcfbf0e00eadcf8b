// The destinations the host already routes to: a new network's subnet must
// not overlap them, or the bridge would hijack traffic meant for them.

import { runHost } from './host-command.js';
import { parseCidr, type Cidr } from './ipv4.js';

export async function hostRouteSubnets(): Promise<Cidr[]> {
  const out = await runHost('ip', ['-j', '-4', 'route', 'show', 'table', 'all']);
  const routes = JSON.parse(out || '[]') as Array<{ dst?: string; type?: string }>;
  const subnets: Cidr[] = [];
  for (const r of routes) {
    // The default route covers everything and would forbid every subnet;
    // broadcast/local entries of the local table are single addresses already
    // covered by their link's route.
    if (!r.dst || r.dst === 'default' || (r.type && r.type !== 'unicast')) continue;
    const c = parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
    if (c) subnets.push(c);
  }
  return subnets;
}
