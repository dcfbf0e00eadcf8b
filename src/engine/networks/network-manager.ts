// The engine's network machinery behind one narrow surface: networks become
// bridges with an address pool, forwarding rules and a DNS server; containers
// get a sandbox (a named network namespace) with one veth per network, names
// in the DNS table, and published ports. What must survive an engine restart
// is durable (address pools, sandboxes and their endpoints); `restore`
// rebuilds the rest (DNS servers, name table, port proxies) from it.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { badRequest, conflict, notFound } from '../api/api-error.js';
import { DocumentStore } from '../store/document-store.js';
import { bridgeMac, bridgeName, ensureBridge, removeBridge } from './bridge.js';
import { DnsServer, hostResolvers, parseUpstream, type Upstream } from './dns-server.js';
import { hostRoutes, type HostRoute } from './host-routes.js';
import { withHostLock } from './host-lock.js';
import { formatCidr, overlaps, parseCidr } from './ipv4.js';
import { Ipam } from './ipam.js';
import { NameTable, type Link } from './name-table.js';
import { installNetworkRules, removeNetworkRules } from './nat.js';
import { PublishedPorts, type PortBinding, type PortBindings } from './port-proxy.js';
import * as sandbox from './sandbox.js';

/** The parts of a network record (network-service.ts) the manager reads. */
export interface ManagedNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Internal: boolean;
  EnableIPv6?: boolean;
  IPAM: { Config: Array<{ Subnet?: string; IPRange?: string; Gateway?: string }> };
}

export interface ConnectOptions {
  aliases?: string[];
  /** Container name, hostname, service name: what DNS answers for besides the aliases. */
  names?: string[];
  ipv4Address?: string;
  macAddress?: string;
  /** Legacy links: names only this container resolves, each to another container's name. */
  links?: Link[];
  /** The container's own resolvers (`dns:`): its embedded DNS forwards to them instead of the host's. */
  upstreams?: string[];
}

/** docker's EndpointSettings, as the manager fills them. */
export interface EndpointResult {
  NetworkID: string;
  EndpointID: string;
  IPAddress: string;
  IPPrefixLen: number;
  Gateway: string;
  MacAddress: string;
  Aliases: string[] | null;
  DNSNames: string[];
}

interface EndpointDoc {
  networkId: string;
  ifname: string;
  address: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  endpointId: string;
  names: string[];
  aliases: string[];
  links?: Link[];
  upstreams?: string[];
  internal: boolean;
}

interface SandboxDoc {
  containerId: string;
  netnsPath: string;
  /** In attach order: the first non-internal one carries the default route. */
  endpoints: EndpointDoc[];
  published?: { bound: Record<string, PortBinding[]>; targetIp: string };
}

interface LiveNetwork {
  record: ManagedNetwork;
  bridge: string;
  subnet: string;
  gateway: string;
  dns?: DnsServer;
}

export interface NetworkManagerOptions {
  dataRoot: string;
  /** Resolvers for names the engine does not own; default: the host's /etc/resolv.conf. */
  upstreams?: string[];
  /** Where the DNS servers listen on each gateway; 53 unless a test says otherwise. */
  dnsPort?: number;
  defaultHostIp?: string;
  udpIdleMs?: number;
  /** The engine's log. */
  log?: (line: string) => void;
}

const DEFAULT_BRIDGE = 'bridge';

