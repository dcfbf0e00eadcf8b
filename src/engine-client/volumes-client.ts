// Volumes: list by label, inspect, create, remove.

import type { Filters, Labels } from './container-types.js';
import { filtersArg, segment } from './query-values.js';
import type { Transport } from './transport.js';

export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels: Labels | null;
  Scope: 'local' | 'global' | string;
  Options: Record<string, string> | null;
  [field: string]: unknown;
}

export interface CreateVolumeRequest {
  /** Left out, the engine makes up a name. */
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Labels;
}

export interface VolumesClient {
  list(opts?: { filters?: Filters; signal?: AbortSignal }): Promise<Volume[]>;
  /** undefined when there is no such volume. */
  inspect(name: string, opts?: { signal?: AbortSignal }): Promise<Volume | undefined>;
  create(request: CreateVolumeRequest): Promise<Volume>;
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
}

export function volumesClient(t: Transport): VolumesClient {
  const v = (name: string) => `/volumes/${segment(name)}`;
  return {
    async list(opts = {}) {
      const r = await t.request<{ Volumes: Volume[] | null }>('list volumes', {
        method: 'GET',
        path: '/volumes',
        query: { filters: filtersArg(opts.filters) },
        signal: opts.signal,
      });
      return r.Volumes ?? [];
    },

    inspect: (name, opts = {}) => t.inspect<Volume>(`inspect volume ${name}`, { method: 'GET', path: v(name), signal: opts.signal }),

    create: (request) => t.request<Volume>(`create volume ${request.Name ?? ''}`.trimEnd(), { method: 'POST', path: '/volumes/create', body: request }),

    async remove(name, opts = {}) {
      await t.request(`remove volume ${name}`, { method: 'DELETE', path: v(name), query: { force: opts.force || undefined } });
    },
  };
}
