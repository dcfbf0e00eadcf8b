// Containers: lifecycle, inspection, and the streams that reach into a running
// one (logs, attach, exec, archives). The streaming calls live in their own
// files; this one holds the interface and the plain request/response calls.

import type { Readable } from 'node:stream';
import { archiveCalls } from './container-archive.js';
import { execCalls } from './container-exec.js';
import { streamCalls } from './container-streams.js';
import type {
  ContainerDetails,
  ContainerStats,
  ContainerSummary,
  ContainerTop,
  CreateContainerRequest,
  CreateContainerResponse,
  ExecConfig,
  ExecDetails,
  Filters,
  PathStat,
} from './container-types.js';
import { EngineError } from './engine-error.js';
import type { AttachedStreams } from './attached-streams.js';
import type { LogLine } from './log-lines.js';
import { filtersArg, segment } from './query-values.js';
import type { Transport } from './transport.js';
import { chunksOf, jsonMessages } from './response-stream.js';

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface LogsOptions {
  follow?: boolean;
  /** Lines from the end; `all` (the default) for everything. */
  tail?: number | 'all';
  since?: Date | number | string;
  until?: Date | number | string;
  timestamps?: boolean;
  /** Both default to true. */
  stdout?: boolean;
  stderr?: boolean;
  /** Whether the container has a TTY (raw bytes, not frames); looked up when not given. */
  tty?: boolean;
  signal?: AbortSignal;
}

export interface AttachOptions {
  stdin?: boolean;
  /** Both default to true. */
  stdout?: boolean;
  stderr?: boolean;
  /** Replay what the container already wrote before streaming. */
  logs?: boolean;
  detachKeys?: string;
  /** Whether the container has a TTY; looked up when not given. */
  tty?: boolean;
  signal?: AbortSignal;
}

export interface ExecStartOptions {
  /** Run in the background: resolves once started, with no streams. */
  detach?: boolean;
  /** Must match the exec's Tty. */
  tty?: boolean;
  /** Connect the caller's input (the exec needs AttachStdin). */
  stdin?: boolean;
  consoleSize?: [height: number, width: number];
  signal?: AbortSignal;
}

export interface CommitOptions {
  /** Repository of the new image's tag (`app/web`); untagged without it. */
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Dockerfile instructions applied to the image's config: `ENV A=1`, `CMD ["sh"]`. */
  changes?: string[];
  /** false: do not pause the container while committing (docker pauses by default). */
  pause?: boolean;
  signal?: AbortSignal;
}

