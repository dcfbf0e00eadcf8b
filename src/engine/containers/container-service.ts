// The engine's containers: records kept durable, names and ids resolved as
// docker does, and the lifecycle (create → start → running ⇄ paused →
// exited → removed) driven through the OCI runtime and each container's
// monitor. Exits are learnt from the monitor closing our connection, which
// works the same whether the engine started the container or found it
// running after its own restart.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { badRequest, conflict, noSuchContainer, noSuchImage, notModified, serverError } from '../api/api-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { VolumeService } from '../volumes/volume-service.js';
import { displayName, freshState, type ContainerRecord } from './container-record.js';
import { ContainerStore } from './container-store.js';
import type { ContainerCreateBody } from './docker-types.js';
import type { ImageLookup, RootfsSnapshots } from './engine-ports.js';
import { logLimits } from './log-options.js';
import { planMounts } from './mount-plan.js';
import { checkName, madeUpName } from './names.js';
import { checkRestartPolicy, restartDelay, shouldRestart } from './restart-policy.js';
import { bundleDirOf, prepareBundle } from './start-spec.js';
import { connectMonitor, readExitRecord, spawnMonitor, type MonitorConnection, type SpawnedMonitor } from './monitor/index.js';
import type { OciRuntime } from './runtime/oci-runtime.js';
import { HealthChecker } from './health-checker.js';
import { liveMonitor, processGone, unclaimed } from './leftovers.js';
import { resolveProcess } from './bundle/index.js';
import { plugIn, unplug } from './container-network.js';
import type { NetworkService } from '../networks/network-service.js';

export interface ContainerServiceDeps {
  dataRoot: string;
  execRoot: string;
  events: EventBus;
  volumes: VolumeService;
  images: ImageLookup;
  snapshots: RootfsSnapshots;
  runtime: OciRuntime;
  /** For `Init: true`: a static init binary (tini-static). */
  initPath?: string;
  /** Networks with their host machinery; absent: containers get an empty network namespace. */
  networks?: NetworkService;
  log?: (message: string) => void;
}

export type OutputListener = (stream: 1 | 2, chunk: Buffer) => void;

/** What the engine holds for a running container besides its record. */
interface Live {
  conn?: MonitorConnection;
  listeners: Set<OutputListener>;
  health?: HealthChecker;
  restartTimer?: NodeJS.Timeout;
  restartDelay: number;
  /** Runtime state, network and volumes let go after an exit; a start or remove waits for it. */
  cleanup?: Promise<void>;
}

export class ContainerService {
  readonly records = new Map<string, ContainerRecord>();
  private readonly store: ContainerStore;
  private readonly live = new Map<string, Live>();
  private readonly signals = new EventEmitter();
  /** Runs a healthcheck probe in a container; wired to the exec service by the daemon. */
  probe?: (c: ContainerRecord, cmd: string[], timeoutMs: number) => Promise<{ exitCode: number; output: string; timedOut: boolean }>;

  constructor(readonly deps: ContainerServiceDeps) {
    this.store = new ContainerStore(join(deps.dataRoot, 'records', 'containers'));
    this.signals.setMaxListeners(0);
    for (const doc of this.store.list((id, err) => deps.log?.(`container record ${id} is unreadable: ${String(err)}`))) {
      this.records.set(doc.Id, doc);
    }
  }

  // ── lookup ──────────────────────────────────────────────────────────────

  /** By full id, name (with or without its slash) or unique id prefix. */
  find(ref: string): ContainerRecord {
    const found = this.lookup(ref);
    if (!found) throw noSuchContainer(ref);
    return found;
  }

  lookup(ref: string): ContainerRecord | undefined {
    const exact = this.records.get(ref);
    if (exact) return exact;
    const name = ref.startsWith('/') ? ref : `/${ref}`;
    for (const c of this.records.values()) if (c.Name === name) return c;
    if (/^[0-9a-f]{1,63}$/.test(ref)) {
      const matches = [...this.records.values()].filter((c) => c.Id.startsWith(ref));
      if (matches.length > 1) throw badRequest(`multiple IDs found with provided prefix: ${ref}`);
      return matches[0];
    }
    return undefined;
  }

