// `compose watch` as a function: bring the project up (unless noUp), then
// carry out each service's `develop.watch` rules until close(). watch/ decides
// what a batch of file changes asks for; this file does it on the engine:
// sync through the archive API (a tar of the changed files, unpacked at `/`;
// deletions by `rm -rf` in the container, as docker compose does), restart,
// exec, or rebuild and recreate as `up --build --force-recreate --no-deps`.
// A failed action is reported as an event and watching goes on.

import { Readable } from 'node:stream';
import { GantryError } from '../common/errors.js';
import type { ContainerSummary, EngineClient } from '../engine-client/index.js';
import { loadProject, type LoadOptions, type Project } from '../spec/index.js';
import {
  everything,
  PathFilter,
  planBatch,
  readContextIgnore,
  syncSet,
  watchFiles,
  watchRules,
  type FileChange,
  type FileWatcher,
  type RuleWithFilter,
  type SyncSet,
  type WatchExec,
} from '../watch/index.js';
import { buildServices } from './build.js';
import type { ProgressSink } from './progress.js';
import { nameOf, openEngine, projectContainers, type EngineOptions } from './session.js';
import { archiveOf } from './tar-entries.js';
import { up } from './up.js';

export interface WatchOptions extends EngineOptions {
  /** Watch only these services (all that have develop.watch by default). */
  services?: string[];
  /** Do not run `up` first; the containers must exist. */
  noUp?: boolean;
  /** After a rebuild, remove the service's previous image when nothing uses or names it any more (default true). */
  prune?: boolean;
  /** Quiet time before a burst of changes is acted on; 500 ms by default. */
  quietMs?: number;
  onEvent?: (event: WatchEvent) => void;
  /** Progress of the initial up and of rebuilds. */
  onProgress?: ProgressSink;
  /**
   * With noUp: hold the initial sync and every action until this settles
   * (`up --watch` watches while its attached up is still creating the containers).
   */
  startAfter?: Promise<unknown>;
}

export type WatchStep = 'sync' | 'restart' | 'exec' | 'rebuild';

export type WatchEvent =
  | { kind: 'watching'; services: string[] }
  /** Before the copy; `initial` for initial_sync. */
  | { kind: 'sync'; service: string; changed: number; initial?: boolean }
  | { kind: 'restart'; service: string }
  | { kind: 'exec'; service: string; command: string[]; container: string; exitCode: number }
  | { kind: 'rebuild'; service: string; changed: number }
  /** A batch was carried out in full. */
  | { kind: 'done'; service: string; actions: WatchStep[] }
  | { kind: 'error'; service: string; action: WatchStep; error: Error };

export interface WatchHandle {
  /** The services being watched. */
  services: string[];
  /** Stops watching (waits for an action under way); containers keep running. */
  close(): Promise<void>;
}

interface ServiceWatch {
  service: string;
  rules: RuleWithFilter[];
  /** The action under way and those queued behind it. */
  queue: Promise<void>;
  watcher?: FileWatcher;
}

export async function watch(load: LoadOptions, opts: WatchOptions = {}): Promise<WatchHandle> {
  const project = await loadProject({ ...load, services: opts.services ?? load.services });
  const watched = watchedServices(project, opts.services);
  const engine = await openEngine(opts);
  // close() cuts an action short (a long build) rather than waiting for it; the caller's signal closes too.
  const stopping = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopping.signal]) : stopping.signal;
  const emit = (e: WatchEvent) => {
    if (!stopping.signal.aborted) opts.onEvent?.(e);
  };
  const ctx: Context = { load, opts, project, engine, emit, signal };
  if (!opts.noUp) {
    // up cannot build yet: the images it would build are built here first.
    for (const [name, svc] of Object.entries(project.services)) {
      if (svc.build && !svc.image && !(await engine.images.inspect(`${project.name}-${name}`, { signal: opts.signal }))) await buildImage(ctx, name);
    }
    await up(load, { ...engineOpts(opts), services: opts.services, onProgress: opts.onProgress });
  }

  const closers: ServiceWatch[] = [];
  try {
    for (const sw of watched) {
      closers.push(sw);
      // The initial sync is first in the queue, with the files already watched: what changes during it is synced after it.
      sw.queue = (opts.startAfter ?? Promise.resolve()).then(
        () => initialSync(ctx, sw),
        () => {},
      );
      sw.watcher = await watchFiles(
        sw.rules.map((r) => r.filter),
        {
          quietMs: opts.quietMs,
          onBatch: (changes) => {
            sw.queue = sw.queue.then(() => runBatch(ctx, sw, changes));
          },
          onError: (error) => emit({ kind: 'error', service: sw.service, action: 'sync', error }),
        },
      );
    }
    if (!opts.startAfter) await Promise.all(watched.map((sw) => sw.queue));
  } catch (e) {
    await Promise.all(closers.map((sw) => sw.watcher?.close()));
    throw e;
  }
  emit({ kind: 'watching', services: watched.map((w) => w.service) });
  let closed: Promise<void> | undefined;
  const handle: WatchHandle = {
    services: watched.map((w) => w.service),
    close() {
      closed ??= (async () => {
        stopping.abort();
        await Promise.all(closers.map((sw) => sw.watcher?.close()));
        await Promise.all(closers.map((sw) => sw.queue));
      })();
      return closed;
    },
  };
  opts.signal?.addEventListener('abort', () => void handle.close(), { once: true });
  return handle;
}

