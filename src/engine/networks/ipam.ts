// Address management, one pool per network: a subnet (chosen from the
// default pools or given by the user), its gateway, and the addresses handed
// out. Pools are durable documents, so after an engine restart no address in
// use is handed out again.

import { join } from 'node:path';
import { badRequest, conflict, serverError } from '../api/api-error.js';
import { DocumentStore } from '../store/document-store.js';
import { contains, formatCidr, formatIpv4, lastAddress, overlaps, parseCidr, parseIpv4, size, type Cidr } from './ipv4.js';

export interface IpamConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
}

export interface PoolDoc {
  networkId: string;
  networkName: string;
  subnet: string;
  gateway: string;
  ipRange?: string;
  /** address → owner (an endpoint key). */
  allocated: Record<string, string>;
  /** Where the next search starts, so a released address is not reused at once. */
  cursor: number;
  /** Chosen from the default pools (not the user's): the engine may move it elsewhere. */
  picked?: boolean;
}

export interface Lease {
  address: string;
  prefixLen: number;
  gateway: string;
}

/** Private ranges, away from docker's 172.17-31 defaults; tried in order. */
export function* defaultSubnets(): Generator<Cidr> {
  for (let b = 80; b < 128; b++) yield { base: (10 << 24) | (b << 16), prefix: 16 };
  for (let b = 128; b < 192; b++) for (let c = 0; c < 256; c += 16) yield { base: ((10 << 24) | (b << 16) | (c << 8)) >>> 0, prefix: 20 };
}

export class Ipam {
  private readonly store: DocumentStore<PoolDoc>;
  private readonly pools = new Map<string, PoolDoc>();

  constructor(dir: string) {
    this.store = new DocumentStore(dir);
    for (const { doc } of this.store.list()) this.pools.set(doc.networkId, doc);
  }

  static at(dataRoot: string): Ipam {
    return new Ipam(join(dataRoot, 'networks', 'ipam'));
  }

  pool(networkId: string): PoolDoc | undefined {
    return this.pools.get(networkId);
  }

  /**
   * Reserves a subnet for a network. `hostRoutes` are the host's routed
   * destinations: default subnets skip them; a user subnet may only collide
   * with another gantry network's.
   */
  createPool(networkId: string, networkName: string, configs: IpamConfig[], hostRoutes: Cidr[]): { Subnet: string; Gateway: string; IPRange?: string } {
    const existing = this.pools.get(networkId);
    if (existing) return viewOf(existing);
    const v4 = configs.filter((c, i) => !isIpv6Config(c, i));
    if (configs.length !== v4.length) throw badRequest(`network ${networkName}: IPv6 subnets are not supported by this engine yet (IPAM.Config has an IPv6 entry); remove it`);
    if (v4.length > 1) throw badRequest(`network ${networkName}: IPAM.Config has ${v4.length} IPv4 entries; this engine supports one subnet per network`);
    const taken = [...this.pools.values()].map((p) => ({ name: p.networkName, cidr: parseCidr(p.subnet)! }));
    const cfg = v4[0] ?? {};
    let subnet: Cidr;
    if (cfg.Subnet) {
      subnet = checkSubnet(cfg.Subnet, networkName);
      const clash = taken.find((t) => overlaps(t.cidr, subnet));
      if (clash) throw conflict(`network ${networkName}: IPAM.Config[0].Subnet ${cfg.Subnet} overlaps network ${clash.name}'s subnet ${formatCidr(clash.cidr)}; choose another subnet`);
    } else {
      if (cfg.IPRange || cfg.Gateway) throw badRequest(`network ${networkName}: IPAM.Config[0].${cfg.IPRange ? 'IPRange' : 'Gateway'} needs IPAM.Config[0].Subnet too`);
      const busy = [...taken.map((t) => t.cidr), ...hostRoutes];
      let found: Cidr | undefined;
      for (const c of defaultSubnets()) {
        if (!busy.some((b) => overlaps(b, c))) {
          found = c;
          break;
        }
      }
      if (!found) throw serverError(`network ${networkName}: all default address pools are in use or overlap host routes; give IPAM.Config[0].Subnet`);
      subnet = found;
    }
    let range: Cidr | undefined;
    if (cfg.IPRange) {
      const r = parseCidr(cfg.IPRange);
      if (!r) throw badRequest(`network ${networkName}: IPAM.Config[0].IPRange "${cfg.IPRange}" is not an IPv4 CIDR (like 10.1.2.0/24)`);
      if (!contains(subnet, r.base) || !contains(subnet, lastAddress(r))) throw badRequest(`network ${networkName}: IPAM.Config[0].IPRange ${cfg.IPRange} is not inside the subnet ${formatCidr(subnet)}`);
      range = r;
    }
    let gateway: number;
    if (cfg.Gateway) {
      const g = parseIpv4(cfg.Gateway);
      if (g === undefined) throw badRequest(`network ${networkName}: IPAM.Config[0].Gateway "${cfg.Gateway}" is not an IPv4 address`);
      if (!usable(subnet, g)) throw badRequest(`network ${networkName}: IPAM.Config[0].Gateway ${cfg.Gateway} is not a usable address of the subnet ${formatCidr(subnet)}`);
      gateway = g;
    } else gateway = subnet.base + 1;
    const doc: PoolDoc = {
      networkId,
      networkName,
      subnet: formatCidr(subnet),
      gateway: formatIpv4(gateway),
      ...(range ? { ipRange: formatCidr(range) } : {}),
      allocated: {},
      cursor: (range ?? subnet).base,
      ...(cfg.Subnet ? {} : { picked: true }),
    };
    this.pools.set(networkId, doc);
    this.store.put(networkId, doc);
    return viewOf(doc);
  }