  list(): ContainerRecord[] {
    return [...this.records.values()].sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
  }

  /** Containers that mount a named volume, for volume removal. */
  usersOfVolume(name: string): string[] {
    return this.list().filter((c) => c.Mounts.some((m) => m.Type === 'volume' && m.Name === name)).map((c) => c.Id);
  }

  usesImage(imageId: string): boolean {
    return this.list().some((c) => c.Image === imageId);
  }

  stateDir(id: string): string {
    // Short: unix socket paths are limited to 108 bytes.
    return join(this.deps.execRoot, id.slice(0, 16));
  }

  containerDir(id: string): string {
    return join(this.deps.dataRoot, 'containers', id);
  }

  /** `durable` for what a power cut must not lose (a new container, a new name); state changes need not be. */
  save(c: ContainerRecord, opts: { durable?: boolean } = {}): void {
    if (this.records.has(c.Id)) this.store.put(c, opts);
  }

  private liveOf(id: string): Live {
    let l = this.live.get(id);
    if (!l) {
      l = { listeners: new Set(), restartDelay: 0 };
      this.live.set(id, l);
    }
    return l;
  }

  private publish(c: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.deps.events.publish('container', action, c.Id, { ...(c.Config.Labels ?? {}), image: c.Config.Image ?? '', name: displayName(c), ...extra });
  }

  // ── create, rename, remove ──────────────────────────────────────────────

