// `compose pause`: freeze the running containers of the named services (all
// when none are named).

import type { LoadOptions } from '../spec/index.js';
import { actOnServices, chosenServices, containersByService, openScope, replicasOnly, type ContainerStep, type LifecycleOptions } from './lifecycle.js';

export type PauseOptions = LifecycleOptions;

export async function pause(load: LoadOptions, opts: PauseOptions = {}): Promise<ContainerStep[]> {
  return freeze(load, opts, 'running', { working: 'Pausing', done: 'Paused' });
}

/** Shared with unpause: the two differ in the state they act on and the call they make. */
export async function freeze(load: LoadOptions, opts: PauseOptions, from: 'running' | 'paused', words: { working: string; done: string }): Promise<ContainerStep[]> {
  const scope = await openScope(load, opts, opts.services);
  const found = await containersByService(scope, { all: false, oneoff: false, signal: opts.signal });
  const services = chosenServices(scope, opts.services, found);
  return actOnServices(scope, services, from === 'running' ? 'down' : 'up', {
    words,
    pick: (service) => replicasOnly(found.get(service)).filter((c) => c.State === from),
    act: (c) => (from === 'running' ? scope.engine.containers.pause(c.Id) : scope.engine.containers.unpause(c.Id)),
  }, opts);
}
