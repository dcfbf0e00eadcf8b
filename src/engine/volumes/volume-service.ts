// Named volumes of the `local` driver: a directory under the data root, or a
// mount made from driver options (`type`, `device`, `o`) while a container
// uses it, as docker's local driver does. Records are durable documents; the
// contents live in `<dataRoot>/volumes/<name>/_data`. Who holds a driver-option
// mount is durable too: an engine that restarts while containers run knows to
// unmount once the last of them stops, and not to mount a second time.

import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { badRequest, conflict, noSuchVolume } from '../api/api-error.js';
import type { EventBus } from '../events/event-bus.js';
import { mountPoints } from '../mount-points.js';
import { DocumentStore } from '../store/document-store.js';

const run = promisify(execFile);

export interface VolumeRecord {
  Name: string;
  Driver: 'local';
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  Scope: 'local';
}

export interface VolumeServiceOptions {
  dataRoot: string;
  events: EventBus;
  /** The ids of containers that mount a volume; a volume in use is not removed. */
  usedBy: (name: string) => string[];
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export class VolumeService {
  private readonly records: DocumentStore<VolumeRecord>;
  private readonly volumes = new Map<string, VolumeRecord>();
  /** Volumes with driver options are mounted while used: name → the ids of the containers using it. */
  private readonly mountUsers: DocumentStore<{ users: string[] }>;
  private readonly root: string;

  constructor(private readonly opts: VolumeServiceOptions) {
    this.root = join(opts.dataRoot, 'volumes');
    mkdirSync(this.root, { recursive: true, mode: 0o701 });
    this.records = new DocumentStore(join(opts.dataRoot, 'records', 'volumes'));
    this.mountUsers = new DocumentStore(join(opts.dataRoot, 'records', 'volume-mounts'));
    for (const { doc } of this.records.list()) this.volumes.set(doc.Name, doc);
  }

  list(): VolumeRecord[] {
    return [...this.volumes.values()];
  }

  get(name: string): VolumeRecord | undefined {
    return this.volumes.get(name);
  }

  inspect(name: string): VolumeRecord {
    const v = this.volumes.get(name);
    if (!v) throw noSuchVolume(name);
    return v;
  }

  /** Creating a volume that exists returns it, as docker does (labels are not merged). */
  create(req: { Name?: string; Driver?: string; DriverOpts?: Record<string, string> | null; Labels?: Record<string, string> | null }): VolumeRecord {
    const anonymous = !req.Name;
    const name = req.Name || randomBytes(32).toString('hex');
    if (!NAME.test(name)) {
      throw badRequest(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
    }
    if (req.Driver && req.Driver !== 'local') throw badRequest(`create ${name}: volume driver "${req.Driver}" is not supported; only "local" is`);
    const existing = this.volumes.get(name);
    if (existing) return existing;
    const options = req.DriverOpts ?? {};
    for (const key of Object.keys(options)) {
      if (!['type', 'device', 'o', 'size'].includes(key)) throw badRequest(`create ${name}: invalid option key: "${key}"`);
    }
    const dir = join(this.root, name);
    mkdirSync(join(dir, '_data'), { recursive: true, mode: 0o755 });
    const labels = { ...(req.Labels ?? {}) };
    if (anonymous) labels['com.docker.volume.anonymous'] = '';
    const record: VolumeRecord = {
      Name: name,
      Driver: 'local',
      Mountpoint: join(dir, '_data'),
      CreatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      Labels: labels,
      Options: options,
      Scope: 'local',
    };
    this.records.put(name, record);
    this.volumes.set(name, record);
    this.opts.events.publish('volume', 'create', name, { driver: 'local' });
    return record;
  }

  remove(name: string, force = false): void {
    const v = this.volumes.get(name);
    if (!v) {
      if (force) return;
      throw noSuchVolume(name);
    }
    const users = this.opts.usedBy(name);
    if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
    this.volumes.delete(name);
    this.records.delete(name);
    rmSync(join(this.root, name), { recursive: true, force: true });
    this.opts.events.publish('volume', 'destroy', name, { driver: 'local' });
  }

  /** Removes unused volumes (anonymous only unless `all`), as `volume prune`. */
  prune(filters: { all?: boolean; label?: string[] } = {}, matches: (v: VolumeRecord) => boolean = () => true): { VolumesDeleted: string[]; SpaceReclaimed: number } {
    const deleted: string[] = [];
    for (const v of this.list()) {
      if (!filters.all && !('com.docker.volume.anonymous' in v.Labels)) continue;
      if (!matches(v) || this.opts.usedBy(v.Name).length > 0) continue;
      this.remove(v.Name);
      deleted.push(v.Name);
    }
    return { VolumesDeleted: deleted, SpaceReclaimed: 0 };
  }

  /** True when the volume's directory holds nothing yet (docker copies image content into it then). */
  isEmpty(name: string): boolean {
    const v = this.inspect(name);
    try {
      return readdirSync(v.Mountpoint).length === 0;
    } catch {
      return true;
    }
  }

  /** Makes the volume's data ready for a container; mounts driver-option volumes on first use. */
  async acquire(name: string, containerId: string): Promise<string> {
    const v = this.inspect(name);
    if (!v.Options.type && !v.Options.device) return v.Mountpoint;
    const users = new Set(this.mountUsers.get(name)?.users ?? []);
    // Checked, not assumed from the users: a host restart unmounts everything.
    if (!mountPoints().has(v.Mountpoint)) {
      const args = ['-t', v.Options.type || 'none'];
      if (v.Options.o) args.push('-o', v.Options.o);
      args.push(v.Options.device || v.Options.type || 'none', v.Mountpoint);
      try {
        await run('mount', args);
      } catch (e) {
        throw badRequest(`error while mounting volume '${v.Mountpoint}': ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`);
      }
    }
    users.add(containerId);
    this.mountUsers.put(name, { users: [...users] });
    return v.Mountpoint;
  }

  async release(name: string, containerId: string): Promise<void> {
    const held = this.mountUsers.get(name);
    if (!held) return;
    const users = held.users.filter((id) => id !== containerId);
    if (users.length > 0) {
      this.mountUsers.put(name, { users });
      return;
    }
    this.mountUsers.delete(name);
    const v = this.volumes.get(name);
    if (v && mountPoints().has(v.Mountpoint)) await run('umount', [v.Mountpoint]).catch(() => undefined);
  }

  /**
   * After a restart: users that no longer run (removed, or stopped while the
   * engine was away) let go of their mounts; the last one out unmounts.
   */
  async reconcileMounts(isRunning: (containerId: string) => boolean): Promise<void> {
    for (const { id: name, doc } of this.mountUsers.list()) {
      for (const user of doc.users) if (!isRunning(user)) await this.release(name, user);
    }
  }
}
