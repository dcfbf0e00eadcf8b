// `compose run`: a one-off container for a service, named
// `<project>-<service>-run-<12 hex>` and labelled `oneoff=True` so that
// `ps -a` and `down` see it as docker compose's own. Its dependencies are
// brought up first (unless noDeps), the service's ports are published only
// when asked, and the container is attached (or, detached, only started).
// The caller gets its streams and, once it ends, its exit code.

import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import { isEngineError, type EngineClient } from '../engine-client/index.js';
import { buildGraph } from '../graph/index.js';
import { containerLabels, planUp } from '../plan/index.js';
import type { LoadOptions, Project } from '../spec/index.js';
import type { AttachedProcess } from './attached-process.js';
import { containerRequest } from './container-request.js';
import { resolveEnv } from './exec.js';
import { executePlan } from './executor.js';
import { observe } from './observe.js';
import type { ProgressSink } from './progress.js';
import { pull, type PullPolicy } from './pull.js';
import { publishedPorts } from './run-ports.js';
import { openSession, type EngineOptions } from './session.js';
import { waitForDependency } from './wait-dependency.js';
import { injectedArchive, injectedFiles } from './injected-files.js';

export interface RunOptions extends EngineOptions {
  service: string;
  /** Replaces the service's command; the service's own when empty. */
  command?: string[];
  /** Replaces the entrypoint (and, without a command, drops the service's command). */
  entrypoint?: string[];
  /** Start it and return at once, with the container's ID. */
  detach?: boolean;
  /** Remove the container once it ended. */
  rm?: boolean;
  /** Do not start the services it depends on. */
  noDeps?: boolean;
  /** `KEY=VALUE`, or `KEY` to pass it from the project's environment. */
  environment?: string[];
  /** `-l KEY=VALUE` labels on the container. */
  labels?: Record<string, string>;
  /** `-p`: `[[ip:]host:]container[/protocol]`. */
  publish?: string[];
  /** Publish the service's own ports. */
  servicePorts?: boolean;
  /** Keep the service's network aliases. */
  useAliases?: boolean;
  /** `-v`: `source:target[:mode]` bind or volume mounts. */
  volumes?: string[];
  /** A name instead of `<project>-<service>-run-<hex>`. */
  name?: string;
  user?: string;
  workdir?: string;
  /** A pseudo-TTY (stdout and stderr then arrive as one stream). */
  tty?: boolean;
  /** Connect the caller's input (default true unless detached). */
  interactive?: boolean;
  consoleSize?: { height: number; width: number };
  /** Fetch the image first. */
  pull?: PullPolicy;
  parallel?: number;
  onProgress?: ProgressSink;
}

/** A one-off container; its exit code arrives after its removal with `rm`. */
export interface RunProcess extends AttachedProcess {
  id: string;
}