export class NetworkManager {
  private readonly ipam: Ipam;
  private readonly sandboxes: DocumentStore<SandboxDoc>;
  private readonly names = new NameTable();
  private readonly live = new Map<string, LiveNetwork>();
  /** Networks restore could not set up again, with the reason connect answers. */
  private readonly unusable = new Map<string, Error>();
  private readonly ports = new Map<string, PublishedPorts>();
  private readonly upstreams: Upstream[];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: NetworkManagerOptions) {
    this.ipam = new Ipam(join(opts.dataRoot, 'networks', 'ipam'));
    this.sandboxes = new DocumentStore(join(opts.dataRoot, 'networks', 'sandboxes'));
    this.upstreams = opts.upstreams ? opts.upstreams.map(parseUpstream) : hostResolvers();
  }

  /** One change at a time: plugging, addressing and rule edits are multi-step host changes. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sets the network up on the host; answers the IPAM config actually used (subnet and gateway filled in). */
  createNetwork(record: ManagedNetwork): Promise<Array<{ Subnet: string; Gateway: string; IPRange?: string }>> {
    return this.exclusive(() => this.setUp(record, true));
  }

  private async setUp(record: ManagedNetwork, fresh: boolean): Promise<Array<{ Subnet: string; Gateway: string; IPRange?: string }>> {
    if (record.Driver !== 'bridge') return [];
    if (record.EnableIPv6) throw badRequest(`network ${record.Name}: IPv6 (enable_ipv6) is not supported by this engine yet; leave it off`);
    const bridge = bridgeName(record.Id);
    let configs = record.IPAM.Config ?? [];
    const kept = this.ipam.pool(record.Id);
    if (kept) {
      // Another engine (or anything else) may have taken the subnet while this one was down.
      const clash = foreignOverlap(await hostRoutes(), kept.subnet, bridge);
      if (clash) {
        const inUse = Object.keys(kept.allocated).length;
        if (!kept.picked || inUse > 0) {
          throw conflict(
            `network ${record.Name}: its subnet ${kept.subnet} now overlaps ${formatCidr(clash.cidr)} on ${clash.dev || 'a route'} of this host (taken while this engine was down)` +
              (inUse > 0 ? ` and ${inUse} container(s) still hold addresses in it` : '') +
              `; remove the network and create it again${kept.picked ? '' : ' with another subnet'}`,
          );
        }
        // Nothing holds an address and the subnet was ours to choose: move it.
        await removeNetworkRules(bridge, kept.subnet);
        this.ipam.removePool(record.Id);
        configs = [];
      }
    }
    const had = !!this.ipam.pool(record.Id);
    const bridgeUp = async () => {
      const chosen = this.ipam.createPool(record.Id, record.Name, configs, had ? [] : (await hostRoutes()).map((r) => r.cidr));
      await ensureBridge(bridge, chosen.Gateway, Number(chosen.Subnet.split('/')[1]), bridgeMac(record.Id));
      return chosen;
    };
    let pool: { Subnet: string; Gateway: string; IPRange?: string };
    try {
      // Until the bridge is up its subnet shows in no route: another engine must not choose meanwhile.
      pool = had ? await bridgeUp() : await withHostLock('subnets', bridgeUp);
    } catch (e) {
      if (!had) {
        await removeBridge(bridge).catch(() => undefined);
        this.ipam.removePool(record.Id);
      }
      throw e;
    }
    const net: LiveNetwork = { record, bridge, subnet: pool.Subnet, gateway: pool.Gateway };
    try {
      await installNetworkRules(bridge, pool.Subnet, record.Internal);
      const dns = new DnsServer({
        address: pool.Gateway,
        port: this.opts.dnsPort ?? 53,
        upstreams: this.upstreams,
        source: {
          resolve: (name, client) => this.names.resolve(name, record.Id, client),
          reverse: (address, client) => this.names.reverse(address, record.Id, client),
          upstreams: (client) => this.names.upstreamsOf(record.Id, client)?.map(parseUpstream),
        },
      });
      await dns.start();
      net.dns = dns;
    } catch (e) {
      if (fresh || !had) {
        await removeNetworkRules(bridge, pool.Subnet).catch(() => undefined);
        await removeBridge(bridge).catch(() => undefined);
        if (!had) this.ipam.removePool(record.Id);
      }
      throw e;
    }
    this.names.addNetwork(record.Id, record.Name, pool.Subnet);
    this.live.set(record.Id, net);
    this.unusable.delete(record.Id);
    return [pool];
  }

  removeNetwork(record: ManagedNetwork): Promise<void> {
    return this.exclusive(async () => {
      const net = this.live.get(record.Id);
      const pool = this.ipam.pool(record.Id);
      await net?.dns?.stop();
      const bridge = bridgeName(record.Id);
      if (pool) await removeNetworkRules(bridge, pool.subnet);
      await removeBridge(bridge);
      this.names.removeNetwork(record.Id);
      this.ipam.removePool(record.Id);
      this.live.delete(record.Id);
      this.unusable.delete(record.Id);
    });
  }

  /**
   * After an engine restart: networks set up again (idempotently), and the
   * sandboxes whose namespace still exists taken back with their names and
   * published ports; the others' addresses are released.
   */
  restore(records: ManagedNetwork[]): Promise<void> {
    return this.exclusive(async () => {
      // One network that cannot come back must not keep the engine (and the other networks) down.
      for (const r of records) {
        if (this.live.has(r.Id)) continue;
        try {
          await this.setUp(r, false);
        } catch (e) {
          this.unusable.set(r.Id, e as Error);
        }
      }
      for (const { doc } of this.sandboxes.list()) {
        if (!existsSync(doc.netnsPath)) {
          for (const ep of doc.endpoints) this.ipam.release(ep.networkId, ep.address);
          this.sandboxes.delete(doc.containerId);
          continue;
        }
        for (const ep of doc.endpoints) this.addNames(doc.containerId, ep);
        if (doc.published && !this.ports.has(doc.containerId)) {
          const { ports } = await PublishedPorts.open(doc.published.bound, doc.published.targetIp, this.proxyOptions());
          this.ports.set(doc.containerId, ports);
        }
      }
    });
  }

  createSandbox(containerId: string): Promise<{ netnsPath: string }> {
    return this.exclusive(async () => {
      const existing = this.sandboxes.get(containerId);
      const netnsPath = await sandbox.createSandbox(containerId);
      if (!existing) this.sandboxes.put(containerId, { containerId, netnsPath, endpoints: [] });
      return { netnsPath };
    });
  }

  connect(containerId: string, network: ManagedNetwork, opts: ConnectOptions = {}): Promise<EndpointResult> {
    return this.exclusive(async () => {
      const doc = this.mustSandbox(containerId);
      const net = this.live.get(network.Id);
      if (!net) throw this.unusable.get(network.Id) ?? notFound(`network ${network.Name} is not set up on this host`);
      if (doc.endpoints.some((e) => e.networkId === network.Id)) throw badRequest(`container ${containerId.slice(0, 12)} is already connected to network ${network.Name}`);
      const lease = this.ipam.allocate(network.Id, containerId, opts.ipv4Address || undefined);
      const used = new Set(doc.endpoints.map((e) => e.ifname));
      let n = 0;
      while (used.has(`eth${n}`)) n++;
      const ep: EndpointDoc = {
        networkId: network.Id,
        ifname: `eth${n}`,
        address: lease.address,
        prefixLen: lease.prefixLen,
        gateway: lease.gateway,
        macAddress: opts.macAddress || sandbox.macFor(lease.address),
        endpointId: randomBytes(32).toString('hex'),
        // The default bridge has no name service, as in docker.
        names: network.Name === DEFAULT_BRIDGE ? [] : [...(opts.names ?? []), ...(opts.aliases ?? []), containerId.slice(0, 12)],
        aliases: opts.aliases ?? [],
        ...(network.Name !== DEFAULT_BRIDGE && opts.links?.length ? { links: opts.links } : {}),
        ...(opts.upstreams?.length ? { upstreams: opts.upstreams } : {}),
        internal: network.Internal,
      };
      try {
        await sandbox.plugIn({ containerId, networkId: network.Id, bridge: net.bridge, ifname: ep.ifname, address: ep.address, prefixLen: ep.prefixLen, macAddress: ep.macAddress });
        doc.endpoints.push(ep);
        await this.routeDefault(doc);
      } catch (e) {
        doc.endpoints = doc.endpoints.filter((x) => x !== ep);
        await sandbox.unplug(containerId, network.Id).catch(() => undefined);
        this.ipam.release(network.Id, lease.address);
        throw e;
      }
      this.sandboxes.put(containerId, doc);
      this.addNames(containerId, ep);
      return endpointView(ep);
    });
  }

  disconnect(containerId: string, network: Pick<ManagedNetwork, 'Id' | 'Name'>): Promise<void> {
    return this.exclusive(async () => {
      const doc = this.sandboxes.get(containerId);
      const ep = doc?.endpoints.find((e) => e.networkId === network.Id);
      if (!doc || !ep) return;
      this.names.remove(containerId, network.Id);
      await sandbox.unplug(containerId, network.Id);
      doc.endpoints = doc.endpoints.filter((e) => e !== ep);
      this.ipam.release(network.Id, ep.address);
      this.sandboxes.put(containerId, doc);
      await this.routeDefault(doc);
    });
  }

  destroySandbox(containerId: string): Promise<void> {
    return this.exclusive(async () => {
      await this.closePorts(containerId);
      const doc = this.sandboxes.get(containerId);
      for (const ep of doc?.endpoints ?? []) {
        this.names.remove(containerId, ep.networkId);
        // The kernel tears a deleted namespace's veths down later, in its own
        // time; unplugged here, the port has left its bridge when this returns.
        await sandbox.unplug(containerId, ep.networkId);
        this.ipam.release(ep.networkId, ep.address);
      }
      await sandbox.destroySandbox(containerId);
      this.sandboxes.delete(containerId);
    });
  }

  /** Nameservers for the container's resolv.conf: its networks' gateways, where the DNS servers listen. */
  resolverFor(containerId: string): string[] {
    const doc = this.sandboxes.get(containerId);
    return [...new Set((doc?.endpoints ?? []).filter((e) => this.live.get(e.networkId)?.dns).map((e) => e.gateway))];
  }

  /** The endpoint of a container on a network, as inspect shows it. */
  endpoint(containerId: string, networkId: string): EndpointResult | undefined {
    const ep = this.sandboxes.get(containerId)?.endpoints.find((e) => e.networkId === networkId);
    return ep && endpointView(ep);
  }

  hasSandbox(containerId: string): boolean {
    return !!this.sandboxes.get(containerId);
  }

  /** The subnet and gateway a network got, for its record's IPAM.Config. */
  addressing(networkId: string): { Subnet: string; Gateway: string; IPRange?: string } | undefined {
    const p = this.ipam.pool(networkId);
    return p && { Subnet: p.subnet, Gateway: p.gateway, ...(p.ipRange ? { IPRange: p.ipRange } : {}) };
  }

  publish(containerId: string, bindings: PortBindings, targetIp: string): Promise<Record<string, PortBinding[]>> {
    return this.exclusive(async () => {
      await this.closePorts(containerId);
      const { ports, bound } = await PublishedPorts.open(bindings, targetIp, this.proxyOptions());
      this.ports.set(containerId, ports);
      const doc = this.sandboxes.get(containerId);
      if (doc) this.sandboxes.put(containerId, { ...doc, published: { bound, targetIp } });
      return bound;
    });
  }

  unpublish(containerId: string): Promise<void> {
    return this.exclusive(() => this.closePorts(containerId));
  }

  /** Engine shutdown: listeners close; bridges, rules and sandboxes stay for the containers that keep running. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      for (const p of this.ports.values()) await p.close();
      this.ports.clear();
      for (const n of this.live.values()) await n.dns?.stop();
      this.live.clear();
    });
  }

  private async closePorts(containerId: string): Promise<void> {
    await this.ports.get(containerId)?.close();
    this.ports.delete(containerId);
    const doc = this.sandboxes.get(containerId);
    if (doc?.published) {
      delete doc.published;
      this.sandboxes.put(containerId, doc);
    }
  }

  private proxyOptions() {
    return { defaultHostIp: this.opts.defaultHostIp ?? '0.0.0.0', udpIdleMs: this.opts.udpIdleMs ?? 30_000, log: this.opts.log };
  }

  private mustSandbox(containerId: string): SandboxDoc {
    const doc = this.sandboxes.get(containerId);
    if (!doc) throw badRequest(`container ${containerId.slice(0, 12)} has no network sandbox; create it before connecting networks`);
    return doc;
  }

  private async routeDefault(doc: SandboxDoc): Promise<void> {
    await sandbox.setDefaultRoute(doc.containerId, doc.endpoints.find((e) => !e.internal)?.gateway);
  }

  private addNames(containerId: string, ep: EndpointDoc): void {
    this.names.add({ containerId, networkId: ep.networkId, address: ep.address, names: ep.names, links: ep.links, upstreams: ep.upstreams });
  }
}

/** A route of the host, on another interface than `bridge`, that overlaps `subnet`. */
function foreignOverlap(routes: HostRoute[], subnet: string, bridge: string): HostRoute | undefined {
  const mine = parseCidr(subnet)!;
  return routes.find((r) => r.dev !== bridge && overlaps(r.cidr, mine));
}

function endpointView(ep: EndpointDoc): EndpointResult {
  return {
    NetworkID: ep.networkId,
    EndpointID: ep.endpointId,
    IPAddress: ep.address,
    IPPrefixLen: ep.prefixLen,
    // Internal networks lead nowhere, so docker shows no gateway for them.
    Gateway: ep.internal ? '' : ep.gateway,
    MacAddress: ep.macAddress,
    Aliases: ep.aliases.length ? ep.aliases : null,
    DNSNames: ep.names,
  };
}