  removePool(networkId: string): void {
    this.pools.delete(networkId);
    this.store.delete(networkId);
  }

  /** Hands out an address to `owner`: the requested one, or the next free one of the range. */
  allocate(networkId: string, owner: string, requested?: string): Lease {
    const pool = this.mustPool(networkId);
    const subnet = parseCidr(pool.subnet)!;
    const gateway = parseIpv4(pool.gateway)!;
    let chosen: number | undefined;
    if (requested) {
      const ip = parseIpv4(requested);
      if (ip === undefined) throw badRequest(`network ${pool.networkName}: requested address "${requested}" (ipv4_address) is not an IPv4 address`);
      if (!usable(subnet, ip)) throw badRequest(`network ${pool.networkName}: requested address ${requested} (ipv4_address) is outside the usable addresses of subnet ${pool.subnet}`);
      if (ip === gateway) throw conflict(`network ${pool.networkName}: requested address ${requested} (ipv4_address) is the network's gateway`);
      const holder = pool.allocated[requested];
      if (holder && holder !== owner) throw conflict(`network ${pool.networkName}: requested address ${requested} (ipv4_address) is already in use`);
      chosen = ip;
    } else {
      const range = pool.ipRange ? parseCidr(pool.ipRange)! : subnet;
      const n = size(range);
      for (let i = 0; i < n; i++) {
        const ip = range.base + ((pool.cursor - range.base + i) % n);
        if (ip !== gateway && usable(subnet, ip) && !(formatIpv4(ip) in pool.allocated)) {
          chosen = ip;
          break;
        }
      }
      if (chosen === undefined) throw serverError(`network ${pool.networkName}: no free address left in ${pool.ipRange ?? pool.subnet}`);
      pool.cursor = chosen + 1;
    }
    pool.allocated[formatIpv4(chosen)] = owner;
    this.store.put(networkId, pool);
    return { address: formatIpv4(chosen), prefixLen: subnet.prefix, gateway: pool.gateway };
  }

  release(networkId: string, address: string): void {
    const pool = this.pools.get(networkId);
    if (!pool || !(address in pool.allocated)) return;
    delete pool.allocated[address];
    this.store.put(networkId, pool);
  }

  private mustPool(networkId: string): PoolDoc {
    const pool = this.pools.get(networkId);
    if (!pool) throw serverError(`network ${networkId} has no address pool`);
    return pool;
  }
}

function checkSubnet(text: string, networkName: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw badRequest(`network ${networkName}: IPAM.Config[0].Subnet "${text}" is not an IPv4 CIDR (like 10.1.0.0/16)`);
  if (c.hostBits) throw badRequest(`network ${networkName}: IPAM.Config[0].Subnet ${text} has host bits set; did you mean ${formatCidr(c)}?`);
  if (c.prefix > 30) throw badRequest(`network ${networkName}: IPAM.Config[0].Subnet ${text} is too small; use a prefix of /30 or shorter`);
  return c;
}

/** Not the network address nor the broadcast address. */
function usable(subnet: Cidr, ip: number): boolean {
  return contains(subnet, ip) && ip !== subnet.base && ip !== lastAddress(subnet);
}

function isIpv6Config(c: IpamConfig, _i: number): boolean {
  return [c.Subnet, c.IPRange, c.Gateway].some((v) => !!v && v.includes(':'));
}

function viewOf(p: PoolDoc): { Subnet: string; Gateway: string; IPRange?: string } {
  return { Subnet: p.subnet, Gateway: p.gateway, ...(p.ipRange ? { IPRange: p.ipRange } : {}) };
}