export interface ContainersClient {
  list(opts?: { all?: boolean; filters?: Filters; size?: boolean; limit?: number; signal?: AbortSignal }): Promise<ContainerSummary[]>;
  create(request: CreateContainerRequest, opts?: { name?: string; platform?: string; signal?: AbortSignal }): Promise<CreateContainerResponse>;
  /** Starting a running container is not an error. */
  start(id: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Stopping a stopped container is not an error. `timeout` in seconds before SIGKILL. */
  stop(id: string, opts?: { timeout?: number; signal?: AbortSignal }): Promise<void>;
  restart(id: string, opts?: { timeout?: number; signal?: AbortSignal }): Promise<void>;
  kill(id: string, opts?: { signal?: string }): Promise<void>;
  remove(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  /** undefined when there is no such container. */
  inspect(id: string, opts?: { signal?: AbortSignal }): Promise<ContainerDetails | undefined>;
  /** Resolves with the exit code once the condition holds (`not-running` by default). */
  wait(id: string, opts?: { condition?: WaitCondition; signal?: AbortSignal }): Promise<number>;
  rename(id: string, newName: string): Promise<void>;
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  /** Tells a TTY container its terminal's new size. */
  resize(id: string, size: { height: number; width: number }): Promise<void>;
  top(id: string, opts?: { psArgs?: string }): Promise<ContainerTop>;
  /** One sample, without waiting for a second one to compute rates. */
  /**
   * One sample. `oneShot` (the default) answers at once without a previous
   * sample; `oneShot: false` waits for a second one, so precpu_stats is set
   * and a CPU percentage can be worked out (docker stats --no-stream).
   */
  stats(id: string, opts?: { signal?: AbortSignal; oneShot?: boolean }): Promise<ContainerStats>;
  /** A sample a second until the container goes or the signal aborts. */
  statsStream(id: string, opts?: { signal?: AbortSignal }): AsyncIterable<ContainerStats>;
  /** A new image from the container's changes (POST /commit); answers the image id. */
  commit(id: string, opts?: CommitOptions): Promise<string>;
  /** The container's filesystem as a tar (GET /containers/{id}/export), to be read to its end. */
  export(id: string, opts?: { signal?: AbortSignal }): Promise<Readable>;

  /** Lines of the container's output; an abort ends the iteration quietly. */
  logs(id: string, opts?: LogsOptions): AsyncIterable<LogLine>;
  attach(id: string, opts?: AttachOptions): Promise<AttachedStreams>;

  execCreate(id: string, config: ExecConfig): Promise<string>;
  /** Attached: the exec's streams. Detached: undefined once it started. */
  execStart(execId: string, opts?: ExecStartOptions): Promise<AttachedStreams | undefined>;
  execResize(execId: string, size: { height: number; width: number }): Promise<void>;
  execInspect(execId: string): Promise<ExecDetails | undefined>;

  /** A tar archive of `path` inside the container, and what `path` is. */
  getArchive(id: string, path: string, opts?: { signal?: AbortSignal }): Promise<{ stat: PathStat | undefined; tar: Readable }>;
  /** Unpacks a tar archive into the directory `path` inside the container. */
  putArchive(id: string, path: string, tar: NodeJS.ReadableStream | Buffer, opts?: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean; signal?: AbortSignal }): Promise<void>;
  /** What `path` is inside the container; undefined when it does not exist. */
  statPath(id: string, path: string): Promise<PathStat | undefined>;
}

export function containersClient(t: Transport): ContainersClient {
  const c = (id: string) => `/containers/${segment(id)}`;
  return {
    list: (opts = {}) =>
      t.request<ContainerSummary[]>('list containers', {
        method: 'GET',
        path: '/containers/json',
        query: { all: opts.all || undefined, size: opts.size || undefined, limit: opts.limit, filters: filtersArg(opts.filters) },
        signal: opts.signal,
      }),

    create: (request, opts = {}) =>
      t.request<CreateContainerResponse>(`create container ${opts.name ?? `from ${request.Image}`}`, {
        method: 'POST',
        path: '/containers/create',
        query: { name: opts.name, platform: opts.platform },
        body: request,
        signal: opts.signal,
      }),

    start: async (id, opts = {}) => {
      await t.request(`start container ${id}`, { method: 'POST', path: `${c(id)}/start`, signal: opts.signal }, [304]);
    },
    stop: async (id, opts = {}) => {
      await t.request(`stop container ${id}`, { method: 'POST', path: `${c(id)}/stop`, query: { t: opts.timeout }, signal: opts.signal }, [304]);
    },
    restart: async (id, opts = {}) => {
      await t.request(`restart container ${id}`, { method: 'POST', path: `${c(id)}/restart`, query: { t: opts.timeout }, signal: opts.signal });
    },
    kill: async (id, opts = {}) => {
      await t.request(`kill container ${id}`, { method: 'POST', path: `${c(id)}/kill`, query: { signal: opts.signal } });
    },
    remove: async (id, opts = {}) => {
      await t.request(`remove container ${id}`, { method: 'DELETE', path: c(id), query: { force: opts.force || undefined, v: opts.volumes || undefined } });
    },
    inspect: (id, opts = {}) => t.inspect<ContainerDetails>(`inspect container ${id}`, { method: 'GET', path: `${c(id)}/json`, signal: opts.signal }),

    wait: async (id, opts = {}) => {
      const r = await t.request<{ StatusCode: number; Error?: { Message?: string } | null }>(`wait for container ${id}`, {
        method: 'POST',
        path: `${c(id)}/wait`,
        query: { condition: opts.condition },
        signal: opts.signal,
      });
      if (r.Error?.Message) throw new EngineError(`wait for container ${id}: ${r.Error.Message}`, { engineMessage: r.Error.Message });
      return r.StatusCode;
    },

    rename: async (id, newName) => {
      await t.request(`rename container ${id} to ${newName}`, { method: 'POST', path: `${c(id)}/rename`, query: { name: newName } });
    },
    pause: async (id) => {
      await t.request(`pause container ${id}`, { method: 'POST', path: `${c(id)}/pause` });
    },
    unpause: async (id) => {
      await t.request(`unpause container ${id}`, { method: 'POST', path: `${c(id)}/unpause` });
    },
    resize: async (id, size) => {
      await t.request(`resize container ${id}`, { method: 'POST', path: `${c(id)}/resize`, query: { h: size.height, w: size.width } });
    },
    top: (id, opts = {}) => t.request<ContainerTop>(`list processes of container ${id}`, { method: 'GET', path: `${c(id)}/top`, query: { ps_args: opts.psArgs } }),
    stats: (id, opts = {}) =>
      t.request<ContainerStats>(`read stats of container ${id}`, {
        method: 'GET',
        path: `${c(id)}/stats`,
        query: { stream: false, 'one-shot': opts.oneShot !== false },
        signal: opts.signal,
      }),

    commit: async (id, opts = {}) => {
      const r = await t.request<{ Id: string }>(`commit container ${id}`, {
        method: 'POST',
        path: '/commit',
        query: { container: id, repo: opts.repo, tag: opts.tag, comment: opts.comment, author: opts.author, changes: opts.changes?.length ? opts.changes : undefined, pause: opts.pause === false ? false : undefined },
        body: {},
        signal: opts.signal,
      });
      return r.Id;
    },

    export: (id, opts = {}) => t.stream(`export the filesystem of container ${id}`, { method: 'GET', path: `${c(id)}/export`, signal: opts.signal }),

    async *statsStream(id, opts = {}) {
      const what = `follow stats of container ${id}`;
      let res;
      try {
        res = await t.stream(what, { method: 'GET', path: `${c(id)}/stats`, query: { stream: true }, signal: opts.signal });
      } catch (e) {
        if (opts.signal?.aborted) return;
        throw e;
      }
      yield* jsonMessages<ContainerStats>(what, chunksOf(what, res, opts.signal));
    },

    ...streamCalls(t),
    ...execCalls(t),
    ...archiveCalls(t),
  };
}