  create(body: ContainerCreateBody, requestedName?: string): { Id: string; Warnings: string[] } {
    if (!body.Image) throw badRequest('config cannot be empty in order to create a container');
    const image = this.deps.images.resolve(body.Image);
    if (!image) throw noSuchImage(body.Image);
    const hostConfig = body.HostConfig ?? {};
    checkRestartPolicy(hostConfig.RestartPolicy, hostConfig.AutoRemove);
    const limits = logLimits(hostConfig);
    void limits;
    const name = requestedName ? checkName(requestedName) : madeUpName((n) => !!this.lookup(n));
    const taken = requestedName ? this.lookup(name) : undefined;
    if (taken) {
      throw conflict(`Conflict. The container name "${name}" is already in use by container "${taken.Id}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    const { HostConfig: _h, NetworkingConfig, ...requestConfig } = body;
    const process = resolveProcess(requestConfig, image.config);
    const id = randomBytes(32).toString('hex');
    const dir = this.containerDir(id);
    const imageConfig = image.config;
    const config = {
      ...requestConfig,
      Hostname: requestConfig.Hostname || id.slice(0, 12),
      Env: process.env,
      Cmd: requestConfig.Cmd?.length ? requestConfig.Cmd : requestConfig.Entrypoint?.length ? null : (imageConfig.Cmd ?? null),
      Entrypoint: requestConfig.Entrypoint?.length ? requestConfig.Entrypoint : (imageConfig.Entrypoint ?? null),
      WorkingDir: requestConfig.WorkingDir || imageConfig.WorkingDir || '',
      User: requestConfig.User || imageConfig.User || '',
      Labels: { ...(imageConfig.Labels ?? {}), ...(requestConfig.Labels ?? {}) },
      ExposedPorts: { ...(imageConfig.ExposedPorts ?? {}), ...(requestConfig.ExposedPorts ?? {}), ...portsOf(hostConfig.PortBindings) },
      Volumes: { ...(imageConfig.Volumes ?? {}), ...(requestConfig.Volumes ?? {}) },
      StopSignal: requestConfig.StopSignal || imageConfig.StopSignal || undefined,
      Healthcheck: requestConfig.Healthcheck ?? imageConfig.Healthcheck,
    };
    const mounts = planMounts({
      hostConfig,
      imageVolumes: Object.keys(config.Volumes ?? {}),
      volumes: this.deps.volumes,
      mountsOf: (ref) => this.lookup(ref)?.Mounts,
    });
    mkdirSync(dir, { recursive: true, mode: 0o710 });
    const record: ContainerRecord = {
      Id: id,
      Name: name,
      Created: new Date().toISOString(),
      Path: process.args[0] ?? '',
      Args: process.args.slice(1),
      Config: config,
      HostConfig: { NetworkMode: 'bridge', ...hostConfig, RestartPolicy: hostConfig.RestartPolicy ?? { Name: 'no', MaximumRetryCount: 0 } },
      Image: image.id,
      State: freshState(),
      RestartCount: 0,
      LogPath: join(dir, `${id}-json.log`),
      HostnamePath: join(dir, 'hostname'),
      HostsPath: join(dir, 'hosts'),
      ResolvConfPath: join(dir, 'resolv.conf'),
      Mounts: mounts,
      Networks: endpointsOf(body.NetworkingConfig?.EndpointsConfig, hostConfig.NetworkMode),
    };
    void NetworkingConfig;
    this.records.set(id, record);
    this.save(record, { durable: true });
    this.publish(record, 'create');
    return { Id: id, Warnings: [] };
  }

  rename(ref: string, newName: string): void {
    const c = this.find(ref);
    const name = checkName(newName);
    const taken = this.lookup(name);
    if (taken && taken.Id !== c.Id) throw conflict(`Conflict. The container name "${name}" is already in use by container "${taken.Id}". You have to remove (or rename) that container to be able to reuse that name.`);
    const old = c.Name;
    c.Name = name;
    this.save(c, { durable: true });
    this.publish(c, 'rename', { oldName: old });
  }

  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const c = this.find(ref);
    if (c.State.Status === 'removing') throw conflict(`removal of container ${displayName(c)} is already in progress`);
    if (c.State.Running || c.State.Restarting) {
      if (!opts.force) {
        throw conflict(`You cannot remove a ${c.State.Paused ? 'paused' : 'running'} container ${c.Id}. Stop the container before attempting removal or force remove`);
      }
      c.StoppedByUser = true;
      this.cancelRestart(c.Id);
      if (c.State.Running) await this.killAndWait(c, 'SIGKILL', 10_000);
    }
    await this.destroy(c, opts);
  }

  /** Removal proper, for a container that does not run; also finishes one an engine crash interrupted. */
  private async destroy(c: ContainerRecord, opts: { volumes?: boolean }): Promise<void> {
    await this.live.get(c.Id)?.cleanup;
    // Saved, so an engine killed halfway through finishes the removal when it comes back.
    c.State.Status = 'removing';
    this.save(c);
    await unplug(this, c);
    await this.deps.snapshots.unmount(c.Id);
    for (const m of c.Mounts) if (m.Type === 'volume' && m.Name) await this.deps.volumes.release(m.Name, c.Id);
    // Only a crash can leave runtime state behind an exited container.
    if (existsSync(join(this.deps.runtime.root, c.Id))) await this.deps.runtime.delete(c.Id, { force: true }).catch(() => undefined);
    this.records.delete(c.Id);
    this.store.delete(c.Id);
    this.live.delete(c.Id);
    // Directories go just after the answer: nothing refers to them any more,
    // and the next request is read only after this runs. An engine killed
    // first leaves them to the sweep at its next start.
    setImmediate(() => {
      this.deps.snapshots.remove(c.Id).catch((e) => this.deps.log?.(`removal of ${c.Id}'s layer: ${(e as Error).message}`));
      rmSync(this.containerDir(c.Id), { recursive: true, force: true });
      rmSync(this.stateDir(c.Id), { recursive: true, force: true });
    });
    if (opts.volumes) {
      for (const m of c.Mounts) {
        if (m.Type === 'volume' && m.Name && 'com.docker.volume.anonymous' in (this.deps.volumes.get(m.Name)?.Labels ?? {})) {
          try {
            this.deps.volumes.remove(m.Name);
          } catch {
            // Still used by another container (volumes_from): kept, as docker does.
          }
        }
      }
    }
    this.publish(c, 'destroy');
    this.signals.emit(`removed:${c.Id}`);
  }

  // ── start, stop, kill, pause ────────────────────────────────────────────

