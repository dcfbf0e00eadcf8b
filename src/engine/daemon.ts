// The engine process: checks the host, takes the data root's lock, loads
// durable state, reconnects to the containers that kept running, and serves
// the API until asked to stop. Stopping leaves containers running: their
// monitors hold them, and the next start finds them again.

import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { listenApi } from './api/server.js';
import { Router } from './api/router.js';
import { EventBus } from './events/event-bus.js';
import { registerSystemRoutes } from './api/routes/system-routes.js';
import { registerContainerRoutes } from './api/routes/container-routes.js';
import { registerExecRoutes } from './api/routes/exec-routes.js';
import { registerImageRoutes } from './api/routes/image-routes.js';
import { registerVolumeRoutes } from './api/routes/volume-routes.js';
import { registerNetworkRoutes } from './api/routes/network-routes.js';
import { registerEventRoutes } from './api/routes/event-routes.js';
import { registerBuildRoutes } from './api/routes/build-routes.js';
import { ContainerService } from './containers/container-service.js';
import { ExecService } from './containers/exec-service.js';
import { detectRuntime, OciRuntime, type RuntimeInfo } from './containers/runtime/index.js';
import { monitorBinaryPath } from './containers/monitor/index.js';
import { familiarName, ImageStore, Snapshots } from './images/index.js';
import { NetworkService } from './networks/network-service.js';
import { NetworkManager } from './networks/network-manager.js';
import { VolumeService } from './volumes/volume-service.js';
import { releaseLock, takeLock } from './engine-lock.js';
import { preflight } from './preflight.js';
import type { EngineOptions } from './options.js';

export interface EngineHandle {
  options: EngineOptions;
  runtime: RuntimeInfo;
  events: EventBus;
  server: Server;
  containers: ContainerService;
  /** Stops serving; containers keep running. `purge` (tests, benchmarks) removes every container and network first. */
  stop(opts?: { purge?: boolean }): Promise<void>;
}

export class EngineStartError extends Error {
  constructor(readonly problems: string[]) {
    super(`the gantry engine cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EngineStartError';
  }
}

export async function startEngine(options: EngineOptions, log: (line: string) => void = () => undefined): Promise<EngineHandle> {
  const { facts, problems } = preflight();
  let runtimeInfo: RuntimeInfo | undefined;
  try {
    runtimeInfo = await detectRuntime(options.runtime);
  } catch (e) {
    problems.push((e as Error).message);
  }
  try {
    monitorBinaryPath();
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (problems.length > 0 || !runtimeInfo) throw new EngineStartError(problems);

  mkdirSync(options.dataRoot, { recursive: true, mode: 0o711 });
  mkdirSync(options.execRoot, { recursive: true, mode: 0o700 });
  takeLock(options.dataRoot);
  try {
    const runtime = new OciRuntime(runtimeInfo.path, join(options.execRoot, 'runtime'));
    const events = new EventBus();
    let containers: ContainerService | undefined;
    const volumes = new VolumeService({ dataRoot: options.dataRoot, events, usedBy: (name) => containers?.usersOfVolume(name) ?? [] });
    const images = new ImageStore(join(options.dataRoot, 'images'), { isInUse: (id: string) => containers?.usesImage(id) ?? false });
    await images.init();
    const snapshots = new Snapshots(join(options.dataRoot, 'rootfs'));
    const networkManager = new NetworkManager({ dataRoot: options.dataRoot, log });
    const networks = new NetworkService(options.dataRoot, events, networkManager);
    await networks.restore();
    containers = new ContainerService({
      dataRoot: options.dataRoot,
      execRoot: options.execRoot,
      events,
      volumes,
      images: {
        resolve: (ref) => {
          try {
            const img = images.resolve(ref);
            return { id: img.id, config: img.config.config ?? {} };
          } catch {
            return undefined;
          }
        },
        layerDirs: (id) => images.layerDirs(images.get(id)!),
      },
      snapshots,
      runtime,
      networks,
      log,
    });
    const execs = new ExecService(containers);
    containers.probe = (c, cmd, timeoutMs) => execs.run(c.Id, cmd, timeoutMs);
    await containers.recover();
    await volumes.reconcileMounts((id) => containers!.lookup(id)?.State.Running === true);

    const router = new Router();
    const startedAt = new Date();
    registerSystemRoutes(router, {
      options,
      startedAt,
      info: () => {
        const list = containers!.list();
        return {
          Containers: list.length,
          ContainersRunning: list.filter((c) => c.State.Running && !c.State.Paused).length,
          ContainersPaused: list.filter((c) => c.State.Paused).length,
          ContainersStopped: list.filter((c) => !c.State.Running).length,
          Images: images.list().length,
          CgroupVersion: facts.cgroup === 'v2' ? '2' : '1',
          DefaultRuntime: runtimeInfo!.name,
          Runtimes: { [runtimeInfo!.name]: { path: runtimeInfo!.path } },
          RuntimeNote: runtimeInfo!.reason ?? '',
          Pid: process.pid,
        };
      },
    });
    registerContainerRoutes(router, {
      containers,
      execs,
      imageName: (c) => c.Config.Image || familiarName(images.get(c.Image)?.repoTags[0] ?? '') || c.Image,
      rootfsOf: async (c) => {
        if (c.State.Running && c.State.Pid) return `/proc/${c.State.Pid}/root`;
        return (await snapshots.prepare(c.Id, images.layerDirs(images.get(c.Image)!))).rootfs;
      },
      filesystemOf: async (c) => (await snapshots.prepare(c.Id, images.layerDirs(images.get(c.Image)!))).rootfs,
    });
    registerExecRoutes(router, execs);
    registerImageRoutes(router, images, events);
    registerVolumeRoutes(router, volumes, (name) => containers!.usersOfVolume(name));
    registerNetworkRoutes(router, networks, containers);
    registerEventRoutes(router, events);
    registerBuildRoutes(router, { images, snapshots, containers, dataRoot: options.dataRoot });

    const server = await listenApi({
      socketPath: options.socketPath,
      router,
      onInternalError: (err, req) => log(`${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`),
    });
    log(`engine ready on ${options.socketPath} (runtime ${runtimeInfo.name} ${runtimeInfo.version}, data root ${options.dataRoot})`);
    return {
      options,
      runtime: runtimeInfo,
      events,
      server,
      containers,
      async stop(opts = {}) {
        if (opts.purge) {
          for (const c of containers!.list()) await containers!.remove(c.Id, { force: true, volumes: true }).catch((e) => log(`purge ${c.Id}: ${(e as Error).message}`));
          for (const n of networks.list()) if (n.Driver === 'bridge') await networkManager.removeNetwork(n).catch((e) => log(`purge ${n.Name}: ${(e as Error).message}`));
        }
        containers!.detachAll();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await networkManager.close();
        releaseLock(options.dataRoot);
      },
    };
  } catch (e) {
    releaseLock(options.dataRoot);
    throw e;
  }
}
