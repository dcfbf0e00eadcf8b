// The "do" half: carries out a Plan on an engine without deciding anything.
// Networks and volumes first, then services in dependency order with as much
// parallelism as the graph (and --parallel) allows; a service's containers
// start only once its depends_on conditions hold.

import { Readable } from 'node:stream';
import { Label } from '../common/labels.js';
import { isNotFound, type EngineClient } from '../engine-client/index.js';
import { traverse, type ServiceGraph } from '../graph/index.js';
import { containerLabels, type Action, type Plan } from '../plan/index.js';
import type { Project } from '../spec/types.js';
import { containerRequest } from './container-request.js';
import type { ProgressSink } from './progress.js';
import { waitForDependency } from './wait-dependency.js';
import { injectedArchive, injectedFiles } from './injected-files.js';

export interface ExecuteOptions {
  parallel?: number;
  /** Create but do not start (`--no-start`, `create`). */
  noStart?: boolean;
  /** Seconds to wait for a stop before SIGKILL. */
  timeout?: number;
  signal?: AbortSignal;
  onProgress?: ProgressSink;
}

export async function executePlan(engine: EngineClient, project: Project, graph: ServiceGraph, plan: Plan, opts: ExecuteOptions = {}): Promise<void> {
  const emit = opts.onProgress ?? (() => {});
  // A secret whose variable is unset fails here, before anything is made.
  for (const [service, actions] of Object.entries(plan.services)) {
    if (actions.some((a) => a.kind === 'create-container' || a.kind === 'recreate-container')) injectedFiles(project, project.services[service]!);
  }
  for (const a of plan.resources) await createResource(engine, project, a, emit);

  const names = new Map<string, string[]>();
  for (const [service, actions] of Object.entries(plan.services)) {
    names.set(service, actions.filter((a) => a.kind !== 'remove-container').map((a) => a.name));
  }
  const containersOf = (s: string) => names.get(s) ?? [];
  const multiNetworkCreate = engine.supports('1.44');

  const result = await traverse(
    graph,
    async (service, signal) => {
      const svc = project.services[service]!;
      const actions = plan.services[service] ?? [];
      const starts = actions.some((a) => a.kind !== 'remove-container' && a.kind !== 'keep-container');
      if (starts && !opts.noStart) {
        for (const [dep, d] of Object.entries(svc.depends_on ?? {})) {
          if (!plan.services[dep]) continue;
          for (const c of containersOf(dep)) emit({ object: 'Container', name: c, status: 'Waiting', done: false });
          await waitForDependency(engine, service, dep, d, containersOf(dep), signal);
          for (const c of containersOf(dep)) emit({ object: 'Container', name: c, status: d.condition === 'service_healthy' ? 'Healthy' : d.condition === 'service_completed_successfully' ? 'Exited' : 'Started', done: true });
        }
      }
      await Promise.all(
        actions.map(async (a) => {
          const create = async () => {
            const req = containerRequest({ project, service: svc, name: a.name, number: a.number ?? 1, labels: containerLabels(project, svc, a.number ?? 1), containersOf, multiNetworkCreate });
            const files = injectedFiles(project, svc);
            emit({ object: 'Container', name: a.name, status: 'Creating', done: false });
            await engine.containers.create(req.body as never, { name: a.name, signal });
            for (const extra of req.extraNetworks) await engine.networks.connect(extra.network, a.name, extra.endpoint as never);
            if (files.length) await engine.containers.putArchive(a.name, '/', Readable.from(injectedArchive(files)), { signal });
            emit({ object: 'Container', name: a.name, status: 'Created', done: opts.noStart === true });
          };
          const start = async () => {
            emit({ object: 'Container', name: a.name, status: 'Starting', done: false });
            await engine.containers.start(a.name, { signal });
            emit({ object: 'Container', name: a.name, status: 'Started', done: true });
          };
          switch (a.kind) {
            case 'create-container':
              await create();
              if (!opts.noStart) await start();
              break;
            case 'recreate-container':
              emit({ object: 'Container', name: a.name, status: 'Recreate', detail: a.reason, done: false });
              await engine.containers.stop(a.containerId!, { timeout: opts.timeout });
              await engine.containers.remove(a.containerId!, { force: true });
              await create();
              if (!opts.noStart) await start();
              break;
            case 'start-container':
              if (!opts.noStart) await start();
              break;
            case 'remove-container':
              await removeContainer(engine, a, opts.timeout, emit);
              break;
            case 'keep-container':
              emit({ object: 'Container', name: a.name, status: 'Running', done: true });
              break;
            default:
              break;
          }
        }),
      );
    },
    { direction: 'up', only: Object.keys(plan.services), parallel: opts.parallel, signal: opts.signal },
  );
  for (const a of plan.orphans) await removeContainer(engine, a, opts.timeout, emit);
  if (result.failed.length > 0) {
    const first = result.failed[0]!;
    throw first.error;
  }
}

