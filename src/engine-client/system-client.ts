// The engine itself: ping (API version and OS), version, info, and the events
// stream that `compose events` and `up`'s attached mode follow.

import type { Filters } from './container-types.js';
import { filtersArg, timeArg } from './query-values.js';
import { chunksOf, jsonMessages } from './response-stream.js';
import { refusal, type Transport } from './transport.js';

export interface PingResult {
  /** The newest API version the engine speaks. */
  ApiVersion?: string;
  OSType?: string;
  Experimental?: boolean;
  BuilderVersion?: string;
}

export interface EngineVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Components?: { Name: string; Version: string; Details?: Record<string, string> }[];
  [field: string]: unknown;
}

export interface EngineInfo {
  ID: string;
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  Driver: string;
  CgroupVersion?: string;
  [field: string]: unknown;
}

export interface EngineEvent {
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon' | 'plugin' | 'service' | 'node' | 'secret' | 'config' | string;
  /** `create`, `start`, `die`, `health_status: healthy`, … */
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope?: 'local' | 'swarm';
  time: number;
  timeNano: number;
  [field: string]: unknown;
}

export interface EventsOptions {
  /** `{type: ['container'], label: ['com.docker.compose.project=app']}`. */
  filters?: Filters;
  /** Replay events since then; subscribe with a `since` from before acting to miss nothing. */
  since?: Date | number | string;
  /** Stop at that time; without it, the stream runs until aborted. */
  until?: Date | number | string;
  signal?: AbortSignal;
}

export interface SystemClient {
  ping(opts?: { signal?: AbortSignal }): Promise<PingResult>;
  version(): Promise<EngineVersion>;
  info(): Promise<EngineInfo>;
  /** Engine events as they happen; an abort ends the iteration quietly. */
  events(opts?: EventsOptions): AsyncIterable<EngineEvent>;
}

export function systemClient(t: Transport): SystemClient {
  return {
    ping: (opts = {}) => ping(t, opts.signal),
    version: () => t.request<EngineVersion>('read the engine version', { method: 'GET', path: '/version' }),
    info: () => t.request<EngineInfo>('read the engine info', { method: 'GET', path: '/info' }),

    async *events(opts = {}) {
      const what = 'follow engine events';
      const signal = opts.signal;
      let res;
      try {
        res = await t.stream(what, {
          method: 'GET',
          path: '/events',
          query: { since: timeArg(opts.since), until: timeArg(opts.until), filters: filtersArg(opts.filters) },
          signal,
        });
      } catch (e) {
        if (signal?.aborted) return;
        throw e;
      }
      yield* jsonMessages<EngineEvent>(what, chunksOf(what, res, signal));
    },
  };
}

/** `/_ping` is unversioned: it is how the version gets chosen. */
export async function ping(t: Transport, signal?: AbortSignal): Promise<PingResult> {
  const what = 'ping the engine';
  const res = await t.open(what, { method: 'GET', path: '/_ping', versioned: false, signal });
  const body = await t.readBody(what, res, signal);
  if (res.statusCode !== 200) throw refusal(what, res.statusCode ?? 0, body);
  const h = (name: string) => {
    const v = res.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const result: PingResult = {};
  if (h('api-version')) result.ApiVersion = h('api-version');
  if (h('ostype')) result.OSType = h('ostype');
  if (h('docker-experimental')) result.Experimental = h('docker-experimental') === 'true';
  if (h('builder-version')) result.BuilderVersion = h('builder-version');
  return result;
}
