// Images: inspect, list, pull and push with progress, tag, remove, build.
// Pull, push and build report failures inside a 200 response's progress
// stream; those are rethrown as EngineError like any other refusal.

import type { Filters } from './container-types.js';
import type { BuildMessage, BuildOptions, DeletedImage, ImageDetails, ImageSummary, ProgressMessage, RegistryAuth } from './image-types.js';
import { filtersArg, imageSegment } from './query-values.js';
import { chunksOf, failOnErrorMessage, jsonMessages } from './response-stream.js';
import type { Transport } from './transport.js';

export interface ImagesClient {
  /** undefined when the engine has no such image. */
  inspect(ref: string, opts?: { signal?: AbortSignal }): Promise<ImageDetails | undefined>;
  list(opts?: { all?: boolean; filters?: Filters; digests?: boolean; signal?: AbortSignal }): Promise<ImageSummary[]>;
  /** Progress messages until the pull is done; an abort ends them quietly (and the pull). */
  pull(ref: string, opts?: { platform?: string; auth?: RegistryAuth; signal?: AbortSignal }): AsyncIterable<ProgressMessage>;
  push(ref: string, opts?: { auth?: RegistryAuth; signal?: AbortSignal }): AsyncIterable<ProgressMessage>;
  tag(source: string, target: string): Promise<void>;
  remove(ref: string, opts?: { force?: boolean; noPrune?: boolean }): Promise<DeletedImage[]>;
  /** Builds from a tar of the context; the last `aux` message carries the image ID. */
  build(context: NodeJS.ReadableStream | Buffer, opts?: BuildOptions): AsyncIterable<BuildMessage>;
}

export function imagesClient(t: Transport): ImagesClient {
  return {
    inspect: (ref, opts = {}) => t.inspect<ImageDetails>(`inspect image ${ref}`, { method: 'GET', path: `/images/${imageSegment(ref)}/json`, signal: opts.signal }),

    list: (opts = {}) =>
      t.request<ImageSummary[]>('list images', {
        method: 'GET',
        path: '/images/json',
        query: { all: opts.all || undefined, digests: opts.digests || undefined, filters: filtersArg(opts.filters) },
        signal: opts.signal,
      }),

    async *pull(ref, opts = {}) {
      const what = `pull image ${ref}`;
      const { name, tag } = splitTag(ref);
      yield* progress(t, what, {
        method: 'POST',
        path: '/images/create',
        // Without a tag the engine would pull every tag of the repository.
        query: { fromImage: name, tag: tag ?? 'latest', platform: opts.platform },
        headers: { 'X-Registry-Auth': encodeAuth(opts.auth ?? {}) },
        signal: opts.signal,
      });
    },

    async *push(ref, opts = {}) {
      const what = `push image ${ref}`;
      const { name, tag } = splitTag(ref);
      yield* progress(t, what, {
        method: 'POST',
        path: `/images/${imageSegment(name)}/push`,
        query: { tag },
        headers: { 'X-Registry-Auth': encodeAuth(opts.auth ?? {}) },
        signal: opts.signal,
      });
    },

    async tag(source, target) {
      const { name, tag } = splitTag(target);
      await t.request(`tag image ${source} as ${target}`, { method: 'POST', path: `/images/${imageSegment(source)}/tag`, query: { repo: name, tag } });
    },

    remove: (ref, opts = {}) =>
      t.request<DeletedImage[]>(`remove image ${ref}`, {
        method: 'DELETE',
        path: `/images/${imageSegment(ref)}`,
        query: { force: opts.force || undefined, noprune: opts.noPrune || undefined },
      }),

    async *build(context, opts = {}) {
      const what = `build image ${opts.tags?.[0] ?? ''}`.trimEnd();
      const headers: Record<string, string> = {};
      if (opts.registryAuth) headers['X-Registry-Config'] = Buffer.from(JSON.stringify(opts.registryAuth)).toString('base64');
      yield* progress<BuildMessage>(t, what, {
        method: 'POST',
        path: '/build',
        query: {
          t: opts.tags,
          dockerfile: opts.dockerfile,
          buildargs: opts.buildArgs ? JSON.stringify(opts.buildArgs) : undefined,
          target: opts.target,
          labels: opts.labels ? JSON.stringify(opts.labels) : undefined,
          pull: opts.pull || undefined,
          nocache: opts.noCache || undefined,
          cachefrom: opts.cacheFrom?.length ? JSON.stringify(opts.cacheFrom) : undefined,
          platform: opts.platform,
          networkmode: opts.networkMode,
          extrahosts: opts.extraHosts?.length ? opts.extraHosts.join(',') : undefined,
          shmsize: opts.shmSize,
          rm: true,
          // Also remove the containers of a failed step, so a broken build leaves nothing behind.
          forcerm: true,
        },
        headers,
        upload: context,
        signal: opts.signal,
      });
    },
  };
}

async function* progress<T extends ProgressMessage = ProgressMessage>(t: Transport, what: string, call: Parameters<Transport['stream']>[1]): AsyncGenerator<T> {
  const signal = call.signal;
  let res;
  try {
    res = await t.stream(what, call);
  } catch (e) {
    if (signal?.aborted) return;
    throw e;
  }
  yield* failOnErrorMessage(what, jsonMessages<T>(what, chunksOf(what, res, signal)));
}

/** `registry:5000/app:1.2` → name and tag; a digest (`@sha256:…`) counts as the tag. */
export function splitTag(ref: string): { name: string; tag?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref };
}

/** base64url of the JSON with padding, which every engine version decodes. */
function encodeAuth(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