  async start(ref: string): Promise<void> {
    const c = this.find(ref);
    if (c.State.Running && !c.State.Restarting) throw notModified();
    if (c.State.Status === 'removing' || c.State.Dead) throw conflict(`container ${displayName(c)} is marked for removal and cannot be started`);
    c.StoppedByUser = false;
    this.cancelRestart(c.Id);
    await this.run(c);
  }

  /**
   * Runs the container's process. The monitor is spawned first, mounts the
   * root filesystem, and waits while the bundle is written; connecting to it
   * is its signal to run the container (create and start in one runtime
   * process), so attach sees the first byte of output.
   */
  private async run(c: ContainerRecord): Promise<void> {
    // An exit seen while the start is under way waits for its outcome: a
    // process that ends at once is recorded (and its `die` published) only
    // after its `start`, whatever order the monitor's frames and the
    // runtime's answer arrive in.
    let settle!: () => void;
    const outcome = new Promise<void>((resolve) => (settle = resolve));
    try {
      await this.runOnce(c, outcome);
    } finally {
      settle();
    }
  }

  private async runOnce(c: ContainerRecord, outcome: Promise<void>): Promise<void> {
    const stateDir = this.stateDir(c.Id);
    const { maxSize, maxFiles } = logLimits(c.HostConfig);
    await this.live.get(c.Id)?.cleanup;
    if (existsSync(join(this.deps.runtime.root, c.Id))) await this.deps.runtime.delete(c.Id, { force: true }).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const live = this.liveOf(c.Id);
    let plugged = false;
    let ready: Promise<SpawnedMonitor> | undefined;
    let monitorPid = 0;
    let bundle: Promise<string> | undefined;
    let started: SpawnedMonitor;
    try {
      const network = await plugIn(this, c);
      plugged = true;
      let listening!: (pid: number) => void;
      const monitorListens = new Promise<number>((resolve) => (listening = resolve));
      ready = spawnMonitor(
        {
          mode: 'run',
          runtimePath: this.deps.runtime.path,
          runtimeRoot: this.deps.runtime.root,
          id: c.Id,
          stateDir,
          bundle: bundleDirOf(this, c.Id),
          logFile: c.HostConfig.LogConfig?.Type === 'none' ? undefined : c.LogPath,
          logMaxSize: maxSize || undefined,
          logMaxFiles: maxFiles,
          rootfs: this.deps.snapshots.mountPoint(c.Id),
          mountOverlay: this.deps.snapshots.mountPlan(c.Id, this.deps.images.layerDirs(c.Image)),
          tty: !!c.Config.Tty,
          stdin: !!c.Config.OpenStdin,
        },
        (pid) => listening((monitorPid = pid)),
      );
      // The monitor mounts the root filesystem before it listens.
      await Promise.race([monitorListens, ready]);
      bundle = prepareBundle(this, c, network);
      await bundle;
      await this.attachMonitor(c, live, outcome);
      started = await ready;
    } catch (e) {
      // Nothing runs yet: a monitor still waiting for its signal is sent away.
      if (monitorPid && !live.conn) killQuietly(monitorPid);
      await ready?.catch(() => undefined);
      await bundle?.catch(() => undefined);
      await this.deps.snapshots.unmount(c.Id).catch(() => undefined);
      if (plugged) await unplug(this, c);
      c.State = { ...c.State, Status: c.State.Status === 'created' ? 'created' : 'exited', Running: false, Restarting: false, ExitCode: 128, Error: (e as Error).message };
      this.save(c);
      throw e instanceof Error && 'status' in e ? e : serverError(`failed to create task for container: ${(e as Error).message}`);
    }
    c.State = { ...c.State, Status: 'running', Running: true, Paused: false, Restarting: false, Pid: started.pid, ExitCode: 0, Error: '', StartedAt: new Date().toISOString(), FinishedAt: c.State.FinishedAt };
    c.MonitorPid = started.monitorPid;
    this.save(c);
    this.publish(c, 'start');
    if (c.Config.Healthcheck?.Test?.length && c.Config.Healthcheck.Test[0] !== 'NONE') {
      live.health?.stop();
      live.health = new HealthChecker(this, c);
      live.health.start();
    }
  }

