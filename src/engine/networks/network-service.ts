// Network records, durable and shaped as docker's. With a NetworkManager
// (network-manager.ts) behind it, a bridge network is set up on the host when
// its record is created (the record's IPAM.Config then shows the subnet and
// gateway it got) and torn down when it is removed; endpoints of containers
// that have a sandbox are plugged in and out as they connect and disconnect.
// Nothing is stored when the host refuses a network.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { badRequest, conflict, noSuchNetwork } from '../api/api-error.js';
import type { EventBus } from '../events/event-bus.js';
import { DocumentStore } from '../store/document-store.js';
import type { ConnectOptions, EndpointResult, NetworkManager } from './network-manager.js';

export interface NetworkRecord {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: string;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: Array<{ Subnet?: string; IPRange?: string; Gateway?: string }> };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

export interface NetworkCreateRequest {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  CheckDuplicate?: boolean;
  IPAM?: { Driver?: string; Config?: Array<{ Subnet?: string; IPRange?: string; Gateway?: string }>; Options?: Record<string, string> };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

const PREDEFINED: Array<[string, string]> = [
  ['bridge', 'bridge'],
  ['host', 'host'],
  ['none', 'null'],
];

export class NetworkService {
  private readonly store: DocumentStore<NetworkRecord>;
  private readonly networks = new Map<string, NetworkRecord>();

  constructor(
    dataRoot: string,
    private readonly events: EventBus,
    readonly manager?: NetworkManager,
  ) {
    this.store = new DocumentStore(join(dataRoot, 'records', 'networks'));
    for (const { doc } of this.store.list()) this.networks.set(doc.Id, doc);
    for (const [name, driver] of PREDEFINED) {
      if (!this.lookup(name)) this.add(this.record({ Name: name, Driver: driver }));
    }
  }

  private record(req: NetworkCreateRequest): NetworkRecord {
    return {
      Name: req.Name!,
      Id: randomBytes(32).toString('hex'),
      Created: new Date().toISOString(),
      Scope: 'local',
      Driver: req.Driver || 'bridge',
      EnableIPv6: false,
      IPAM: { Driver: req.IPAM?.Driver || 'default', Options: req.IPAM?.Options ?? null, Config: req.IPAM?.Config ?? [] },
      Internal: !!req.Internal,
      Attachable: !!req.Attachable,
      Ingress: false,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Options: req.Options ?? {},
      Labels: req.Labels ?? {},
    };
  }

  private add(n: NetworkRecord): void {
    this.networks.set(n.Id, n);
    this.store.put(n.Id, n);
  }

  list(): NetworkRecord[] {
    return [...this.networks.values()];
  }

  lookup(ref: string): NetworkRecord | undefined {
    const byId = this.networks.get(ref);
    if (byId) return byId;
    for (const n of this.networks.values()) if (n.Name === ref) return n;
    const prefix = [...this.networks.values()].filter((n) => ref.length >= 1 && n.Id.startsWith(ref));
    return prefix.length === 1 ? prefix[0] : undefined;
  }

  find(ref: string): NetworkRecord {
    const n = this.lookup(ref);
    if (!n) throw noSuchNetwork(ref);
    return n;
  }

  isPredefined(n: NetworkRecord): boolean {
    return PREDEFINED.some(([name]) => name === n.Name);
  }

  /** After an engine start: every bridge network set up on the host again (the predefined one the first time). */
  async restore(): Promise<void> {
    if (!this.manager) return;
    const bridges = this.list().filter((n) => n.Driver === 'bridge');
    await this.manager.restore(bridges);
    for (const n of bridges) {
      const addressing = this.manager.addressing(n.Id);
      // Filled in the first time; changed when restore moved a subnet another engine had taken.
      if (addressing && n.IPAM.Config[0]?.Subnet !== addressing.Subnet) this.add({ ...n, IPAM: { ...n.IPAM, Config: [addressing] } });
    }
  }

  async create(req: NetworkCreateRequest): Promise<{ Id: string; Warning: string }> {
    if (!req.Name) throw badRequest('network name is required (Name)');
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(req.Name)) throw badRequest(`invalid network name "${req.Name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const driver = req.Driver || 'bridge';
    if (driver !== 'bridge') throw badRequest(`network driver "${driver}" is not supported by this engine; use bridge`);
    if (req.EnableIPv6) throw badRequest(`network ${req.Name}: IPv6 (enable_ipv6) is not supported by this engine yet; leave it off`);
    if (this.lookup(req.Name)?.Name === req.Name) throw conflict(`network with name ${req.Name} already exists`);
    const n = this.record({ ...req, Driver: driver });
    if (this.manager) n.IPAM.Config = await this.manager.createNetwork(n);
    this.add(n);
    this.events.publish('network', 'create', n.Id, { name: n.Name, type: n.Driver });
    return { Id: n.Id, Warning: '' };
  }

  async remove(ref: string, usedBy: (n: NetworkRecord) => string[]): Promise<void> {
    const n = this.find(ref);
    if (this.isPredefined(n)) throw Object.assign(badRequest(`${n.Name} is a pre-defined network and cannot be removed`), { status: 403 });
    const users = usedBy(n);
    if (users.length > 0) throw conflict(`error while removing network: network ${n.Name} id ${n.Id} has active endpoints`);
    await this.manager?.removeNetwork(n);
    this.networks.delete(n.Id);
    this.store.delete(n.Id);
    this.events.publish('network', 'destroy', n.Id, { name: n.Name, type: n.Driver });
  }

  /**
   * Plugs a container with a sandbox into the network; undefined when it has
   * none yet (not running: it is plugged in when it starts).
   */
  async connectEndpoint(n: NetworkRecord, containerId: string, opts: ConnectOptions): Promise<EndpointResult | undefined> {
    if (!this.manager?.hasSandbox(containerId)) return undefined;
    return this.manager.connect(containerId, n, opts);
  }

  async disconnectEndpoint(n: NetworkRecord, containerId: string): Promise<void> {
    await this.manager?.disconnect(containerId, n);
  }
}
