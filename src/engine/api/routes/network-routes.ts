// `/networks/…`: records and endpoints. Create, remove, connect and
// disconnect go through the network service, which sets bridges and
// endpoints up on the host when it has a network manager.

import { badRequest, conflict } from '../api-error.js';
import { checkFilterNames, matchLabels, queryFilters, readJson, sendEmpty, sendJson } from '../http-io.js';
import type { Router } from '../router.js';
import type { ContainerService } from '../../containers/container-service.js';
import type { EndpointSettings } from '../../containers/docker-types.js';
import type { NetworkCreateRequest, NetworkRecord, NetworkService } from '../../networks/network-service.js';

export function registerNetworkRoutes(router: Router, networks: NetworkService, containers: ContainerService): void {
  const attached = (n: NetworkRecord) => containers.list().filter((c) => n.Name in c.Networks || n.Id in c.Networks);
  const view = (n: NetworkRecord) => {
    const members: Record<string, unknown> = {};
    for (const c of attached(n)) {
      const ep = c.Networks[n.Name] ?? c.Networks[n.Id] ?? {};
      members[c.Id] = { Name: c.Name.slice(1), EndpointID: ep.EndpointID ?? '', MacAddress: ep.MacAddress ?? '', IPv4Address: ep.IPAddress ? `${ep.IPAddress}/${ep.IPPrefixLen ?? 16}` : '', IPv6Address: '' };
    }
    return { ...n, Containers: members };
  };

  router.get('/networks', (ctx) => {
    const f = queryFilters(ctx.query);
    checkFilterNames(f, ['name', 'id', 'label', 'driver', 'type', 'scope', 'dangling']);
    const list = networks.list().filter(
      (n) =>
        matchLabels(n.Labels, f.label) &&
        (!f.name || f.name.some((x) => n.Name.includes(x))) &&
        (!f.id || f.id.some((x) => n.Id.startsWith(x))) &&
        (!f.driver || f.driver.includes(n.Driver)) &&
        (!f.type || f.type.includes(networks.isPredefined(n) ? 'builtin' : 'custom')),
    );
    sendJson(ctx.res!, 200, list.map(view));
  });

  router.get('/networks/{id}', (ctx) => sendJson(ctx.res!, 200, view(networks.find(ctx.params.id!))));

  router.post('/networks/create', async (ctx) => {
    sendJson(ctx.res!, 201, await networks.create(await readJson<NetworkCreateRequest>(ctx.req)));
  });

  router.delete('/networks/{id}', async (ctx) => {
    await networks.remove(ctx.params.id!, (n) => attached(n).map((c) => c.Id));
    sendEmpty(ctx.res!);
  });

  router.post('/networks/{id}/connect', async (ctx) => {
    const n = networks.find(ctx.params.id!);
    const body = await readJson<{ Container?: string; EndpointConfig?: EndpointSettings }>(ctx.req);
    if (!body.Container) throw badRequest('Container is required');
    const c = containers.find(body.Container);
    if (n.Name in c.Networks) throw Object.assign(conflict(`endpoint with name ${c.Name.slice(1)} already exists in network ${n.Name}`), { status: 403 });
    const wanted = body.EndpointConfig ?? {};
    const plugged = await networks.connectEndpoint(n, c.Id, {
      aliases: wanted.Aliases ?? [],
      names: [c.Name.slice(1), ...(c.Config.Hostname ? [c.Config.Hostname] : [])],
      ipv4Address: wanted.IPAMConfig?.IPv4Address,
      macAddress: wanted.MacAddress,
    });
    c.Networks[n.Name] = { ...wanted, ...(plugged ?? {}), NetworkID: n.Id };
    containers.save(c);
    containers.deps.events.publish('network', 'connect', n.Id, { container: c.Id, name: n.Name, type: n.Driver });
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });

  router.post('/networks/{id}/disconnect', async (ctx) => {
    const n = networks.find(ctx.params.id!);
    const body = await readJson<{ Container?: string; Force?: boolean }>(ctx.req);
    if (!body.Container) throw badRequest('Container is required');
    const c = containers.find(body.Container);
    if (!(n.Name in c.Networks)) throw Object.assign(badRequest(`container ${c.Id} is not connected to network ${n.Name}`), { status: 403 });
    await networks.disconnectEndpoint(n, c.Id);
    delete c.Networks[n.Name];
    containers.save(c);
    containers.deps.events.publish('network', 'disconnect', n.Id, { container: c.Id, name: n.Name, type: n.Driver });
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });

  router.post('/networks/prune', async (ctx) => {
    const f = queryFilters(ctx.query);
    const deleted: string[] = [];
    for (const n of networks.list()) {
      if (networks.isPredefined(n) || attached(n).length > 0 || !matchLabels(n.Labels, f.label)) continue;
      await networks.remove(n.Id, () => []);
      deleted.push(n.Name);
    }
    sendJson(ctx.res!, 200, { NetworksDeleted: deleted });
  });
}