  /**
   * Connects to a container's monitor: its output for attach; its exit
   * frame, or failing that its closing, for the exit (once per run). While a
   * start is pending (`starting`), an exit waits for the start's outcome, so
   * it is never taken for the end of an earlier run.
   */
  private async attachMonitor(c: ContainerRecord, live: Live, starting?: Promise<unknown>): Promise<void> {
    const conn = await connectMonitor(this.stateDir(c.Id));
    live.conn = conn;
    this.signals.emit(`connected:${c.Id}`, conn);
    conn.on('output', (stream: 1 | 2, chunk: Buffer) => {
      for (const l of live.listeners) l(stream, chunk);
    });
    const closed = new Promise<void>((resolve) => conn.once('close', () => resolve()));
    let ended = false;
    const end = (released?: Promise<void>) => {
      if (ended) return;
      ended = true;
      void (starting ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => this.exited(c.Id, released))
        .catch((e) => this.deps.log?.(`after exit of ${c.Id}: ${(e as Error).message}`));
    };
    // The monitor that sent the frame lets go of the container itself, and closes when done.
    conn.on('exited', () => end(closed));
    conn.on('close', () => {
      if (live.conn === conn) live.conn = undefined;
      end();
    });
  }

  /** The monitor went away: the container's process has ended. */
  private async exited(id: string, releasedByMonitor?: Promise<void>): Promise<void> {
    const c = this.records.get(id);
    if (!c || !c.State.Running) return;
    const live = this.liveOf(id);
    const exit = readExitRecord(this.stateDir(id));
    live.health?.stop();
    live.health = undefined;
    const exitCode = exit?.exitCode ?? 255;
    c.State = {
      ...c.State,
      Status: 'exited',
      Running: false,
      Paused: false,
      Restarting: false,
      Pid: 0,
      ExitCode: exitCode,
      OOMKilled: exit?.oomKilled ?? false,
      Error: exit ? (exit.error ?? '') : 'the container monitor ended without recording an exit',
      FinishedAt: exit?.finishedAt ?? new Date().toISOString(),
    };
    if (c.State.Health) c.State.Health = { ...c.State.Health, Status: 'unhealthy' };
    c.MonitorPid = undefined;
    // Waiters learn of the exit first; letting go of the runtime state, the
    // root filesystem (as docker does: it is mounted again for the next start
    // or an archive request), the network and the volumes follows, and the
    // next start or remove waits for that. A run-mode monitor lets go of the
    // first two itself and closes once done (`releasedByMonitor`).
    live.cleanup = (async () => {
      // A spawn blocks this thread for a moment: let the waiters' answers go out first.
      await new Promise((resolve) => setImmediate(resolve));
      await releasedByMonitor;
      // What the monitor could not let go of, or what no monitor was left to.
      await Promise.all([
        existsSync(join(this.deps.runtime.root, id)) ? this.deps.runtime.delete(id, { force: true }).catch(() => undefined) : undefined,
        this.deps.snapshots.unmount(id).catch((e) => this.deps.log?.(`unmount after exit of ${id}: ${(e as Error).message}`)),
      ]);
      await unplug(this, c);
      for (const m of c.Mounts) if (m.Type === 'volume' && m.Name) await this.deps.volumes.release(m.Name, c.Id);
      this.save(c);
    })().catch((e) => this.deps.log?.(`cleanup after exit of ${id}: ${(e as Error).message}`));
    // The record is saved once the cleanup is done: an engine killed before
    // that still finds it running, sees the monitor gone, and comes back here.
    this.publish(c, 'die', { exitCode: String(exitCode) });
    this.signals.emit(`exited:${id}`, exitCode);
    await live.cleanup;
    if (c.HostConfig.AutoRemove) {
      await this.remove(id, { force: true, volumes: true }).catch((e) => this.deps.log?.(`auto-remove ${id}: ${(e as Error).message}`));
      return;
    }
    if (shouldRestart(c, exitCode)) this.scheduleRestart(c, Date.now() - Date.parse(c.State.StartedAt));
  }

