// `compose pause`: freeze the running containers of the named services (all
// when none are named).

import type { LoadOptions } from '../spec/index.js';
import { chosenServices, containersByService, eachContainer, openScope, replicasOnly, walkServices, type ContainerStep, type LifecycleOptions } from './lifecycle.js';

export type PauseOptions = LifecycleOptions;

export async function pause(load: LoadOptions, opts: PauseOptions = {}): Promise<ContainerStep[]> {
  return freeze(load, opts, 'running', { working: 'Pausing', done: 'Paused' });
}

/** Shared with unpause: the two differ in the state they act on and the call they make. */
export async function freeze(load: LoadOptions, opts: PauseOptions, from: 'running' | 'paused', words: { working: string; done: string }): Promise<ContainerStep[]> {
  const scope = await openScope(load, opts, opts.services);
  const found = await containersByService(scope, { all: false, oneoff: false, signal: opts.signal });
  const services = chosenServices(scope, opts.services, found);
  const emit = opts.onProgress ?? (() => {});
  const acted: ContainerStep[] = [];
  const call = from === 'running' ? (id: string) => scope.engine.containers.pause(id) : (id: string) => scope.engine.containers.unpause(id);
  await walkServices(
    scope,
    services,
    from === 'running' ? 'down' : 'up',
    async (service) => {
      const mine = replicasOnly(found.get(service)).filter((c) => c.State === from);
      await eachContainer(mine, words, opts.dryRun ? undefined : (c) => call(c.Id), emit, acted);
    },
    opts,
  );
  return acted;
}
