// `compose push`: send the services' images to their registries through the
// engine. As docker compose does, only services that both build and name
// their image are pushed (plus their build tags); the others are skipped.

import { GantryError } from '../common/errors.js';
import { isEngineError, type EngineClient } from '../engine-client/index.js';
import type { LoadOptions } from '../spec/index.js';
import type { ProgressSink } from './progress.js';
import { registryAuth } from './registry-auth.js';
import { openSession, type EngineOptions } from './session.js';

export interface PushOptions extends EngineOptions {
  services?: string[];
  /** Warn about failed pushes instead of failing. */
  ignorePushFailures?: boolean;
  onProgress?: ProgressSink;
}

export interface PushedImage {
  service: string;
  image?: string;
  outcome: 'pushed' | 'skipped' | 'failed';
  detail?: string;
}

export async function push(load: LoadOptions, opts: PushOptions = {}): Promise<PushedImage[]> {
  const { project, engine } = await openSession({ ...load, services: opts.services ?? load.services }, opts);
  const chosen = opts.services?.length ? opts.services : Object.keys(project.services);
  const emit = opts.onProgress ?? (() => {});
  const results: PushedImage[] = [];
  const failures: GantryError[] = [];
  await Promise.all(
    chosen.map(async (name) => {
      const service = project.services[name]!;
      if (!service.build || !service.image) {
        emit({ object: 'Service', name, status: 'Skipped', detail: service.image ? 'not built by this project' : 'No image to be pushed', done: true });
        results.push({ service: name, image: service.image, outcome: 'skipped' });
        return;
      }
      const tags = [service.image, ...((service.build.tags as string[] | undefined) ?? [])];
      for (const tag of tags) {
        const error = await pushOne(engine, tag, opts, emit);
        results.push({ service: name, image: tag, outcome: error === undefined ? 'pushed' : 'failed', detail: error });
        if (error !== undefined && !opts.ignorePushFailures) {
          failures.push(new GantryError('engine', `service "${name}": push image ${tag}: ${error}`, { hint: 'check that the image exists locally (compose build) and that you are logged in to the registry' }));
        }
      }
    }),
  );
  if (failures.length) throw failures[0];
  return results.sort((a, b) => a.service.localeCompare(b.service));
}

async function pushOne(engine: EngineClient, image: string, opts: PushOptions, emit: ProgressSink): Promise<string | undefined> {
  emit({ object: 'Image', name: image, status: 'Pushing', done: false });
  try {
    const auth = await registryAuth(image, opts.env ?? process.env);
    for await (const m of engine.images.push(image, { auth, signal: opts.signal })) {
      if (m.id && m.status) emit({ object: 'Image', name: image, status: 'Pushing', detail: `${m.id}: ${m.status}`, done: false });
    }
  } catch (e) {
    const reason = isEngineError(e) ? (e.engineMessage ?? e.message) : (e as Error).message;
    emit({ object: 'Image', name: image, status: 'Error', detail: reason, done: true });
    return reason;
  }
  opts.signal?.throwIfAborted();
  emit({ object: 'Image', name: image, status: 'Pushed', done: true });
  return undefined;
}