  private scheduleRestart(c: ContainerRecord, ranForMs: number): void {
    const live = this.liveOf(c.Id);
    live.restartDelay = restartDelay(live.restartDelay, ranForMs);
    c.State = { ...c.State, Status: 'restarting', Restarting: true, Running: true };
    this.save(c);
    live.restartTimer = setTimeout(() => {
      live.restartTimer = undefined;
      c.RestartCount += 1;
      this.run(c).catch((e) => {
        this.deps.log?.(`restart of ${displayName(c)} failed: ${(e as Error).message}`);
        c.State = { ...c.State, Status: 'exited', Running: false, Restarting: false, Error: (e as Error).message };
        this.save(c);
      });
    }, live.restartDelay);
    live.restartTimer.unref();
  }

  private cancelRestart(id: string): void {
    const live = this.live.get(id);
    if (live?.restartTimer) {
      clearTimeout(live.restartTimer);
      live.restartTimer = undefined;
      const c = this.records.get(id);
      if (c?.State.Restarting) {
        c.State = { ...c.State, Status: 'exited', Running: false, Restarting: false };
        this.save(c);
      }
    }
  }

  async stop(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const c = this.find(ref);
    c.StoppedByUser = true;
    if (c.State.Restarting) {
      this.cancelRestart(c.Id);
      return;
    }
    if (!c.State.Running) throw notModified();
    const signal = opts.signal || c.Config.StopSignal || 'SIGTERM';
    const timeout = opts.timeout ?? c.Config.StopTimeout ?? 10;
    this.publish(c, 'kill', { signal: signalNumber(signal) });
    if (!(timeout >= 0 && (await this.signalAndWait(c, signal, timeout * 1000)))) await this.killAndWait(c, 'SIGKILL', 30_000);
    // A stopped container has let go of its names and addresses before stop
    // returns: a replacement started next must not lose them to its cleanup.
    await this.live.get(c.Id)?.cleanup;
    this.publish(c, 'stop');
  }

