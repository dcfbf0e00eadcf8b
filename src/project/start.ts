// `compose start`: start the containers a project already has, dependencies
// first, each service once its depends_on conditions hold, as `up` would.

import { GantryError } from '../common/errors.js';
import type { LoadOptions } from '../spec/index.js';
import { actOnServices, chosenServices, containersByService, isRunning, openScope, replicasOnly, type ContainerStep, type LifecycleOptions } from './lifecycle.js';
import { nameOf } from './session.js';
import { waitForDependency } from './wait-dependency.js';

export type StartOptions = LifecycleOptions;

export async function start(load: LoadOptions, opts: StartOptions = {}): Promise<ContainerStep[]> {
  const scope = await openScope(load, opts, opts.services);
  const found = await containersByService(scope, { all: true, oneoff: false, signal: opts.signal });
  const named = chosenServices(scope, opts.services, found);
  // Naming a service starts what it needs too, as docker compose does.
  const services = scope.graph && opts.services?.length ? scope.graph.withDependencies(named) : named;
  return actOnServices(scope, services, 'up', {
    words: { working: 'Starting', done: 'Started' },
    async pick(service, signal) {
      const mine = replicasOnly(found.get(service));
      const declared = scope.project?.services[service];
      if (mine.length === 0) {
        if (declared && declared.scale === 0) return [];
        throw new GantryError('engine', `service "${service}" has no container to start`, { hint: `create it first: compose up -d ${service}` });
      }
      if (declared && !opts.dryRun) {
        for (const [dep, d] of Object.entries(declared.depends_on ?? {})) {
          if (!services.includes(dep)) continue;
          await waitForDependency(scope.engine, service, dep, d, replicasOnly(found.get(dep)).map(nameOf), signal);
        }
      }
      return mine.filter((c) => !isRunning(c));
    },
    act: (c, signal) => scope.engine.containers.start(c.Id, { signal }),
  }, opts);
}
