// What the container service needs from the rest of the engine, as small
// interfaces: the daemon wires the image store and snapshots in, and tests
// can too.

import type { ImageRuntimeConfig } from './docker-types.js';

export interface ImageLookup {
  /** By name, id or digest; undefined when the engine has no such image. */
  resolve(ref: string): { id: string; config: ImageRuntimeConfig } | undefined;
  /** The image's unpacked layers, lowest first. */
  layerDirs(imageId: string): string[];
}

export interface RootfsSnapshots {
  /** Creates (once) and mounts the container's writable root filesystem. */
  prepare(containerId: string, lowerDirs: string[]): Promise<{ rootfs: string }>;
  /** What mounting it takes, for a mounter of the caller's own; undefined when mounted already. */
  mountPlan(containerId: string, lowerDirs: string[]): { target: string; options: string; cwd?: string } | undefined;
  /** Where `prepare` mounts it. */
  mountPoint(containerId: string): string;
  /** Unmounts it, keeping its changes; nothing to do when it is not mounted. */
  unmount(containerId: string): Promise<void>;
  /** Unmounts and deletes it. */
  remove(containerId: string): Promise<void>;
  /** Every container layer on disk, mounted or not. */
  list(): Array<{ id: string; mounted: boolean }>;
}