  async kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const c = this.find(ref);
    const sig = normalizeSignal(signal);
    if (!c.State.Running || c.State.Restarting) throw conflict(`Cannot kill container: ${ref}: Container ${c.Id} is not running`);
    if (/^(SIG)?(KILL|TERM|INT|9|15|2)$/i.test(signal)) c.StoppedByUser = true;
    await this.deps.runtime.kill(c.Id, sig);
    this.publish(c, 'kill', { signal: signalNumber(signal) });
  }

  async restart(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const c = this.find(ref);
    if (c.State.Running) await this.stop(ref, opts).catch((e) => (e.status === 304 ? undefined : Promise.reject(e)));
    c.StoppedByUser = false;
    await this.run(c);
    this.publish(c, 'restart');
  }

  async pause(ref: string): Promise<void> {
    const c = this.find(ref);
    if (!c.State.Running || c.State.Restarting) throw conflict(`Container ${c.Id} is not running`);
    if (c.State.Paused) throw conflict(`Container ${c.Id} is already paused`);
    await this.deps.runtime.pause(c.Id);
    c.State = { ...c.State, Status: 'paused', Paused: true };
    this.save(c);
    this.publish(c, 'pause');
  }

  async unpause(ref: string): Promise<void> {
    const c = this.find(ref);
    if (!c.State.Paused) throw conflict(`Container ${c.Id} is not paused`);
    await this.deps.runtime.resume(c.Id);
    c.State = { ...c.State, Status: 'running', Paused: false };
    this.save(c);
    this.publish(c, 'unpause');
  }

  /** Sends a signal and waits for the exit; false when it did not come in time. */
  private async signalAndWait(c: ContainerRecord, signal: string, ms: number): Promise<boolean> {
    const exited = this.untilExit(c.Id, ms);
    try {
      await this.deps.runtime.kill(c.Id, normalizeSignal(signal));
      if (c.State.Paused) await this.deps.runtime.resume(c.Id).catch(() => undefined);
    } catch {
      // Already gone: the exit is on its way.
    }
    return exited;
  }

  private async killAndWait(c: ContainerRecord, signal: string, ms: number): Promise<void> {
    const exited = this.untilExit(c.Id, ms);
    await this.deps.runtime.kill(c.Id, signal, { all: true }).catch(() => undefined);
    if (c.State.Paused) await this.deps.runtime.resume(c.Id).catch(() => undefined);
    if (!(await exited)) throw serverError(`container ${displayName(c)} did not exit after ${signal}`);
  }

  /** Resolves true at the container's next exit, false after `ms`. */
  untilExit(id: string, ms: number): Promise<boolean> {
    const c = this.records.get(id);
    if (!c?.State.Running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onExit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.signals.off(`exited:${id}`, onExit);
        resolve(false);
      }, ms);
      this.signals.once(`exited:${id}`, onExit);
    });
  }

  /** `POST /containers/{id}/wait`: `not-running` (default), `next-exit`, `removed`. */
  async wait(ref: string, condition = 'not-running', signal?: AbortSignal): Promise<{ StatusCode: number; Error?: { Message: string } }> {
    const c = this.find(ref);
    if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw badRequest(`invalid condition: "${condition}"`);
    const id = c.Id;
    const result = () => ({ StatusCode: this.records.get(id)?.State.ExitCode ?? c.State.ExitCode });
    if (condition === 'not-running' && !c.State.Running) return result();
    const event = condition === 'removed' ? `removed:${id}` : `exited:${id}`;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      const abort = () => {
        this.signals.off(event, done);
        reject(new Error('client went away'));
      };
      this.signals.once(event, done);
      signal?.addEventListener('abort', abort, { once: true });
    });
    return { StatusCode: c.State.ExitCode };
  }

  // ── output ──────────────────────────────────────────────────────────────

  /** Live output of a running container; returns the unsubscribe. */
  subscribe(id: string, listener: OutputListener): () => void {
    const live = this.liveOf(id);
    live.listeners.add(listener);
    return () => live.listeners.delete(listener);
  }

  connection(id: string): MonitorConnection | undefined {
    return this.live.get(id)?.conn;
  }

  /** Calls back with the monitor connection now, or when the container next starts. */
  whenConnected(id: string, callback: (conn: MonitorConnection) => void): () => void {
    const conn = this.live.get(id)?.conn;
    if (conn) {
      callback(conn);
      return () => undefined;
    }
    this.signals.once(`connected:${id}`, callback);
    return () => this.signals.off(`connected:${id}`, callback);
  }

  setHealth(c: ContainerRecord, status: 'starting' | 'healthy' | 'unhealthy', changed: boolean): void {
    this.save(c);
    if (changed) this.publish(c, `health_status: ${status}`);
  }

  // ── engine start and stop ───────────────────────────────────────────────

  /**
   * After an engine (re)start: reconnect to the monitors of containers that
   * kept running, record the exits that happened meanwhile, and restart
   * what the policies say.
   */
  async recover(): Promise<void> {
    const problem = (what: string) => (e: unknown) => this.deps.log?.(`recovery: ${what}: ${(e as Error).message}`);
    for (const c of [...this.records.values()]) {
      if (c.State.Status === 'removing') {
        await this.settle(c).catch(problem(`container ${c.Id}`));
        await this.destroy(c, {}).catch(problem(`removal of ${c.Id}`));
        continue;
      }
      if (!c.State.Running) {
        await this.settle(c).catch(problem(`container ${c.Id}`));
        continue;
      }
      const live = this.liveOf(c.Id);
      // Its monitor, if it still runs and is still this container's (pids are reused).
      const alive = c.MonitorPid !== undefined && liveMonitor(this.stateDir(c.Id)) === c.MonitorPid;
      if (alive) {
        try {
          await this.attachMonitor(c, live);
          if (c.Config.Healthcheck?.Test?.length && c.Config.Healthcheck.Test[0] !== 'NONE') {
            live.health = new HealthChecker(this, c);
            live.health.start();
          }
          continue;
        } catch {
          // The monitor is on its way out; its exit record says how it ended.
        }
      }
      if (c.State.Restarting) c.State.Running = true;
      await this.exited(c.Id);
    }
    await this.sweepOrphans().catch(problem('leftovers without a record'));
  }

  /**
   * A container no record says runs must hold nothing a run holds. An engine
   * killed between running a container and recording it leaves exactly
   * that: the run is undone (the monitor undoes it itself when it finds the
   * engine gone before its readiness was read).
   */
  private async settle(c: ContainerRecord): Promise<void> {
    const monitor = liveMonitor(this.stateDir(c.Id));
    if (monitor !== undefined || existsSync(join(this.deps.runtime.root, c.Id))) {
      await this.deps.runtime.delete(c.Id, { force: true }).catch(() => undefined);
    }
    if (monitor !== undefined && !(await processGone(monitor, 5000))) killQuietly(monitor);
    await this.deps.snapshots.unmount(c.Id);
    if (this.deps.networks?.manager?.hasSandbox(c.Id)) {
      await unplug(this, c);
      this.save(c);
    }
  }

  /** Runtime state, monitors and directories of containers without a record: a create or removal cut short. */
  private async sweepOrphans(): Promise<void> {
    const known = (id: string) => this.records.has(id);
    const problem = (what: string) => (e: unknown) => this.deps.log?.(`recovery: ${what}: ${(e as Error).message}`);
    const listed = await this.deps.runtime.list().catch((e: unknown) => {
      problem('runtime list')(e);
      return [];
    });
    for (const r of listed) {
      if (!known(r.id)) await this.deps.runtime.delete(r.id, { force: true }).catch(() => undefined);
    }
    const claimedState = (name: string) => [...this.records.keys()].some((id) => id.startsWith(name));
    for (const name of unclaimed(this.deps.execRoot, claimedState, /^[0-9a-f]{16}$/)) {
      const dir = join(this.deps.execRoot, name);
      const monitor = liveMonitor(dir);
      if (monitor !== undefined && !(await processGone(monitor, 5000))) killQuietly(monitor);
      rmSync(dir, { recursive: true, force: true });
    }
    for (const s of this.deps.snapshots.list()) if (!known(s.id)) await this.deps.snapshots.remove(s.id).catch(problem(`layer ${s.id}`));
    const containersDir = join(this.deps.dataRoot, 'containers');
    for (const id of unclaimed(containersDir, known, /^[0-9a-f]{64}$/)) rmSync(join(containersDir, id), { recursive: true, force: true });
  }

  /** The engine is stopping: let go of monitors, leave containers running. */
  detachAll(): void {
    for (const live of this.live.values()) {
      live.health?.stop();
      if (live.restartTimer) clearTimeout(live.restartTimer);
      const conn = live.conn;
      live.conn = undefined;
      conn?.removeAllListeners('close');
      conn?.close();
    }
  }
}