interface Context {
  load: LoadOptions;
  opts: WatchOptions;
  project: Project;
  engine: EngineClient;
  emit: (e: WatchEvent) => void;
  signal: AbortSignal;
}

/** The chosen services that have watch rules; an error naming what to add when none has. */
function watchedServices(project: Project, named: string[] | undefined): ServiceWatch[] {
  const out: ServiceWatch[] = [];
  const names = named?.length ? named : Object.keys(project.services).sort();
  for (const name of names) {
    const svc = project.services[name];
    if (!svc) throw new GantryError('reference', `no such service: ${name}`, { hint: `services: ${Object.keys(project.services).sort().join(', ')}` });
    const entries = (svc.develop?.watch ?? []) as Record<string, unknown>[];
    if (!entries.length) continue;
    const context = svc.build?.context ? readContextIgnore(svc.build.context, svc.build.dockerfile) : undefined;
    // The context's ignore file applies to the paths inside the context (PathFilter checks each one).
    const rules = watchRules(name, entries).map((rule) => ({ rule, filter: new PathFilter(rule, context) }));
    out.push({ service: name, rules, queue: Promise.resolve() });
  }
  if (!out.length) {
    const which = named?.length ? `the service${named.length > 1 ? 's' : ''} ${named.join(', ')}` : `project "${project.name}"`;
    throw new GantryError('usage', `none of ${which} has a develop.watch section: nothing to watch`, {
      hint: 'add to a service: develop: { watch: [ { action: sync, path: ./src, target: /app/src } ] }',
    });
  }
  return out;
}

async function initialSync(ctx: Context, sw: ServiceWatch): Promise<void> {
  for (const { rule, filter } of sw.rules) {
    if (!rule.initialSync || !rule.action.startsWith('sync')) continue;
    const changes = await everything(filter);
    ctx.emit({ kind: 'sync', service: sw.service, changed: changes.filter((c) => c.kind !== 'addDir').length, initial: true });
    try {
      await syncInto(ctx, sw.service, await syncSet(rule, changes));
    } catch (e) {
      ctx.emit({ kind: 'error', service: sw.service, action: 'sync', error: asError(e) });
    }
  }
}

async function runBatch(ctx: Context, sw: ServiceWatch, changes: FileChange[]): Promise<void> {
  const plan = planBatch(sw.rules, changes);
  if (!plan.changed) return;
  const service = sw.service;
  const done: WatchStep[] = [];
  let action: WatchStep = 'sync';
  try {
    if (plan.rebuild) {
      action = 'rebuild';
      ctx.emit({ kind: 'rebuild', service, changed: plan.changed });
      await rebuild(ctx, service);
      done.push('rebuild');
    }
    if (plan.syncs.length) {
      ctx.emit({ kind: 'sync', service, changed: plan.changed });
      for (const s of plan.syncs) await syncInto(ctx, service, await syncSet(s.rule, s.changes));
      done.push('sync');
    }
    if (plan.restart) {
      action = 'restart';
      ctx.emit({ kind: 'restart', service });
      for (const c of await running(ctx, service)) await ctx.engine.containers.restart(c.Id, { signal: ctx.signal });
      done.push('restart');
    }
    for (const rule of plan.execs) {
      action = 'exec';
      for (const c of await running(ctx, service)) {
        const exitCode = await runExec(ctx, c, rule.exec!);
        ctx.emit({ kind: 'exec', service, command: rule.exec!.command, container: nameOf(c), exitCode });
        if (exitCode !== 0) throw new GantryError('engine', `${rule.exec!.command.join(' ')} exited with code ${exitCode} in ${nameOf(c)}`);
      }
      done.push('exec');
    }
    ctx.emit({ kind: 'done', service, actions: done });
  } catch (e) {
    ctx.emit({ kind: 'error', service, action, error: asError(e) });
  }
}