/** Down: containers in reverse dependency order, then orphans, then networks and volumes. */
export async function executeDown(engine: EngineClient, graph: ServiceGraph, plan: Plan, opts: ExecuteOptions = {}): Promise<void> {
  const emit = opts.onProgress ?? (() => {});
  const inGraph = Object.keys(plan.services).filter((s) => graph.has(s));
  const result = await traverse(
    graph,
    async (service) => {
      await Promise.all((plan.services[service] ?? []).map((a) => removeContainer(engine, a, opts.timeout, emit)));
    },
    { direction: 'down', only: inGraph, parallel: opts.parallel, signal: opts.signal },
  );
  const rest = [...Object.entries(plan.services).filter(([s]) => !graph.has(s)).flatMap(([, a]) => a), ...plan.orphans];
  await Promise.all(rest.map((a) => removeContainer(engine, a, opts.timeout, emit)));
  if (result.failed.length > 0) throw result.failed[0]!.error;
  for (const a of plan.cleanup) {
    const object = a.kind === 'remove-network' ? 'Network' : a.kind === 'remove-volume' ? 'Volume' : 'Image';
    emit({ object, name: a.name, status: 'Removing', done: false });
    if (a.kind === 'remove-network') await engine.networks.remove(a.name);
    else if (a.kind === 'remove-volume') await engine.volumes.remove(a.name);
    else {
      // An image never built or pulled here is simply not there to remove, as with docker compose.
      const gone = await engine.images.remove(a.name).then(() => true, (e: unknown) => {
        if (isNotFound(e)) return false;
        throw e;
      });
      if (!gone) {
        emit({ object, name: a.name, status: 'Not found', done: true });
        continue;
      }
    }
    emit({ object, name: a.name, status: 'Removed', done: true });
  }
}

async function removeContainer(engine: EngineClient, a: Action, timeout: number | undefined, emit: ProgressSink): Promise<void> {
  const id = a.containerId ?? a.name;
  emit({ object: 'Container', name: a.name, status: 'Stopping', done: false });
  await engine.containers.stop(id, { timeout });
  emit({ object: 'Container', name: a.name, status: 'Removing', done: false });
  await engine.containers.remove(id, { force: true, volumes: false });
  emit({ object: 'Container', name: a.name, status: 'Removed', done: true });
}

async function createResource(engine: EngineClient, project: Project, a: Action, emit: ProgressSink): Promise<void> {
  if (a.kind === 'create-network') {
    const net = project.networks[a.key!]!;
    emit({ object: 'Network', name: a.name, status: 'Creating', done: false });
    await engine.networks.create({
      Name: net.name,
      Driver: net.driver ?? 'bridge',
      Internal: net.internal,
      Attachable: net.attachable,
      EnableIPv6: net.enable_ipv6,
      Options: net.driver_opts,
      IPAM: net.ipam ? { Driver: net.ipam.driver ?? 'default', Config: (net.ipam.config ?? []).map((c) => ({ Subnet: c.subnet, IPRange: c.ip_range, Gateway: c.gateway, AuxiliaryAddresses: c.aux_addresses })), Options: net.ipam.options } : undefined,
      Labels: { ...(net.labels ?? {}), [Label.project]: project.name, [Label.network]: a.key!, [Label.version]: '2.29.0' },
      CheckDuplicate: true,
    } as never);
    emit({ object: 'Network', name: a.name, status: 'Created', done: true });
  } else if (a.kind === 'create-volume') {
    const vol = project.volumes[a.key!]!;
    emit({ object: 'Volume', name: a.name, status: 'Creating', done: false });
    await engine.volumes.create({ Name: vol.name, Driver: vol.driver, DriverOpts: vol.driver_opts, Labels: { ...(vol.labels ?? {}), [Label.project]: project.name, [Label.volume]: a.key!, [Label.version]: '2.29.0' } } as never);
    emit({ object: 'Volume', name: a.name, status: 'Created', done: true });
  }
}
