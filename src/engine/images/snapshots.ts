// Container root filesystems: an overlay of the image's layer dirs (read
// only) under a per-container upper dir, at <root>/<id>/merged. Mounting goes
// through mount(8)/umount(8) so failures carry the kernel's complaint.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mountPoints } from '../mount-points.js';

/** The mount option string must fit one page; leave room for upper/work. */
const MAX_LOWER_OPTION = 3500;

function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((ok, fail) => {
    execFile(cmd, args, { cwd }, (err, _out, stderr) => {
      if (!err) return ok();
      fail(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`));
    });
  });
}

export class Snapshots {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  private dir(id: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new Error(`invalid snapshot id ${JSON.stringify(id)}`);
    return join(this.root, id);
  }

  /** A lower dir for images without layers: overlay needs at least one. */
  private emptyLower(): string {
    const d = join(this.root, '.empty');
    mkdirSync(d, { recursive: true, mode: 0o755 });
    return d;
  }

  /**
   * Mount `<root>/<id>/merged` as an overlay of lowerDirs (lowest first, as
   * ImageStore.layerDirs gives them) under a fresh upper dir.
   */
  async prepare(containerId: string, lowerDirs: string[]): Promise<{ rootfs: string }> {
    const plan = this.mountPlan(containerId, lowerDirs);
    if (plan) await run('mount', ['-t', 'overlay', 'overlay', '-o', plan.options, plan.target], plan.cwd);
    return { rootfs: this.mountPoint(containerId) };
  }

  /**
   * What mounting the container's overlay takes, with its directories made:
   * the option string, and the directory its relative paths start from when
   * it had to be shortened. Undefined when it is mounted already. For a
   * mounter of the caller's own (the container monitor mounts it directly).
   */
  mountPlan(containerId: string, lowerDirs: string[]): { target: string; options: string; cwd?: string } | undefined {
    const base = this.dir(containerId);
    const merged = join(base, 'merged');
    if (this.isMounted(containerId)) return undefined;
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(base, d), { recursive: true, mode: 0o755 });
    // overlayfs wants the top-most layer first.
    const lowers = (lowerDirs.length ? lowerDirs : [this.emptyLower()]).map((d) => resolve(d)).reverse();
    let lowerOption = lowers.join(':');
    let cwd: string | undefined;
    if (lowerOption.length > MAX_LOWER_OPTION) {
      // Too long for one page: short links under <id>/l, named relative to
      // mount(8)'s working directory (our own cwd is left alone).
      const links = join(base, 'l');
      rmSync(links, { recursive: true, force: true });
      mkdirSync(links, { mode: 0o700 });
      lowers.forEach((d, i) => symlinkSync(d, join(links, i.toString(36))));
      lowerOption = lowers.map((_d, i) => `l/${i.toString(36)}`).join(':');
      cwd = base;
    }
    const upper = cwd ? 'upper' : join(base, 'upper');
    const work = cwd ? 'work' : join(base, 'work');
    return { target: merged, options: `lowerdir=${lowerOption},upperdir=${upper},workdir=${work}`, ...(cwd ? { cwd } : {}) };
  }

  isMounted(id: string): boolean {
    return mountPoints().has(this.mountPoint(id));
  }

  mountPoint(id: string): string {
    return join(this.dir(id), 'merged');
  }

  async unmount(id: string): Promise<void> {
    if (!this.isMounted(id)) return;
    await run('umount', [join(this.dir(id), 'merged')]);
  }

  /** Unmount if needed, then delete the container's layer of changes. */
  async remove(id: string): Promise<void> {
    await this.unmount(id);
    const base = this.dir(id);
    if (this.isMounted(id)) throw new Error(`${join(base, 'merged')} is still mounted`);
    rmSync(base, { recursive: true, force: true });
  }

  /** Snapshot ids on disk, mounted or not, and half-removed ones (a removal cut short may have taken `upper` already). */
  list(): Array<{ id: string; mounted: boolean; upper: string }> {
    const mounts = mountPoints();
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, { withFileTypes: true })
      .filter((d) => !d.name.startsWith('.') && d.isDirectory())
      .map((d) => d.name)
      .map((id) => ({ id, mounted: mounts.has(join(this.root, id, 'merged')), upper: join(this.root, id, 'upper') }));
  }

  /** Where the container's own changes land. */
  upperDir(id: string): string {
    return join(this.dir(id), 'upper');
  }
}
