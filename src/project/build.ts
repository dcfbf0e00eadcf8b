// `compose build`, and the builds `up` and `watch` need: each service with a
// `build:` section gets its image from its context (sent as a tar, minus what
// .dockerignore leaves out) through the engine's `POST /build`, tagged as its
// `image:` or `<project>-<service>`, as docker compose names it.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GantryError } from '../common/errors.js';
import { isEngineError, type BuildOptions as EngineBuildOptions, type EngineClient } from '../engine-client/index.js';
import type { LoadOptions, Project } from '../spec/index.js';
import type { BuildConfig, ServiceConfig } from '../spec/types.js';
import { buildContextFiles } from '../watch/index.js';
import type { ProgressSink } from './progress.js';
import { openSession, type EngineOptions } from './session.js';
import { archiveOf } from './tar-entries.js';

export interface BuildOptions extends EngineOptions {
  /** Services to build; every one with a build section when empty. */
  services?: string[];
  noCache?: boolean;
  /** Fetch newer base images first. */
  pull?: boolean;
  /** `--build-arg`: over the file's args. */
  buildArgs?: Record<string, string>;
  /** At most this many builds at once. */
  parallel?: number;
  onProgress?: ProgressSink;
  /** The builder's output lines, per service (`Step 1/3 : FROM …`). */
  onOutput?: (service: string, text: string) => void;
}

export interface BuiltImage {
  service: string;
  /** The tag it got. */
  image: string;
}

export async function build(load: LoadOptions, opts: BuildOptions = {}): Promise<BuiltImage[]> {
  const { project, engine } = await openSession(load, opts);
  const named = opts.services ?? [];
  for (const s of named) {
    if (!project.services[s]) throw new GantryError('usage', `no such service: ${s}`);
  }
  const services = (named.length ? named : Object.keys(project.services)).filter((s) => project.services[s]!.build);
  return buildServices(engine, project, services, opts);
}

/** The image a service's build makes. */
export function builtImageName(project: Project, service: string): string {
  return project.services[service]!.image ?? `${project.name}-${service}`;
}

/** Builds `services` (each must have a build section), a few at a time. */
export async function buildServices(engine: EngineClient, project: Project, services: string[], opts: Omit<BuildOptions, keyof EngineOptions | 'services'> & { signal?: AbortSignal } = {}): Promise<BuiltImage[]> {
  const queue = [...services];
  const out: BuiltImage[] = [];
  const worker = async () => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) out.push(await buildOne(engine, project, s, opts));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel ?? 4, queue.length)) }, worker));
  return services.map((s) => out.find((b) => b.service === s)!);
}

async function buildOne(engine: EngineClient, project: Project, service: string, opts: Omit<BuildOptions, keyof EngineOptions | 'services'> & { signal?: AbortSignal }): Promise<BuiltImage> {
  const svc = project.services[service]!;
  const spec = svc.build;
  if (!spec) throw new GantryError('usage', `service "${service}" has no build section`, { path: `services.${service}.build`, hint: 'add build: . (the directory with its Dockerfile)' });
  const image = builtImageName(project, service);
  const emit = opts.onProgress ?? (() => {});
  emit({ object: 'Image', name: image, status: 'Building', done: false });
  try {
    const { archive, dockerfile } = await contextArchive(service, spec.context, spec.dockerfile, spec.dockerfile_inline);
    for await (const m of engine.images.build(Readable.from(archive), { ...engineOptions(svc, opts), tags: [image, ...tagsOf(spec)], dockerfile, signal: opts.signal })) {
      if (m.stream) opts.onOutput?.(service, m.stream);
    }
  } catch (e) {
    const message = isEngineError(e) ? (e.engineMessage ?? e.message) : e instanceof Error ? e.message : String(e);
    emit({ object: 'Image', name: image, status: 'Error', detail: message, done: true });
    if (e instanceof GantryError && !isEngineError(e)) throw e;
    throw new GantryError('engine', `service "${service}": build failed: ${message}`, { cause: e, hint: isEngineError(e) ? e.hint : undefined });
  }
  emit({ object: 'Image', name: image, status: 'Built', done: true });
  return { service, image };
}

/** The context as a tar; an inline Dockerfile travels in it under a name of its own. */
async function contextArchive(service: string, context: string, dockerfile = 'Dockerfile', inline?: string): Promise<{ archive: AsyncGenerator<Buffer>; dockerfile: string }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context)) {
    throw new GantryError('usage', `service "${service}": building from a remote context (${context}) is not supported`, { path: `services.${service}.build.context`, hint: 'clone it and point build.context at the directory' });
  }
  if (inline !== undefined) {
    const name = `.gantry-inline-${createHash('sha256').update(inline).digest('hex').slice(0, 12)}.Dockerfile`;
    const files = await buildContextFiles(context, name);
    return { archive: archiveOf(files.map((f) => ({ host: f.host, name: f.container, isDir: f.isDir })), [{ name, content: Buffer.from(inline) }]), dockerfile: name };
  }
  const files = await buildContextFiles(context, dockerfile).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new GantryError('usage', `service "${service}": build context ${context} does not exist`, { path: `services.${service}.build.context` });
    throw e;
  });
  return { archive: archiveOf(files.map((f) => ({ host: f.host, name: f.container, isDir: f.isDir }))), dockerfile };
}

function tagsOf(spec: BuildConfig): string[] {
  return Array.isArray(spec.tags) ? (spec.tags as unknown[]).filter((t): t is string => typeof t === 'string') : [];
}

function engineOptions(svc: ServiceConfig, opts: { noCache?: boolean; pull?: boolean; buildArgs?: Record<string, string> }): EngineBuildOptions {
  const spec = svc.build!;
  const args: Record<string, string> = {};
  // An arg without a value takes the environment's at load time; one still unset is left to the Dockerfile's default.
  for (const [k, v] of Object.entries(spec.args ?? {})) if (v !== null && v !== undefined) args[k] = v;
  Object.assign(args, opts.buildArgs ?? {});
  const platforms = Array.isArray(spec.platforms) ? (spec.platforms as string[]) : [];
  return {
    buildArgs: args,
    target: spec.target,
    labels: spec.labels,
    noCache: opts.noCache || spec.no_cache === true || undefined,
    pull: opts.pull || spec.pull === true || undefined,
    cacheFrom: Array.isArray(spec.cache_from) ? (spec.cache_from as string[]) : undefined,
    networkMode: typeof spec.network === 'string' ? spec.network : undefined,
    extraHosts: extraHostsOf(spec.extra_hosts),
    shmSize: typeof spec.shm_size === 'number' ? spec.shm_size : undefined,
    platform: (typeof svc.platform === 'string' ? svc.platform : undefined) ?? platforms[0],
  };
}

function extraHostsOf(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.map(String);
  if (v && typeof v === 'object') return Object.entries(v as Record<string, unknown>).flatMap(([host, ip]) => (Array.isArray(ip) ? ip : [ip]).map((i) => `${host}:${String(i)}`));
  return undefined;
}
