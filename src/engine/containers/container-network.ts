// A container's place on the engine's networks while it runs: its network
// namespace (the sandbox), one endpoint per network with an address and DNS
// names, its published ports, and the resolvers for its resolv.conf. Set up
// before the runtime starts it, torn down when it exits.

import { badRequest, serverError } from '../api/api-error.js';
import { displayName, type ContainerRecord } from './container-record.js';
import type { ContainerService } from './container-service.js';

export interface Plugged {
  /** The namespace the bundle joins; 'host' shares the engine's; undefined: a new empty one. */
  netnsPath?: string | 'host';
  nameservers: string[];
}

export async function plugIn(svc: ContainerService, c: ContainerRecord): Promise<Plugged> {
  const mode = c.HostConfig.NetworkMode || 'default';
  if (mode === 'host') return { netnsPath: 'host', nameservers: [] };
  if (mode.startsWith('container:')) {
    const other = svc.find(mode.slice('container:'.length));
    if (!other.State.Running || !other.State.Pid) throw badRequest(`cannot join network of a non running container: ${other.Id}`);
    // Sharing the other's network means sharing its resolvers (docker shares its resolv.conf).
    return { netnsPath: `/proc/${other.State.Pid}/ns/net`, nameservers: svc.deps.networks?.manager?.resolverFor(other.Id) ?? [] };
  }
  const networks = svc.deps.networks;
  const manager = networks?.manager;
  if (!networks || !manager) return { nameservers: [] };
  // `none`: the runtime's own fresh namespace (loopback only) is all it needs.
  if (mode === 'none') return { nameservers: [] };
  const { netnsPath } = await manager.createSandbox(c.Id);
  try {
    const names = Object.keys(c.Networks).length > 0 ? Object.keys(c.Networks) : [mode === 'default' ? 'bridge' : mode];
    for (const name of names) {
      const n = networks.find(name === 'default' ? 'bridge' : name);
      const wanted = c.Networks[name] ?? {};
      const endpoint = await manager.connect(c.Id, n, {
        aliases: wanted.Aliases ?? [],
        names: [displayName(c), c.Config.Hostname ?? '', c.Id.slice(0, 12), ...(wanted.DNSNames ?? [])].filter(Boolean),
        ipv4Address: wanted.IPAMConfig?.IPv4Address || undefined,
        // Config.MacAddress is the primary network's, as in docker; a second
        // network with the same MAC would make neighbours' ARP ambiguous.
        macAddress: wanted.MacAddress || (name === names[0] ? c.Config.MacAddress : undefined) || undefined,
        links: [...(c.HostConfig.Links ?? []), ...(wanted.Links ?? [])].map((l) => parseLink(svc, l)),
        upstreams: c.HostConfig.Dns ?? undefined,
      });
      if (name !== n.Name) delete c.Networks[name];
      c.Networks[n.Name] = { ...wanted, ...endpoint };
    }
    const first = Object.values(c.Networks).find((e) => e.IPAddress);
    if (first?.IPAddress && Object.keys(c.HostConfig.PortBindings ?? {}).length > 0) {
      try {
        c.PublishedPorts = await manager.publish(c.Id, c.HostConfig.PortBindings ?? {}, first.IPAddress);
      } catch (e) {
        throw serverError(`driver failed programming external connectivity on endpoint ${displayName(c)}: ${(e as Error).message}`);
      }
    }
    return { netnsPath, nameservers: manager.resolverFor(c.Id) };
  } catch (e) {
    await unplug(svc, c);
    throw e;
  }
}

export async function unplug(svc: ContainerService, c: ContainerRecord): Promise<void> {
  const manager = svc.deps.networks?.manager;
  if (!manager) return;
  await manager.unpublish(c.Id).catch(() => undefined);
  if (manager.hasSandbox(c.Id)) await manager.destroySandbox(c.Id).catch((e) => svc.deps.log?.(`network teardown of ${c.Id}: ${(e as Error).message}`));
  c.PublishedPorts = undefined;
  for (const e of Object.values(c.Networks)) {
    e.IPAddress = '';
    e.IPPrefixLen = 0;
    e.Gateway = '';
    e.EndpointID = '';
  }
}

/**
 * A legacy link as the API carries it: `name:alias`, docker's stored
 * `/name:/linker/alias`, or a bare `name` (its own alias). The target is kept
 * as a container name, so a target recreated under the same name is found.
 */
export function parseLink(svc: Pick<ContainerService, 'lookup'>, link: string): { alias: string; target: string } {
  const [rawTarget = '', rawAlias] = link.split(':');
  const target = rawTarget.replace(/^\//, '');
  const alias = rawAlias ? rawAlias.slice(rawAlias.lastIndexOf('/') + 1) : target;
  let found: ContainerRecord | undefined;
  try {
    found = svc.lookup(target);
  } catch {
    // An ambiguous id prefix: the name as given is all there is to go by.
  }
  return { alias, target: found ? displayName(found) : target };
}
