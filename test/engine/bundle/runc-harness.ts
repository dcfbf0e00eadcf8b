import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, HostConfig, ImageRuntimeConfig } from '../../../src/engine/containers/bundle/../docker-types.js';
import { detectHostFeatures } from '../../../src/engine/containers/bundle/host-features.js';
import type { ResolvedMount } from '../../../src/engine/containers/bundle/mounts.js';
import type { OciSpec } from '../../../src/engine/containers/bundle/oci-types.js';
import { specFromRequest } from '../../../src/engine/containers/bundle/spec-from-request.js';
import { writeBundle } from '../../../src/engine/containers/bundle/write-bundle.js';

// A real runc and a busybox root filesystem for running generated bundles.

export const RUNC = '/usr/sbin/runc';
export const TINI = '/usr/bin/tini-static';

/** Fails the suite loudly on a machine that cannot run containers. */
export function requireRuntime(): void {
  assert.equal(process.getuid?.(), 0, 'these tests run containers with runc and must run as root');
  assert.ok(existsSync(RUNC), `runc is required at ${RUNC}`);
  assert.ok(existsSync('/bin/busybox'), 'a static /bin/busybox is required to build the test rootfs');
  assert.ok(existsSync(TINI), `tini-static is required at ${TINI}`);
}

export async function makeBusyboxRootfs(dir: string): Promise<string> {
  const rootfs = join(dir, 'rootfs');
  for (const sub of ['bin', 'etc', 'tmp', 'root', 'home/app']) await mkdir(join(rootfs, sub), { recursive: true });
  await chmod(join(rootfs, 'tmp'), 0o1777);
  await copyFile('/bin/busybox', join(rootfs, 'bin/busybox'));
  await chmod(join(rootfs, 'bin/busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const applet of applets) await symlink('busybox', join(rootfs, 'bin', applet));
  await writeFile(
    join(rootfs, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
  );
  await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nwheel:x:10:app\napp:x:1000:\nnogroup:x:65534:\n');
  return rootfs;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ContainerRequest {
  config: ContainerConfig;
  hostConfig?: HostConfig;
  image?: ImageRuntimeConfig;
  mounts?: ResolvedMount[];
  init?: boolean;
}

/** One test run's scratch space: rootfs, runc state, bundles, the ids to clean up. */
export class RuncLab {
  readonly ids: string[] = [];
  dir = '';
  rootfs = '';
  private counter = 0;

  async setUp(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'gantry-bundle-'));
    this.rootfs = await makeBusyboxRootfs(this.dir);
    await mkdir(join(this.dir, 'etc-files'));
    await writeFile(join(this.dir, 'etc-files/hosts'), '127.0.0.1\tlocalhost\n10.9.8.7\tlabhost\n');
    await writeFile(join(this.dir, 'etc-files/resolv.conf'), 'nameserver 127.0.0.11\n');
    await writeFile(join(this.dir, 'etc-files/hostname'), 'labhost\n');
  }

  async tearDown(): Promise<void> {
    for (const id of this.ids) {
      // Each id is deleted on its own so one stuck container cannot hide the others.
      try {
        execFileSync(RUNC, ['--root', this.stateDir, 'delete', '-f', id], { stdio: 'ignore' });
      } catch {
        // Already gone after a clean exit.
      }
    }
    await this.removeCgroupParents();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** runc removes each container's cgroup but not the parent the test chose. */
  private async removeCgroupParents(): Promise<void> {
    const root = '/sys/fs/cgroup';
    const hierarchies = existsSync(join(root, 'cgroup.controllers')) ? [''] : await readdir(root);
    for (const hierarchy of hierarchies) {
      await rmdir(join(root, hierarchy, this.cgroupParent)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
      });
    }
  }

  readonly cgroupParent = `gantry-bundle-test-${process.pid}`;

  get stateDir(): string {
    return join(this.dir, 'state');
  }

  nextId(): string {
    const id = `gantry-bundle-test-${process.pid}-${++this.counter}`;
    this.ids.push(id);
    return id;
  }

  async spec(id: string, request: ContainerRequest): Promise<OciSpec> {
    const etc = join(this.dir, 'etc-files');
    return specFromRequest({
      id,
      rootfsPath: this.rootfs,
      config: { Hostname: 'labhost', ...request.config },
      hostConfig: request.hostConfig ?? {},
      image: request.image ?? {},
      mounts: request.mounts ?? [],
      etcFiles: { hosts: join(etc, 'hosts'), resolvConf: join(etc, 'resolv.conf'), hostname: join(etc, 'hostname') },
      cgroupsPath: `/${this.cgroupParent}/${id}`,
      host: detectHostFeatures(),
      ...(request.init ? { init: { path: TINI } } : {}),
    });
  }

  /** Builds the spec for a request, writes the bundle and runs it to completion in the foreground. */
  async run(request: ContainerRequest, whileRunning?: (id: string) => Promise<void>): Promise<RunResult> {
    const id = this.nextId();
    const spec = await this.spec(id, request);
    return this.runSpec(id, spec, whileRunning);
  }

  async runSpec(id: string, spec: OciSpec, whileRunning?: (id: string) => Promise<void>): Promise<RunResult> {
    const bundle = join(this.dir, 'bundles', id);
    await writeBundle(bundle, spec);
    const child = spawn(RUNC, ['--root', this.stateDir, 'run', '--bundle', bundle, id], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    if (whileRunning) await whileRunning(id);
    const code = await exited;
    return { code, stdout, stderr };
  }
}
