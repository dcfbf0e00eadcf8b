// `compose kill`: send a signal to the running containers of the named
// services (all when none are named), one-off `run` containers included,
// dependents first. Containers of services no longer in the file are left
// alone unless removeOrphans, as docker compose does.

import type { LoadOptions } from '../spec/index.js';
import { actOnServices, chosenServices, containersByService, openScope, type ContainerStep, type LifecycleOptions } from './lifecycle.js';

export interface KillOptions extends LifecycleOptions {
  /** `SIGKILL` by default; a name (`SIGHUP`, `HUP`) or a number. */
  killSignal?: string;
  removeOrphans?: boolean;
}

/** What was killed; empty when nothing was running. */
export async function kill(load: LoadOptions, opts: KillOptions = {}): Promise<ContainerStep[]> {
  const scope = await openScope(load, opts, opts.services);
  const found = await containersByService(scope, { all: false, oneoff: true, signal: opts.signal });
  let services = chosenServices(scope, opts.services, found);
  if (opts.removeOrphans && !opts.services?.length) services = [...new Set([...services, ...found.keys()])];
  return actOnServices(scope, services, 'down', {
    words: { working: 'Killing', done: 'Killed' },
    pick: (service) => found.get(service) ?? [],
    act: (c) => scope.engine.containers.kill(c.Id, { signal: opts.killSignal }),
  }, opts);
}
