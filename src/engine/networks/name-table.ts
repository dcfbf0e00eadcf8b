// The names the embedded DNS server answers for: every endpoint's names
// (container name, hostname, aliases, service name) and address, per network.
// A client sees the names of every network its container is on, so one
// resolver in its resolv.conf is enough. A name held by several endpoints
// (a scaled service) answers all their addresses, rotated on every query.
// Legacy links are names of one asker only: a link alias stands for its
// target's container name when, and only when, the linking container asks.

import { contains, parseCidr, parseIpv4, type Cidr } from './ipv4.js';

export interface EndpointEntry {
  containerId: string;
  networkId: string;
  address: string;
  names: string[];
  /** The container's links: `alias` answers as `target` (a container name) for this container's queries. */
  links?: Link[];
  /** The container's own resolvers (`dns:`), asked instead of the host's for names the table does not hold. */
  upstreams?: string[];
}

export interface Link {
  alias: string;
  target: string;
}

export type NameAnswer = { kind: 'found'; values: string[] } | { kind: 'nxdomain' } | { kind: 'forward' };

export class NameTable {
  private readonly networks = new Map<string, { name: string; subnet: Cidr }>();
  private readonly endpoints = new Map<string, EndpointEntry>();
  private readonly turns = new Map<string, number>();

  addNetwork(networkId: string, name: string, subnet: string): void {
    this.networks.set(networkId, { name: name.toLowerCase(), subnet: parseCidr(subnet)! });
  }

  removeNetwork(networkId: string): void {
    this.networks.delete(networkId);
    for (const [k, e] of this.endpoints) if (e.networkId === networkId) this.endpoints.delete(k);
  }

  add(e: EndpointEntry): void {
    const links = (e.links ?? []).map((l) => ({ alias: normalize(l.alias), target: normalize(l.target) })).filter((l) => l.alias && l.target);
    this.endpoints.set(`${e.containerId}/${e.networkId}`, { ...e, names: [...new Set(e.names.map(normalize).filter(Boolean))], links });
  }

  remove(containerId: string, networkId: string): void {
    this.endpoints.delete(`${containerId}/${networkId}`);
  }

  /** The asking container's endpoints: a query from `clientIp` arriving on `networkId` may see names of their networks. */
  private askerOf(networkId: string, clientIp: string): EndpointEntry[] {
    const client = [...this.endpoints.values()].find((e) => e.networkId === networkId && e.address === clientIp);
    if (!client) return [];
    return [...this.endpoints.values()].filter((e) => e.containerId === client.containerId);
  }

  private scope(networkId: string, clientIp: string): string[] {
    const asker = this.askerOf(networkId, clientIp);
    return asker.length ? asker.map((e) => e.networkId) : [networkId];
  }

  /** The asking container's own resolvers, when it has any. */
  upstreamsOf(networkId: string, clientIp: string): string[] | undefined {
    return this.askerOf(networkId, clientIp).find((e) => e.upstreams?.length)?.upstreams;
  }

  resolve(query: string, networkId: string, clientIp: string): NameAnswer {
    const asker = this.askerOf(networkId, clientIp);
    const scope = asker.length ? asker.map((e) => e.networkId) : [networkId];
    const asked = normalize(query);
    // As docker's resolver does: a link alias is replaced by its target before any lookup.
    const name = asker.flatMap((e) => e.links ?? []).find((l) => l.alias === asked)?.target ?? asked;
    let addresses = this.addressesOf(name, scope);
    if (addresses.length === 0) {
      // `<name>.<network>` asks one network only; under a network's name
      // nothing else exists, so a miss is final rather than forwarded.
      const under = scope.find((id) => name.endsWith(`.${this.networks.get(id)?.name}`));
      if (under) {
        addresses = this.addressesOf(name.slice(0, -(this.networks.get(under)!.name.length + 1)), [under]);
        if (addresses.length === 0) return { kind: 'nxdomain' };
      }
    }
    if (addresses.length === 0) return name.includes('.') ? { kind: 'forward' } : { kind: 'nxdomain' };
    const key = `${scope.join(',')}|${name}`;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, turn + 1);
    const start = turn % addresses.length;
    return { kind: 'found', values: [...addresses.slice(start), ...addresses.slice(0, start)] };
  }

  reverse(address: string, networkId: string, clientIp: string): NameAnswer {
    const scope = this.scope(networkId, clientIp);
    const hit = [...this.endpoints.values()].find((e) => scope.includes(e.networkId) && e.address === address && e.names.length > 0);
    if (hit) return { kind: 'found', values: [hit.names[0]!] };
    const ip = parseIpv4(address);
    if (ip !== undefined && scope.some((id) => { const n = this.networks.get(id); return !!n && contains(n.subnet, ip); })) return { kind: 'nxdomain' };
    return { kind: 'forward' };
  }

  private addressesOf(name: string, scope: string[]): string[] {
    const out: string[] = [];
    for (const e of this.endpoints.values()) {
      if (scope.includes(e.networkId) && e.names.includes(name) && !out.includes(e.address)) out.push(e.address);
    }
    return out;
  }
}

function normalize(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}
