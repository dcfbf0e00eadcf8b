// `docker commit`: a container's changes (its overlay upper dir) as a new
// image on top of the container's image, with the container's config and
// the `--change` instructions.

import { badRequest } from '../api/api-error.js';
import type { ContainerRecord } from '../containers/container-record.js';
import type { ImageRuntimeConfig } from '../containers/docker-types.js';
import { commitImage } from './commit-image.js';
import { applyChanges } from './image-changes.js';
import type { ImageStore, StoredImage } from './image-store.js';
import { normalizeTag } from './image-names.js';

export interface ContainerCommitOptions {
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  changes?: string[];
}

function runtimeOfContainer(c: ContainerRecord): ImageRuntimeConfig {
  const k = c.Config;
  const rc: ImageRuntimeConfig = {};
  if (k.User) rc.User = k.User;
  if (k.Env?.length) rc.Env = k.Env;
  if (k.Cmd) rc.Cmd = k.Cmd;
  if (k.Entrypoint) rc.Entrypoint = k.Entrypoint;
  if (k.WorkingDir) rc.WorkingDir = k.WorkingDir;
  if (k.Labels && Object.keys(k.Labels).length) rc.Labels = k.Labels;
  if (k.ExposedPorts && Object.keys(k.ExposedPorts).length) rc.ExposedPorts = k.ExposedPorts;
  if (k.Volumes && Object.keys(k.Volumes).length) rc.Volumes = k.Volumes;
  if (k.StopSignal) rc.StopSignal = k.StopSignal;
  if (k.Healthcheck) rc.Healthcheck = k.Healthcheck;
  if (k.Shell) rc.Shell = k.Shell;
  return rc;
}

export async function commitContainer(store: ImageStore, c: ContainerRecord, upperDir: string, opts: ContainerCommitOptions): Promise<StoredImage> {
  if (!opts.repo && opts.tag) throw badRequest('tag is given without repo');
  const repoTag = opts.repo ? normalizeTag(opts.repo, opts.tag || undefined) : undefined;
  const parent = store.get(c.Image);
  const runtime = applyChanges(runtimeOfContainer(c), opts.changes ?? []);
  const createdBy = [c.Path, ...c.Args].join(' ');
  return commitImage(store, {
    parent: parent?.config,
    upperDir,
    runtime,
    createdBy,
    ...(opts.comment ? { comment: opts.comment } : {}),
    ...(opts.author ? { author: opts.author } : {}),
    repoTags: repoTag ? [repoTag] : [],
  });
}