export async function run(load: LoadOptions, opts: RunOptions): Promise<RunProcess> {
  const { project, engine } = await openSession({ ...load, services: [opts.service] }, opts);
  const svc = project.services[opts.service];
  if (!svc) throw new GantryError('usage', `no such service: ${opts.service}`);
  if (opts.pull) await pull(load, { ...opts, services: [opts.service], policy: opts.pull, includeDeps: false });
  const graph = buildGraph(project);
  const deps = opts.noDeps ? [] : graph.withDependencies([opts.service]).filter((s) => s !== opts.service);

  // The plan for the dependencies; with none, only the networks and volumes the container needs.
  const observed = await observe(engine, project.name, opts.signal);
  const plan = planUp(project, observed, graph, { services: deps.length ? deps : [opts.service], noDeps: deps.length === 0 });
  if (deps.length === 0) plan.services = {};
  await executePlan(engine, project, graph, plan, { parallel: opts.parallel, signal: opts.signal, onProgress: opts.onProgress });
  const replicas = await replicaNames(engine, project);
  if (!opts.noDeps) {
    for (const [dep, d] of Object.entries(svc.depends_on ?? {})) {
      if (deps.includes(dep)) await waitForDependency(engine, opts.service, dep, d, replicas.get(dep) ?? [], opts.signal);
    }
  }

  const name = opts.name ?? `${project.name}-${opts.service}-run-${randomBytes(6).toString('hex')}`;
  const interactive = !opts.detach && (opts.interactive ?? true);
  const tty = Boolean(opts.tty);
  const env = resolveEnv(opts.environment ?? [], project.environment) ?? [];
  const req = containerRequest({
    project,
    service: { ...svc, restart: undefined, deploy: svc.deploy ? { ...svc.deploy, restart_policy: undefined } : undefined },
    name,
    number: 1,
    labels: { ...containerLabels(project, svc, 1, true), ...(opts.labels ?? {}) },
    containersOf: (s) => replicas.get(s) ?? [],
    multiNetworkCreate: engine.supports('1.44'),
    oneOff: {
      command: opts.command?.length ? opts.command : opts.entrypoint ? [] : undefined,
      entrypoint: opts.entrypoint,
      env: Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
      tty,
      stdin: interactive,
      user: opts.user,
      workdir: opts.workdir,
      ports: opts.servicePorts,
    },
  });
  const body = req.body as { Labels: Record<string, string>; ExposedPorts?: Record<string, object>; HostConfig: Record<string, unknown>; NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[] }> } };
  body.Labels[Label.containerNumber] = '1';
  const extra = publishedPorts(opts.publish ?? []);
  if (Object.keys(extra.exposed).length) {
    body.ExposedPorts = { ...(body.ExposedPorts ?? {}), ...extra.exposed };
    body.HostConfig.PortBindings = { ...((body.HostConfig.PortBindings as object | undefined) ?? {}), ...extra.bindings };
  }
  if (opts.volumes?.length) body.HostConfig.Binds = [...((body.HostConfig.Binds as string[] | undefined) ?? []), ...opts.volumes];
  // A detached --rm container is removed by the engine; an attached one by us, after its exit code is read.
  if (opts.rm && opts.detach) body.HostConfig.AutoRemove = true;
  if (!opts.useAliases) {
    // docker compose gives a one-off container no service alias, so it does not answer for the service.
    for (const ep of Object.values(body.NetworkingConfig?.EndpointsConfig ?? {})) ep.Aliases = (ep.Aliases ?? []).filter((a) => a !== svc.name);
    for (const n of req.extraNetworks) (n.endpoint as { Aliases?: string[] }).Aliases = ((n.endpoint as { Aliases?: string[] }).Aliases ?? []).filter((a) => a !== svc.name);
  }

  const files = injectedFiles(project, svc);
  let id = '';
  try {
    id = (await engine.containers.create(req.body as never, { name, signal: opts.signal })).Id;
    for (const n of req.extraNetworks) await engine.networks.connect(n.network, id, n.endpoint as never);
    if (files.length) await engine.containers.putArchive(id, '/', Readable.from(injectedArchive(files)), { signal: opts.signal });
  } catch (e) {
    // A one-off container that could not be made whole is not left behind.
    if (id) await engine.containers.remove(id, { force: true }).catch(() => undefined);
    throw failure(opts.service, e);
  }
  const resize = async (size: { height: number; width: number }) => {
    if (tty && size.height > 0 && size.width > 0) await engine.containers.resize(id, size);
  };

  if (opts.detach) {
    await engine.containers.start(id, { signal: opts.signal }).catch((e) => {
      throw failure(opts.service, e);
    });
    return { container: name, id, resize, exitCode: Promise.resolve(0), close: () => {} };
  }

  const streams = await engine.containers.attach(id, { stdin: interactive, stdout: true, stderr: true, tty, signal: opts.signal });
  try {
    await engine.containers.start(id, { signal: opts.signal });
  } catch (e) {
    streams.close();
    await engine.containers.remove(id, { force: true }).catch(() => {});
    throw failure(opts.service, e);
  }
  if (tty && opts.consoleSize) await resize(opts.consoleSize).catch(() => {});
  const exitCode = (async () => {
    const code = await engine.containers.wait(id, { condition: 'not-running' });
    // The output may still be in flight when the engine reports the exit.
    await Promise.race([streams.done, new Promise((r) => setTimeout(r, 2000))]);
    if (opts.rm) await engine.containers.remove(id, { force: true }).catch(() => {});
    return code;
  })();
  exitCode.catch(() => {});
  return { container: name, id, stdin: streams.stdin, stdout: streams.stdout, stderr: streams.stderr, resize, exitCode, close: () => streams.close() };
}

/** Container names of each service's replicas, for links, volumes_from and depends_on waits. */
async function replicaNames(engine: EngineClient, project: Project): Promise<Map<string, string[]>> {
  const list = await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${project.name}`, `${Label.oneoff}=False`] } });
  const out = new Map<string, string[]>();
  const sorted = list.sort((a, b) => Number(a.Labels[Label.containerNumber] ?? 0) - Number(b.Labels[Label.containerNumber] ?? 0));
  for (const c of sorted) {
    const s = c.Labels[Label.service] ?? '';
    out.set(s, [...(out.get(s) ?? []), (c.Names[0] ?? c.Id).replace(/^\//, '')]);
  }
  return out;
}

function failure(service: string, e: unknown): unknown {
  if (isEngineError(e)) return new GantryError('engine', `service "${service}": ${e.engineMessage ?? e.message}`, { hint: e.hint, cause: e });
  return e;
}