function portsOf(bindings: Record<string, unknown> | null | undefined): Record<string, object> {
  const out: Record<string, object> = {};
  for (const port of Object.keys(bindings ?? {})) out[port.includes('/') ? port : `${port}/tcp`] = {};
  return out;
}

function endpointsOf(endpoints: ContainerRecord['Networks'] | undefined, mode: string | undefined): ContainerRecord['Networks'] {
  const out: ContainerRecord['Networks'] = {};
  for (const [name, settings] of Object.entries(endpoints ?? {})) out[name] = { ...settings };
  if (Object.keys(out).length === 0 && mode && !mode.startsWith('container:') && mode !== 'none' && mode !== 'host') {
    out[mode === 'default' ? 'bridge' : mode] = {};
  }
  return out;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const SIGNALS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15,
  STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31,
};

/** `SIGTERM`, `TERM`, `15`, `RTMIN+3` → what runc accepts; anything else is the client's mistake. */
export function normalizeSignal(signal: string): string {
  if (/^\d+$/.test(signal) && Number(signal) >= 1 && Number(signal) <= 64) return signal;
  const name = signal.toUpperCase().replace(/^SIG/, '');
  if (name in SIGNALS || /^RTMIN(\+\d+)?$|^RTMAX(-\d+)?$/.test(name)) return `SIG${name}`;
  throw badRequest(`Invalid signal: ${signal}`);
}

function signalNumber(signal: string): string {
  if (/^\d+$/.test(signal)) return signal;
  return String(SIGNALS[signal.toUpperCase().replace(/^SIG/, '')] ?? signal);
}
