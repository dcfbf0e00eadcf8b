// Networks: list by label, inspect, create, remove, and connecting containers.

import type { Filters } from './container-types.js';
import type { CreateNetworkRequest, EndpointRequest, NetworkDetails } from './network-types.js';
import { filtersArg, segment } from './query-values.js';
import type { Transport } from './transport.js';

export interface NetworksClient {
  list(opts?: { filters?: Filters; signal?: AbortSignal }): Promise<NetworkDetails[]>;
  /** undefined when there is no such network. */
  inspect(idOrName: string, opts?: { verbose?: boolean; signal?: AbortSignal }): Promise<NetworkDetails | undefined>;
  create(request: CreateNetworkRequest): Promise<{ Id: string; Warning?: string }>;
  remove(idOrName: string): Promise<void>;
  connect(network: string, container: string, endpoint?: EndpointRequest): Promise<void>;
  disconnect(network: string, container: string, opts?: { force?: boolean }): Promise<void>;
}

export function networksClient(t: Transport): NetworksClient {
  const n = (id: string) => `/networks/${segment(id)}`;
  return {
    list: (opts = {}) =>
      t.request<NetworkDetails[]>('list networks', { method: 'GET', path: '/networks', query: { filters: filtersArg(opts.filters) }, signal: opts.signal }),

    inspect: (id, opts = {}) =>
      t.inspect<NetworkDetails>(`inspect network ${id}`, { method: 'GET', path: n(id), query: { verbose: opts.verbose || undefined }, signal: opts.signal }),

    create: (request) => t.request(`create network ${request.Name}`, { method: 'POST', path: '/networks/create', body: request }),

    async remove(id) {
      await t.request(`remove network ${id}`, { method: 'DELETE', path: n(id) });
    },

    async connect(network, container, endpoint) {
      await t.request(`connect container ${container} to network ${network}`, {
        method: 'POST',
        path: `${n(network)}/connect`,
        body: endpoint ? { Container: container, EndpointConfig: endpoint } : { Container: container },
      });
    },

    async disconnect(network, container, opts = {}) {
      await t.request(`disconnect container ${container} from network ${network}`, {
        method: 'POST',
        path: `${n(network)}/disconnect`,
        body: { Container: container, Force: Boolean(opts.force) },
      });
    },
  };
}
