// Instructions that change the filesystem and so add a layer: RUN runs a
// real container (through the container service: runc, overlay, the
// default bridge network) and commits its upper dir; COPY/ADD and WORKDIR
// mount a private overlay of the stage's layers, change it from the host,
// and commit that upper dir.

import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import type { ContainerService } from '../../containers/container-service.js';
import { resolveInRoot } from '../../containers/resolve-in-root.js';
import { commitImage } from '../commit-image.js';
import type { ImageStore, StoredImage } from '../image-store.js';
import type { Snapshots } from '../snapshots.js';
import { BuildError, PREDEFINED_ARGS, runtimeOf, type StageState } from './build-state.js';
import { removeMountStubs, type HostMount } from './run-mounts.js';

export interface FilesystemDeps {
  images: ImageStore;
  snapshots: Snapshots;
  containers: ContainerService;
}

/** A private overlay of these layers, mounted until `release`. */
export async function mountLayers(deps: FilesystemDeps, diffIds: string[]): Promise<{ rootfs: string; snapshotId: string; release: () => Promise<void> }> {
  const id = `build-${randomBytes(8).toString('hex')}`;
  const release = () => deps.snapshots.remove(id);
  try {
    const { rootfs } = await deps.snapshots.prepare(
      id,
      diffIds.map((d) => deps.images.layerDir(d)),
    );
    return { rootfs, snapshotId: id, release };
  } catch (e) {
    await release();
    throw e;
  }
}

/** A private overlay of these layers, mounted for fn and always taken down again. */
export async function withMountedLayers<T>(deps: FilesystemDeps, diffIds: string[], fn: (rootfs: string, snapshotId: string) => Promise<T>): Promise<T> {
  const { rootfs, snapshotId, release } = await mountLayers(deps, diffIds);
  try {
    return await fn(rootfs, snapshotId);
  } finally {
    await release();
  }
}

/** Change the stage's filesystem from the host; a new layer when `change` says it changed something. */
export async function hostChange(deps: FilesystemDeps, state: StageState, createdBy: string, change: (rootfs: string) => Promise<boolean>): Promise<StoredImage | undefined> {
  return withMountedLayers(deps, state.config.rootfs.diff_ids, async (rootfs, id) => {
    if (!(await change(rootfs))) return undefined;
    await deps.snapshots.unmount(id);
    return commitImage(deps.images, { parent: state.config, upperDir: deps.snapshots.upperDir(id), runtime: runtimeOf(state), createdBy });
  });
}

/** WORKDIR's directory, made when the image lacks it. */
export function ensureDir(rootfs: string, dir: string): boolean {
  const host = resolveInRoot(rootfs, dir);
  try {
    if (lstatSync(host).isDirectory()) return false;
  } catch {
    // Missing: made below.
  }
  mkdirSync(host, { recursive: true, mode: 0o755 });
  return true;
}

/** The image RUN's container starts from: one whose layers are exactly the stage's. */
function runnableImage(deps: FilesystemDeps, state: StageState): string {
  const current = state.imageId ? deps.images.get(state.imageId) : undefined;
  if (current && current.config.rootfs.diff_ids.join() === state.config.rootfs.diff_ids.join()) return current.id;
  const img = deps.images.addImage(Buffer.from(JSON.stringify(state.config)));
  state.imageId = img.id;
  return img.id;
}

export interface RunStepOptions {
  cmd: string[];
  /** Build args visible to the command (not kept in the image). */
  buildArgs: Record<string, string>;
  output: (text: string) => void;
  createdBy: string;
  /** RUN --mount's mounts, ready (see run-mounts.ts). */
  mounts?: HostMount[];
  /** RUN --network: `bridge` (docker's default), `none` or `host`. */
  networkMode?: string;
}

export async function runStep(deps: FilesystemDeps, state: StageState, opts: RunStepOptions): Promise<StoredImage> {
  const rc = runtimeOf(state);
  const argEnv = Object.entries(opts.buildArgs)
    .filter(([k]) => state.args.has(k) || PREDEFINED_ARGS.has(k))
    .map(([k, v]) => `${k}=${v}`);
  const declared = [...state.args].filter(([k]) => !(k in opts.buildArgs)).map(([k, v]) => `${k}=${v}`);
  const { Id } = deps.containers.create({
    Image: runnableImage(deps, state),
    // The whole command as the entrypoint: the image's ENTRYPOINT and CMD play no part in RUN.
    Entrypoint: opts.cmd,
    Cmd: [],
    // ENV overrides an ARG of the same name.
    Env: [...declared, ...argEnv, ...(rc.Env ?? [])],
    WorkingDir: rc.WorkingDir ?? '',
    User: rc.User ?? '',
    Labels: {},
    Healthcheck: { Test: ['NONE'] },
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { NetworkMode: opts.networkMode ?? 'bridge', Mounts: opts.mounts?.length ? opts.mounts : undefined },
  });
  opts.output(` ---> Running in ${Id.slice(0, 12)}\n`);
  const unsubscribe = deps.containers.subscribe(Id, (_stream, chunk) => opts.output(chunk.toString('utf8')));
  try {
    const exited = deps.containers.wait(Id, 'next-exit');
    try {
      await deps.containers.start(Id);
    } catch (e) {
      exited.catch(() => undefined);
      throw new BuildError(`failed to run ${JSON.stringify(opts.cmd)}: ${(e as Error).message}`);
    }
    const { StatusCode } = await exited;
    if (StatusCode !== 0) throw new BuildError(`The command '${opts.cmd.join(' ')}' returned a non-zero code: ${StatusCode}`, StatusCode);
    await deps.snapshots.unmount(Id).catch(() => undefined);
    if (opts.mounts?.length) {
      const lowers = state.config.rootfs.diff_ids.map((d) => deps.images.layerDir(d));
      removeMountStubs(deps.snapshots.upperDir(Id), lowers, opts.mounts.map((m) => m.Target));
    }
    return await commitImage(deps.images, { parent: state.config, upperDir: deps.snapshots.upperDir(Id), runtime: rc, createdBy: opts.createdBy });
  } finally {
    unsubscribe();
    await deps.containers.remove(Id, { force: true, volumes: true }).catch(() => undefined);
    opts.output(`Removing intermediate container ${Id.slice(0, 12)}\n`);
  }
}
