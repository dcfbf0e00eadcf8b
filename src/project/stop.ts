// `compose stop`: stop the named services' containers (all when none are
// named), dependents before what they depend on.

import type { LoadOptions } from '../spec/index.js';
import { actOnServices, chosenServices, containersByService, isRunning, openScope, replicasOnly, type ContainerStep, type LifecycleOptions } from './lifecycle.js';

export interface StopOptions extends LifecycleOptions {
  /** Seconds to wait before SIGKILL; the container's own stop timeout when undefined. */
  timeout?: number;
}

export async function stop(load: LoadOptions, opts: StopOptions = {}): Promise<ContainerStep[]> {
  const scope = await openScope(load, opts, opts.services);
  const found = await containersByService(scope, { all: true, oneoff: false, signal: opts.signal });
  const services = chosenServices(scope, opts.services, found);
  return actOnServices(scope, services, 'down', {
    words: { working: 'Stopping', done: 'Stopped' },
    pick: (service) => replicasOnly(found.get(service)).filter((c) => isRunning(c) || c.State === 'paused'),
    act: (c, signal) => scope.engine.containers.stop(c.Id, { timeout: opts.timeout, signal }),
  }, opts);
}