async function running(ctx: Context, service: string): Promise<ContainerSummary[]> {
  const list = await projectContainers(ctx.engine, ctx.project.name, { services: [service], oneoff: false });
  if (!list.length) throw new GantryError('engine', `service "${service}" has no running container`, { hint: `start it: compose up -d ${service}` });
  return list;
}

/** Copies and deletions into every running container of the service. */
async function syncInto(ctx: Context, service: string, set: SyncSet): Promise<void> {
  if (!set.copy.length && !set.remove.length) return;
  for (const c of await running(ctx, service)) {
    if (set.remove.length) {
      const code = await runExec(ctx, c, { command: ['rm', '-rf', '--', ...set.remove] });
      if (code !== 0) throw new GantryError('engine', `deleting ${set.remove.length} path(s) in ${nameOf(c)} failed (rm exited with code ${code})`, { hint: 'the image needs an rm command for deletions to be synced' });
    }
    if (set.copy.length) await ctx.engine.containers.putArchive(c.Id, '/', Readable.from(syncArchive(set)), { signal: ctx.signal });
  }
}

/** One tar of the copied paths, each named by its container path (relative to `/`). */
function syncArchive(set: SyncSet): AsyncGenerator<Buffer> {
  return archiveOf(set.copy.map((e) => ({ host: e.host, name: e.container, isDir: e.isDir })));
}

/** Runs a command in a container to its end; its exit code. */
async function runExec(ctx: Context, c: ContainerSummary, spec: WatchExec): Promise<number> {
  const env = spec.environment ? Object.entries(spec.environment).map(([k, v]) => (v === null ? k : `${k}=${v}`)) : undefined;
  const id = await ctx.engine.containers.execCreate(c.Id, { Cmd: spec.command, Env: env, User: spec.user, WorkingDir: spec.workingDir, Privileged: spec.privileged || undefined, AttachStdout: true, AttachStderr: true, Tty: false });
  const streams = await ctx.engine.containers.execStart(id, { signal: ctx.signal });
  if (streams) {
    streams.stdout.resume();
    streams.stderr.resume();
    await streams.done;
  }
  for (let i = 0; ; i++) {
    const info = await ctx.engine.containers.execInspect(id);
    if (!info) return 0;
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (i >= 250) return info.ExitCode ?? -1;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Build the service's image and recreate its containers; then drop the old image if nothing names or uses it. */
async function rebuild(ctx: Context, service: string): Promise<void> {
  const before = await projectContainers(ctx.engine, ctx.project.name, { services: [service], oneoff: false, all: true });
  const oldImages = new Set(before.map((c) => c.ImageID));
  await buildImage(ctx, service);
  await up(ctx.load, { ...engineOpts(ctx.opts, ctx.signal), services: [service], forceRecreate: true, noDeps: true, onProgress: ctx.opts.onProgress });
  if (ctx.opts.prune === false) return;
  for (const id of oldImages) {
    const img = await ctx.engine.images.inspect(id).catch(() => undefined);
    if (!img || (img.RepoTags ?? []).some((t) => t !== '<none>:<none>')) continue;
    // Still used by some container: the engine refuses, and that is fine.
    await ctx.engine.images.remove(id).catch(() => {});
  }
}

/** The service's image from its build section, as `up --build` builds it. */
async function buildImage(ctx: Context, service: string): Promise<void> {
  if (!ctx.project.services[service]?.build) throw new GantryError('usage', `service "${service}" has a rebuild rule but no build section`, { path: `services.${service}.build`, hint: 'add build: . (the directory with its Dockerfile)' });
  await buildServices(ctx.engine, ctx.project, [service], { signal: ctx.signal, onProgress: ctx.opts.onProgress });
}

function engineOpts(opts: WatchOptions, signal = opts.signal): EngineOptions {
  return { host: opts.host, env: opts.env, signal, onNotice: opts.onNotice, startEmbedded: opts.startEmbedded };
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
