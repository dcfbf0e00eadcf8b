// `compose pull`: fetch the services' images through the engine, each image
// once however many services use it. As docker compose does, a service with
// only `build:` has nothing to pull, and a failed pull of an image that could
// be built instead is a warning, not an error.

import { GantryError } from '../common/errors.js';
import { isEngineError, type EngineClient } from '../engine-client/index.js';
import { buildGraph } from '../graph/index.js';
import type { LoadOptions, ServiceConfig } from '../spec/index.js';
import type { ProgressSink } from './progress.js';
import { registryAuth } from './registry-auth.js';
import { openSession, type EngineOptions } from './session.js';

/** `always` pulls every image; `missing` only those the engine lacks (and `:latest` ones). */
export type PullPolicy = 'always' | 'missing';

export interface PullOptions extends EngineOptions {
  services?: string[];
  /** Also the images of the named services' dependencies. */
  includeDeps?: boolean;
  /** Overrides each service's own pull_policy. */
  policy?: PullPolicy;
  /** Warn about failed pulls instead of failing. */
  ignorePullFailures?: boolean;
  /** Leave out images that a `build:` section could make. */
  ignoreBuildable?: boolean;
  onProgress?: ProgressSink;
}

export interface PulledImage {
  service: string;
  image?: string;
  outcome: 'pulled' | 'skipped' | 'failed';
  /** Why it was skipped, or what went wrong. */
  detail?: string;
}

export async function pull(load: LoadOptions, opts: PullOptions = {}): Promise<PulledImage[]> {
  const { project, engine } = await openSession({ ...load, services: opts.services ?? load.services }, opts);
  const named = opts.services?.length ? opts.services : Object.keys(project.services);
  const chosen = opts.includeDeps ? buildGraph(project).withDependencies(named) : named;
  const emit = opts.onProgress ?? (() => {});
  const results: PulledImage[] = [];
  const scheduled = new Map<string, Promise<string | undefined>>();
  const failures: GantryError[] = [];

  await Promise.all(
    chosen.map(async (name) => {
      const service = project.services[name]!;
      const image = service.image;
      if (!image) {
        emit({ object: 'Service', name, status: 'Skipped', detail: 'No image to be pulled', done: true });
        results.push({ service: name, outcome: 'skipped', detail: 'No image to be pulled' });
        return;
      }
      const skip = await skipReason(engine, service, image, opts);
      if (skip) {
        emit({ object: 'Image', name: image, status: 'Skipped', detail: skip, done: true });
        results.push({ service: name, image, outcome: 'skipped', detail: skip });
        return;
      }
      let job = scheduled.get(image);
      if (!job) {
        job = pullOne(engine, image, opts, emit);
        scheduled.set(image, job);
      }
      const error = await job;
      if (error === undefined) {
        results.push({ service: name, image, outcome: 'pulled' });
        return;
      }
      results.push({ service: name, image, outcome: 'failed', detail: error });
      if (!opts.ignorePullFailures && !service.build) {
        failures.push(new GantryError('engine', `service "${name}": pull image ${image}: ${error}`, { hint: 'check the image name and the registry, or pass --ignore-pull-failures' }));
      }
    }),
  );
  if (failures.length) throw failures[0];
  return results.sort((a, b) => a.service.localeCompare(b.service));
}

async function skipReason(engine: EngineClient, service: ServiceConfig, image: string, opts: PullOptions): Promise<string | undefined> {
  if (service.build && opts.ignoreBuildable) return 'Image can be built';
  const policy = opts.policy ?? service.pull_policy ?? 'always';
  if (policy === 'never' || policy === 'build') return `pull_policy is ${policy}`;
  if (policy === 'missing' || policy === 'if_not_present') {
    if (isLatest(image)) return undefined;
    if (await engine.images.inspect(image, { signal: opts.signal })) return 'Image is already present locally';
  }
  return undefined;
}

function isLatest(image: string): boolean {
  if (image.includes('@')) return false;
  const colon = image.lastIndexOf(':');
  return colon <= image.lastIndexOf('/') || image.slice(colon + 1) === 'latest';
}

/** Resolves with undefined once pulled, or the engine's reason it could not be. */
async function pullOne(engine: EngineClient, image: string, opts: PullOptions, emit: ProgressSink): Promise<string | undefined> {
  emit({ object: 'Image', name: image, status: 'Pulling', done: false });
  try {
    const auth = await registryAuth(image, opts.env ?? process.env);
    for await (const m of engine.images.pull(image, { auth, signal: opts.signal })) {
      if (m.id && m.status) emit({ object: 'Image', name: image, status: 'Pulling', detail: `${m.id}: ${m.status}`, done: false });
    }
  } catch (e) {
    const reason = isEngineError(e) ? (e.engineMessage ?? e.message) : (e as Error).message;
    emit({ object: 'Image', name: image, status: 'Error', detail: reason, done: true });
    return reason;
  }
  opts.signal?.throwIfAborted();
  emit({ object: 'Image', name: image, status: 'Pulled', done: true });
  return undefined;
}
