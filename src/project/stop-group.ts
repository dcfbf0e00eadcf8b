// Stopping what an attached `up` started, when it is interrupted or aborted:
// dependents before their dependencies, each with the grace period, and, when
// the user insists (a second Ctrl-C), a SIGKILL to whatever still runs.

import { Label } from '../common/labels.js';
import { isNotFound, type ContainerSummary, type EngineClient } from '../engine-client/index.js';
import { traverse, type ServiceGraph } from '../graph/index.js';
import { serviceOf } from './containers.js';
import type { ProgressSink } from './progress.js';
import { nameOf } from './session.js';

export interface StopGroupOptions {
  services: string[];
  /** Seconds before the engine turns a stop into a kill. */
  timeout?: number;
  /** Aborted: kill at once whatever has not stopped yet. */
  kill?: AbortSignal;
  parallel?: number;
  onProgress?: ProgressSink;
}

export async function stopGroup(engine: EngineClient, project: string, graph: ServiceGraph, opts: StopGroupOptions): Promise<void> {
  const emit = opts.onProgress ?? (() => {});
  const list = await engine.containers.list({ filters: { label: [`${Label.project}=${project}`, `${Label.oneoff}=False`] } });
  const wanted = new Set(opts.services);
  const running = list.filter((c) => wanted.has(serviceOf(c)) && (c.State === 'running' || c.State === 'restarting' || c.State === 'paused'));
  const byService = new Map<string, ContainerSummary[]>();
  for (const c of running) byService.set(serviceOf(c), [...(byService.get(serviceOf(c)) ?? []), c]);

  const killAll = () => Promise.all(running.map((c) => engine.containers.kill(c.Id).catch(() => {})));
  const onKill = () => void killAll();
  if (opts.kill?.aborted) await killAll();
  opts.kill?.addEventListener('abort', onKill, { once: true });
  try {
    const stopOne = async (c: ContainerSummary) => {
      const name = nameOf(c);
      emit({ object: 'Container', name, status: 'Stopping', done: false });
      try {
        await engine.containers.stop(c.Id, { timeout: opts.timeout });
      } catch (e) {
        // Gone or already stopped (a kill raced the stop): either way it no longer runs.
        if (!isNotFound(e) && (await stillRunning(engine, c.Id))) throw e;
      }
      emit({ object: 'Container', name, status: 'Stopped', done: true });
    };
    const inGraph = [...byService.keys()].filter((s) => graph.has(s));
    const result = await traverse(graph, async (service) => void (await Promise.all((byService.get(service) ?? []).map(stopOne))), {
      direction: 'down',
      only: inGraph,
      parallel: opts.parallel,
    });
    await Promise.all([...byService.entries()].filter(([s]) => !graph.has(s)).flatMap(([, cs]) => cs.map(stopOne)));
    if (result.failed.length > 0) throw result.failed[0]!.error;
  } finally {
    opts.kill?.removeEventListener('abort', onKill);
  }
}

async function stillRunning(engine: EngineClient, id: string): Promise<boolean> {
  const c = await engine.containers.inspect(id).catch(() => undefined);
  return Boolean(c?.State.Running);
}
