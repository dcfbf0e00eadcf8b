// The shared walk behind start, stop, restart, kill, pause, unpause and rm:
// they act on containers the project already has. Containers are found by
// their compose labels (so, like docker compose, these commands work with
// only `-p NAME`), services are visited in dependency order (reverse for
// stop and kill) when the compose file is at hand, and every engine refusal
// comes back as one line that names the service.

import { GantryError, isGantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import { isEngineError, type ContainerSummary, type EngineClient } from '../engine-client/index.js';
import { buildGraph, traverse, type ServiceGraph } from '../graph/index.js';
import { loadProject, type LoadOptions, type Project } from '../spec/index.js';
import { byReplica, isOneoff, serviceOf } from './containers.js';
import type { ProgressSink } from './progress.js';
import { nameOf, openEngine, type EngineOptions } from './session.js';

export interface LifecycleOptions extends EngineOptions {
  /** Services named on the command line; all when empty. */
  services?: string[];
  /** At most this many services at once. */
  parallel?: number;
  /** Say what would be done, call nothing that changes the engine. */
  dryRun?: boolean;
  onProgress?: ProgressSink;
}

/** One container a command acted on (or, with dryRun, would have). */
export interface ContainerStep {
  service: string;
  /** `app-web-1`. */
  container: string;
  id: string;
}

export interface Scope {
  /** The project's name as its containers' labels say it. */
  name: string;
  project?: Project;
  graph?: ServiceGraph;
  engine: EngineClient;
}

/**
 * The compose file when it loads (it gives the order); else, as docker
 * compose allows, only the project's name from `-p` or COMPOSE_PROJECT_NAME.
 */
export async function openScope(load: LoadOptions, opts: EngineOptions, services: string[] = []): Promise<Scope> {
  const [found, engine] = await Promise.all([projectFileOrName(load, services), openEngine(opts)]);
  return { ...found, engine, graph: found.project ? buildGraph(found.project) : undefined };
}

async function projectFileOrName(load: LoadOptions, services: string[]): Promise<{ name: string; project?: Project }> {
  try {
    const project = await loadProject({ ...load, services: services.length ? services : load.services });
    return { name: project.name, project };
  } catch (e) {
    if (isGantryError(e) && e.kind === 'usage') throw e;
    const name = load.projectName ?? (load.env ?? process.env).COMPOSE_PROJECT_NAME;
    if (name) return { name: name.toLowerCase() };
    throw e;
  }
}

export interface ListQuery {
  /** Also stopped containers. */
  all: boolean;
  /** Include one-off (`run`) containers. */
  oneoff: boolean;
  signal?: AbortSignal;
}

/** The project's containers by service, replicas by number. */
export async function containersByService(scope: Scope, q: ListQuery): Promise<Map<string, ContainerSummary[]>> {
  const label = [`${Label.project}=${scope.name}`];
  if (!q.oneoff) label.push(`${Label.oneoff}=False`);
  const list = await scope.engine.containers.list({ all: q.all, filters: { label }, signal: q.signal });
  const out = new Map<string, ContainerSummary[]>();
  for (const c of list.sort(byReplica)) {
    const s = serviceOf(c);
    const group = out.get(s);
    if (group) group.push(c);
    else out.set(s, [c]);
  }
  return out;
}

export type ServiceVisit = (service: string, signal: AbortSignal) => Promise<void>;

/**
 * Visits `services` in dependency order ('up') or dependents first ('down');
 * without a compose file there is no graph, and all go at once. The first
 * failure is thrown once every started visit has settled.
 */
export async function walkServices(scope: Scope, services: string[], direction: 'up' | 'down', visit: ServiceVisit, opts: { parallel?: number; signal?: AbortSignal } = {}): Promise<void> {
  const graph = scope.graph;
  const inGraph = graph ? services.filter((s) => graph.has(s)) : [];
  const outside = services.filter((s) => !inGraph.includes(s));
  const failures: unknown[] = [];
  const signal = opts.signal ?? new AbortController().signal;
  if (graph && inGraph.length) {
    const result = await traverse(graph, (s, sig) => guarded(s, sig), { direction, only: inGraph, parallel: opts.parallel, signal: opts.signal });
    failures.push(...result.failed.map((f) => f.error));
  }
  const settled = await Promise.allSettled(outside.map((s) => guarded(s, signal)));
  for (const r of settled) if (r.status === 'rejected') failures.push(r.reason);
  if (failures.length) throw failures[0];

  async function guarded(service: string, sig: AbortSignal): Promise<void> {
    try {
      await visit(service, sig);
    } catch (e) {
      throw serviceFailure(service, e);
    }
  }
}

/** An engine refusal as one line naming the service; anything else as it is. */
export function serviceFailure(service: string, e: unknown): unknown {
  if (!isGantryError(e) || e.message.includes(`service "${service}"`)) return e;
  if (isEngineError(e)) {
    return new GantryError('engine', `service "${service}": ${e.engineMessage ?? e.message}`, { hint: e.hint, cause: e });
  }
  return e;
}

/** Runs one engine step per container, all at once, with the events docker compose shows. */
export async function eachContainer(
  containers: ContainerSummary[],
  words: { working: string; done: string },
  step: ((c: ContainerSummary) => Promise<void>) | undefined,
  emit: ProgressSink,
  acted: ContainerStep[],
): Promise<void> {
  await Promise.all(
    containers.map(async (c) => {
      const name = nameOf(c);
      emit({ object: 'Container', name, status: words.working, done: false });
      if (step) {
        try {
          await step(c);
        } catch (e) {
          throw serviceFailure(serviceOf(c), e);
        }
      }
      acted.push({ service: serviceOf(c), container: name, id: c.Id });
      emit({ object: 'Container', name, status: words.done, done: true });
    }),
  );
}

/** What a command does to each service's containers: which ones, the progress words, and the engine call. */
export interface ContainerAction {
  words: { working: string; done: string };
  /** The service's containers to act on; may first wait (start waits for depends_on). */
  pick(service: string, signal: AbortSignal): ContainerSummary[] | Promise<ContainerSummary[]>;
  act(c: ContainerSummary, signal: AbortSignal): Promise<void>;
}

/** Visits `services` in dependency order (`down`: dependents first) and acts on each one's containers; with dryRun only reports. */
export async function actOnServices(scope: Scope, services: string[], direction: 'up' | 'down', action: ContainerAction, opts: LifecycleOptions): Promise<ContainerStep[]> {
  const emit = opts.onProgress ?? (() => {});
  const acted: ContainerStep[] = [];
  await walkServices(
    scope,
    services,
    direction,
    async (service, signal) => {
      const containers = await action.pick(service, signal);
      await eachContainer(containers, action.words, opts.dryRun ? undefined : (c) => action.act(c, signal), emit, acted);
    },
    opts,
  );
  return acted;
}

/** Services to act on: those named (checked against the file when there is one), else every one that has containers or is declared. */
export function chosenServices(scope: Scope, named: string[] | undefined, found: Map<string, unknown>): string[] {
  if (named?.length) return [...new Set(named)];
  const all = new Set<string>(scope.project ? Object.keys(scope.project.services) : []);
  for (const s of found.keys()) if (!scope.project || s in scope.project.services) all.add(s);
  return [...all];
}

export function replicasOnly(list: ContainerSummary[] | undefined): ContainerSummary[] {
  return (list ?? []).filter((c) => !isOneoff(c));
}

export function isRunning(c: ContainerSummary): boolean {
  return c.State === 'running' || c.State === 'restarting';
}
